"""Plain-language sentences built from numbers ("… ventes å øke med 62 % fram til 2040")."""

from __future__ import annotations

import math

from dashboard.text.formatting import fmt_number, fmt_percent, pct_change
from dashboard.text.i18n import t

STABLE_PCT = 1.0  # changes smaller than this read as "stable"


def direction(change_pct: float) -> str:
    if math.isnan(change_pct) or abs(change_pct) < STABLE_PCT:
        return "stable"
    return "up" if change_pct > 0 else "down"


def change_sentence(
    what_key: str,
    new: float,
    old: float,
    year: int,
    lang: str,
    interval: tuple[float, float] | None = None,
) -> str:
    """'Antall innbyggere 80 år og eldre ventes å øke med 62 % fram til 2040.'; with the 80 %
    interval of ``new`` it says how sure that is: '... fram til 2040 (80 %: +48 % til +77 %).'"""
    chg = pct_change(new, old)
    d = direction(chg)
    text = t(
        f"sentence.{d}",
        lang,
        what=t(f"what.{what_key}", lang),
        pct=fmt_percent(abs(chg), lang),
        year=year,
        old=fmt_number(old, lang),
        new=fmt_number(new, lang),
    )
    if interval is None or not old:
        return text
    lo, hi = (fmt_percent(pct_change(v, old), lang, sign=True) for v in interval)
    return text.rstrip(".") + t("sentence.interval", lang, lo=lo, hi=hi) + "."


def chg_class(change_pct: float) -> str:
    return {"up": "chg-up", "down": "chg-down", "stable": "chg-flat"}[direction(change_pct)]
