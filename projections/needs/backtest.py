"""Needs backtest: the rates of an earlier year applied to the registered population of a later
year, compared with the users SSB observed, for both usage paths (and every trend damping).

For an origin year o (2015, 2019) the rates are estimated from the panel up to o only (the same
code as today's rates), applied to the registered 1 January population of the target year
(2025) by kommune and age group, and compared with the observed users per service, and the
nurse årsverk (the årsverk the panel observes) with the origin's intensity and level:
national error = sum(model) / sum(observed) - 1 over kommuner with data; kommune MAPE = mean
|model / observed - 1| over kommuner with at least MIN_USERS observed users (smaller counts
make percentage errors meaningless). The damping of the trend path is the one with the
smallest mean absolute national error over origins and services, among dampings up to
MAX_CHOSEN_DAMPING (1.0, no damping, is reported but not chosen).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from projections.needs.ages import by_age, fine_groups
from projections.needs.calibration import estimate_care_rates_from
from projections.needs.observed import observed_population
from projections.needs.usage import (
    DAMPING_GRID,
    MAX_CHOSEN_DAMPING,
    damped_sum,
    path_factors,
    policy_factors,
)

ORIGINS = (2015, 2019)
SERVICES = {
    "hjemmetjenester": "Y_1_a_ialt",
    "institusjon": "Y_3_a_ialt",
    "bolig_heldogn": "Y_2_ialt",
}
NURSES = "Y_5_ialt"
NURSES_ROW = "arsverk_sykepleiere"  # årsverk are scored on the nurses, the årsverk observed
MIN_USERS = 20
BACKTEST_COLUMNS = [
    "origin",
    "target",
    "service",
    "usage",
    "damping",
    "observed",
    "model",
    "national_error",
    "kommune_mape",
    "kommuner",
]


@dataclass(frozen=True, eq=False)
class NeedsBacktest:
    table: pd.DataFrame  # BACKTEST_COLUMNS, one row per origin x service x path (x damping)
    damping: float  # chosen damping of the trend path

    def summary(self) -> pd.DataFrame:
        """today and trend (chosen damping) rows only."""
        t = self.table
        keep = (t["usage"] == "today") | np.isclose(t["damping"], self.damping)
        return t[keep].reset_index(drop=True)


def _service_rates(rates, service: str):
    return {"hjemmetjenester": rates.home, "institusjon": rates.institution}.get(
        service, rates.housing
    )


def _score(
    origin: int,
    target: int,
    service: str,
    usage: str,
    damping: float,
    observed: np.ndarray,
    model: np.ndarray,
) -> dict[str, float | int | str]:
    """One backtest row: national error over kommuner with data, kommune MAPE over big ones."""
    has = ~np.isnan(observed)
    big = has & (observed >= MIN_USERS)
    return {
        "origin": origin,
        "target": target,
        "service": service,
        "usage": usage,
        "damping": damping,
        "observed": float(observed[has].sum()),
        "model": float(model[has].sum()),
        "national_error": float(model[has].sum() / observed[has].sum() - 1),
        "kommune_mape": float(np.mean(np.abs(model[big] / observed[big] - 1))),
        "kommuner": int(big.sum()),
    }


def run_backtest_from(
    panel: pd.DataFrame,
    kommuner_table: pd.DataFrame,
    population: pd.DataFrame,
    national_population: pd.DataFrame,
    target_population: np.ndarray,
    origins: tuple[int, ...] = ORIGINS,
    window: int = 3,
) -> NeedsBacktest:
    """Pure backtest. target_population (1, K, 2, 106) is the registered target-year population
    in the kommune order of kommuner_table; the target year is the panel's last year."""

    target = int(panel["year"].max())
    groups = fine_groups(by_age(target_population))[0]  # K, 4
    kommuner = list(kommuner_table["kommune_code"].astype(str))
    obs_panel = panel[panel["year"] == target].set_index("kommune_code").reindex(kommuner)
    rows = []
    nurses_observed = obs_panel[NURSES].to_numpy(dtype=float)
    for origin in origins:
        rates = estimate_care_rates_from(
            panel[panel["year"] <= origin],
            kommuner_table,
            population,
            window=window,
            national_population=national_population,
        )
        paths = [("today", float("nan"))] + [("trend", d) for d in DAMPING_GRID]
        users: dict[tuple[str, float], list[np.ndarray]] = {p: [] for p in paths}
        for service, column in SERVICES.items():
            observed = obs_panel[column].to_numpy(dtype=float)
            fine = _service_rates(rates, service).fine_rates
            base = fine * groups  # K, 4
            slopes = rates.trend.slopes[service]
            for usage, damping in paths:
                factor = (
                    np.ones(4)
                    if usage == "today"
                    else policy_factors(
                        path_factors(slopes, np.array([target]), origin, damping), fine, groups
                    )[0]
                )
                model = (base * factor).sum(axis=1)
                users[(usage, damping)].append(model)
                rows.append(_score(origin, target, service, usage, damping, observed, model))
        # nurse årsverk: the origin's level and intensity per user on the modelled users (the
        # policy path adds the intensity trend observed up to the origin)
        for usage, damping in paths:
            home, inst, house = users[(usage, damping)]  # SERVICES order
            b = rates.intensity.coefficients
            model = rates.nurse_level * (b[0] * inst + b[1] * house + b[2] * home)
            if usage == "trend":
                h = damped_sum(np.array([target - origin]), damping)[0]
                model = model * np.exp(rates.levels.intensity_slope * h)
            rows.append(_score(origin, target, NURSES_ROW, usage, damping, nurses_observed, model))
    table = pd.DataFrame(rows, columns=BACKTEST_COLUMNS)
    trend = table[
        (table["usage"] == "trend")
        & (table["damping"] <= MAX_CHOSEN_DAMPING)
        & table["service"].isin(list(SERVICES))
    ]
    score = trend.assign(a=trend["national_error"].abs()).groupby("damping")["a"].mean()
    return NeedsBacktest(table=table, damping=float(score.idxmin()))


@lru_cache(maxsize=1)
def needs_backtest() -> NeedsBacktest:
    """The backtest on the data store (cached; about half a second)."""
    import data_sources

    panel = data_sources.read_table("care_panel")
    kommuner_table = data_sources.read_table("kommuner")
    target = int(panel["year"].max())
    pop, _, _ = observed_population([target], list(kommuner_table["kommune_code"].astype(str)))
    return run_backtest_from(
        panel,
        kommuner_table,
        data_sources.read_table("population"),
        data_sources.read_table("population_national"),
        pop,
    )


def chosen_damping() -> float:
    """Damping of the policy path ("lavere dekning som 2015-2025"), chosen by the backtest."""
    return needs_backtest().damping
