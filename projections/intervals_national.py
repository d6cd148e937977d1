"""The national part of the interval model, measured on the long national history.

Why: the kommune backtest starts in 2006, so its sixteen origins carry one or two independent
national draws (the national error's lag-1 autocorrelation is about 0.86) and the national
spread fitted on them was too narrow (docs/uncertainty.md). Norway's own series are much
longer: 1 January stocks from HMD (1950-1985) and SSB 07459 (``population_national``,
1986-2026), deaths from HMD (1950-2023) and fertility from HFD (1967-2022). Here the
projection's own national rules are applied to them from every origin 1971.. :

* mortality: ``fit_mortality`` on HMD up to origin - 1 (the model's 20-year log-linear drift,
  pandemic years left out, jump-off the mean of the last three years);
* fertility: the last HFD schedule (origin - 1 or the last HFD year), levelled by the mean of
  the last three years' observed 0-year-olds over the expected (as ``fit_fertility``),
  constant thereafter;
* immigration: the model's stated national level (``projections.immigration.fit_immigration``,
  issue 18: the last year's net migration decaying toward the long-run mean), spread over sex
  and age by the ten-year mean profile (residual method, age 0 left to births, age-smoothed),
  as ``FittedModel.immigration_scale`` does. From the model's first base year (2006) the
  long-run mean is over the model's own series (SSB 07459 from 1986), so the replica is the
  model; for the earlier origins, which the model never ran, over the whole long series
  before the origin (HMD from 1950): the rule's "mean of the whole national series".

The errors log(projected / registered) by horizon and age group give the national spread law
log s = a + b log h (root mean square over origins) and the effective number of origins.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from data_sources import read_table
from projections.age_groups import INTERVAL_KEYS, bounds_by_label
from projections.api import ModelConfig
from projections.fertility import LEVEL_YEARS, cohort_rates, exposure
from projections.fitting import available_base_years, fit_mortality_for
from projections.immigration import ImmigrationAssumption, fit_immigration
from projections.inputs import N_AGE, NationalPopulation, national_data, national_population
from projections.migration import smooth_age, survivors
from projections.mortality import smoothed_history, survival

# total, 0-5, 6-15, 16-66, 67-79, 80+ (the backtest's groups) and 80+ split in two: 90+ is
# about twice as uncertain as 80-89 and the needs use the two separately
INTERVAL_GROUPS: dict[str, tuple[int, int]] = bounds_by_label(INTERVAL_KEYS)
GROUPS = tuple(INTERVAL_GROUPS)
FIRST_NATIONAL_ORIGIN = 1971  # the mortality rule needs 20 HMD years (from 1950) before it
MAX_NATIONAL_HORIZON = 20  # horizons fitted (origins 1971-2006 reach 20 years)
MIN_NATIONAL_GROWTH = 0.5  # at least a random walk (sqrt h): yearly deviations add up


def national_history() -> tuple[np.ndarray, np.ndarray]:
    """Registered 1 January population of Norway (years, (T, 2, 106) male/female by age):
    HMD 1950-1985 (ages 105+ folded), SSB 07459 from 1986 (the projection's own series)."""
    nat = national_population()
    hmd = read_table("hmd_population")
    hmd = hmd[hmd["year"] < int(nat.years[0])]
    years = np.arange(int(hmd["year"].min()), int(nat.years[-1]) + 1)
    pop = np.zeros((len(years), 2, N_AGE))
    ti = hmd["year"].to_numpy() - years[0]
    ai = np.minimum(hmd["age"].to_numpy(), N_AGE - 1)
    for s, name in enumerate(("pop_male", "pop_female")):
        np.add.at(pop[:, s], (ti, ai), hmd[name].to_numpy(dtype=float))
    pop[int(nat.years[0]) - years[0] :] = nat.pop
    return years, pop


@lru_cache(maxsize=1)
def _inputs() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(years, population, S, Sb): survival of each calendar year from observed HMD mx
    (the last HMD year's for later years), as the projection's residual migration uses."""
    years, pop = national_history()
    hmd = national_data()
    mx_years, mx = smoothed_history(hmd, int(hmd.mx_years[-1]))
    S, Sb = survival(mx)
    j = np.clip(np.searchsorted(mx_years, years), 0, len(mx_years) - 1)
    return years, pop, S[j], Sb[j]


def _net_migration(i: int, pop: np.ndarray, S: np.ndarray) -> np.ndarray:
    nm = pop[i + 1] - survivors(pop[i], S)
    nm[..., 0] = 0.0
    return nm


DEFAULT_CONFIG = ModelConfig()


def national_immigration(
    origin: int, survival_by_year: dict[int, np.ndarray], config: ModelConfig = DEFAULT_CONFIG
) -> ImmigrationAssumption:
    """The model's national net immigration assumption at ``origin`` (ages 1+, persons a
    year): on the model's series (from 1986) from its first base year, before that on the long
    series from 1950 (the rule's whole-series mean where the model has no series of its own)."""
    if origin >= available_base_years().start:
        series = national_population()
    else:
        years, pop = national_history()
        series = NationalPopulation(years[: origin - years[0] + 1], pop[: origin - years[0] + 1])
    return fit_immigration(
        series,
        survival_by_year,
        origin,
        config.immigration_rule,
        window=config.intl_window,
        decay=config.immigration_decay,
    )


def national_projection(
    origin: int, horizon: int, config: ModelConfig = DEFAULT_CONFIG
) -> np.ndarray:
    """Norway projected from ``origin`` with the model's national rules: (horizon+1, 2, 106).

    Uses only data up to ``origin`` (HMD/HFD up to origin - 1, stocks up to 1 January origin).
    """
    years, pop, S_obs, Sb_obs = _inputs()
    hmd = national_data()
    io = int(origin - years[0])
    mort = fit_mortality_for(hmd, origin, config)
    steps = np.arange(origin, origin + horizon)
    S, Sb = survival(mort.mx(steps))
    # fertility: last HFD schedule, level from the last years' observed 0-year-olds
    hsel = hmd.asfr_years <= origin - 1
    hfd_years, hfd = hmd.asfr_years[hsel], hmd.asfr[hsel]
    bsel = hmd.births_years <= origin - 1
    male = float(np.mean(hmd.male_share_births[bsel][-10:]))
    share = np.array([male, 1.0 - male])
    cal = {}
    for t in range(origin - LEVEL_YEARS, origin):
        i = int(t - years[0])
        f = hfd[min(np.searchsorted(hfd_years, t, side="right") - 1, len(hfd_years) - 1)]
        births = float(exposure(pop[i, 1], pop[i + 1, 1]) @ cohort_rates(f))
        cal[t] = float(pop[i + 1, :, 0].sum() / (births * float(share @ Sb_obs[i])))
    fc = cohort_rates(hfd[-1] * float(np.mean(list(cal.values()))))
    # residual survival as the model's fit: observed HMD, the fitted trend after HMD ends
    surv = {
        int(t): S_obs[i] if t <= mort.last_year else survival(mort.mx(np.array([t]))[0])[0]
        for i, t in enumerate(years[:io])
    }
    # immigration: the ten-year mean profile by sex and age, scaled to the stated level
    first = max(int(years[0]), origin - config.intl_window)
    nm = sum(_net_migration(int(t - years[0]), pop, surv[t]) for t in range(first, origin))
    intl = smooth_age(nm / (origin - first), config.smoothing)
    intl[..., 0] = 0.0
    level = national_immigration(origin, surv, config).level(steps)
    intl_total = float(intl.sum())
    out = np.empty((horizon + 1, 2, N_AGE))
    out[0] = pop[io]
    for k in range(horizon):
        scale = level[k] / intl_total if intl_total else 0.0
        nxt = survivors(out[k], S[k]) + intl * scale
        nxt = np.maximum(nxt, 0.0)
        b = float(exposure(out[k, 1], nxt[1]) @ fc)
        nxt[:, 0] = b * share * Sb[k]
        out[k + 1] = nxt
    return out


def group_sums(pop: np.ndarray) -> np.ndarray:
    """(..., 2, 106) -> (G, ...) float64 totals per age group of GROUPS (Norway's series
    here; kommune arrays (..., K, 2, 106) -> (G, ..., K) in the kommune backtest)."""
    by_age = pop.sum(axis=-2, dtype=np.float64)
    return np.stack([by_age[..., lo : hi + 1].sum(axis=-1) for lo, hi in INTERVAL_GROUPS.values()])


@lru_cache(maxsize=2)
def national_errors(max_horizon: int = MAX_NATIONAL_HORIZON) -> pd.DataFrame:
    """origin, horizon, age_group, log_error: the model's national rules on the long history,
    every origin from 1971 and every horizon up to the last registered year."""
    years, pop, _, _ = _inputs()
    last = int(years[-1])
    rows = []
    for o in range(FIRST_NATIONAL_ORIGIN, last):
        h_max = min(max_horizon, last - o)
        proj = group_sums(national_projection(o, h_max))  # (G, H+1)
        obs = group_sums(pop[o - years[0] : o - years[0] + h_max + 1])
        e = np.log(proj[:, 1:] / obs[:, 1:])
        for gi, g in enumerate(GROUPS):
            for h in range(1, h_max + 1):
                rows.append((o, h, g, float(e[gi, h - 1])))
    return pd.DataFrame(rows, columns=["origin", "horizon", "age_group", "log_error"])


@dataclass(frozen=True)
class NationalSpread:
    """log s(h) = a + b log h for one age group, and how much history stands behind it."""

    a: float
    b: float
    n_origins: int  # origins at the 5-year horizon
    n_effective: float  # effective independent origins at 5 years (autocorrelation-adjusted)

    def scale(self, horizon: np.ndarray | float) -> np.ndarray:
        h = np.maximum(np.asarray(horizon, dtype=np.float64), 1.0)
        return np.exp(self.a + self.b * np.log(h))


def effective_origins(x: np.ndarray) -> float:
    """n (1 - r1) / (1 + r1), r1 the lag-1 autocorrelation of a series over consecutive origins
    (the variance-equivalent number of independent draws of an AR(1) series)."""
    x = np.asarray(x, dtype=float)
    if len(x) < 3:
        return float(len(x))
    xc = x - x.mean()
    r1 = float(np.clip((xc[:-1] @ xc[1:]) / (xc @ xc), -0.99, 0.99))
    return float(len(x) * (1 - r1) / (1 + r1))


def rms_by_horizon(errors: pd.DataFrame) -> pd.DataFrame:
    """Per age group and horizon: root mean square error, origins, effective origins and the
    RMS over non-overlapping origins (every h-th origin, the mean over the h offsets)."""
    rows = []
    for (g, h), f in errors.groupby(["age_group", "horizon"], sort=False):
        e = f.sort_values("origin")["log_error"].to_numpy()
        blocks = [np.sqrt(np.mean(e[j::h] ** 2)) for j in range(min(h, len(e)))]
        rows.append(
            {
                "age_group": g,
                "horizon": int(h),
                "n": len(e),
                "n_effective": effective_origins(e),
                "rms": float(np.sqrt(np.mean(e**2))),
                "rms_non_overlapping": float(np.mean(blocks)),
                "mean": float(e.mean()),
            }
        )
    return pd.DataFrame(rows)


def fit_national_spread(errors: pd.DataFrame, last_target: int) -> dict[str, NationalSpread]:
    """Spread law per age group from the errors whose target year is <= ``last_target``
    (weighted by the effective origins of each horizon; slope at least 0.5)."""
    e = errors[errors["origin"] + errors["horizon"] <= last_target]
    table = rms_by_horizon(e)
    out = {}
    for g in GROUPS:
        t = table[(table["age_group"] == g) & (table["n"] >= 3)]
        lh, ly = np.log(t["horizon"].to_numpy(float)), np.log(t["rms"].to_numpy())
        w = np.sqrt(np.maximum(t["n_effective"].to_numpy(), 1.0))
        b, a = np.polyfit(lh, ly, 1, w=w)
        if b < MIN_NATIONAL_GROWTH:
            b = MIN_NATIONAL_GROWTH
            a = float(np.average(ly - b * lh, weights=w**2))
        five = t[t["horizon"] == 5]
        out[g] = NationalSpread(
            float(a),
            float(b),
            int(five["n"].iloc[0]) if len(five) else 0,
            float(five["n_effective"].iloc[0]) if len(five) else 0.0,
        )
    return out


def standardised_national(errors: pd.DataFrame, spread: dict[str, NationalSpread]) -> np.ndarray:
    """z = e / s(h) of each error row (s of its own age group)."""
    z = np.empty(len(errors))
    for g, sp in spread.items():
        m = (errors["age_group"] == g).to_numpy()
        z[m] = errors["log_error"].to_numpy()[m] / sp.scale(errors["horizon"].to_numpy()[m])
    return z
