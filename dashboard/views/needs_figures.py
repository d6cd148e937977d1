"""The needs model's own figures in words and tables: care intensity with its interval and the
needs backtest (Tjenester and Om). Numbers from ``projections.needs``; no Dash here."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.text.formatting import fmt_number
from dashboard.text.i18n import t
from projections.needs import Assumptions, estimate_care_rates
from projections.needs.backtest import needs_backtest


@dataclass(frozen=True)
class BacktestTable:
    frame: pd.DataFrame
    headers: dict[str, str]
    decimals: dict[str, int]
    target: int
    damping: str


def intensity_text(lang: str) -> str:
    """Care intensity by service with its 90 % interval (from the needs model's estimate)."""
    # the key compute_needs uses (a positional window): the rates estimated at start-up,
    # not a second estimate (~1 s and ~90 MB of heap on a worker's first Tjenester page)
    rates = estimate_care_rates(Assumptions().rate_window_years)
    ci = rates.levels.intensity

    def one(i: int) -> str:
        lo, hi = ci.interval_90[i]
        b = ci.coefficients[i]
        return f"{fmt_number(b, lang, 3)} ({fmt_number(lo, lang, 3)}–{fmt_number(hi, lang, 3)})"

    return t(
        "needs.intensity",
        lang,
        n=ci.n_kommuner,
        years=f"{ci.years[0]}–{ci.years[-1]}",
        inst=one(0),
        house=one(1),
        home=one(2),
        scale=fmt_number(rates.levels.scale, lang, 3),
    )


def backtest_table(lang: str) -> BacktestTable:
    """National error and kommune MAPE by origin, service and usage path, in ``lang``."""
    bt = needs_backtest()
    s = bt.summary()
    rows = [
        {
            "origin": str(int(r["origin"])),  # a year: no thousands separator
            "service": t(f"sector.{r['service']}", lang),
            "usage": t(f"needs.usage.{r['usage']}", lang),
            "national_error": r["national_error"] * 100,
            "kommune_mape": r["kommune_mape"] * 100,
        }
        for _, r in s.iterrows()
    ]
    headers = {
        "origin": t("needs.bt.origin", lang),
        "service": t("needs.col.service", lang),
        "usage": t("needs.col.usage", lang),
        "national_error": t("needs.bt.national_error", lang),
        "kommune_mape": t("needs.bt.kommune_mape", lang),
    }
    return BacktestTable(
        pd.DataFrame(rows),
        headers,
        {"national_error": 1, "kommune_mape": 1},
        int(s["target"].iloc[0]),
        fmt_number(bt.damping, lang, 2),
    )
