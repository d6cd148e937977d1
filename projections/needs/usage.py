"""Usage paths: "dagens standard" (today's rates held) and "lavere dekning som 2015-2025", a
policy path (id "trend"): coverage keeps falling as it did in 2015-2025, damped, each kommune
converging toward a floor (the low-use kommuner's rate) instead of one national slope, and care
årsverk per user following the observed intensity trend.

The national pace is the observed log-linear trend in national age-standardised usage per service and
age group over the last TREND_YEARS panel years, continued with damping phi: the factor on the
rate h years after the base year is exp(slope x (phi + phi^2 + ... + phi^h)), so the yearly
change shrinks by phi each year and the level approaches exp(slope x phi / (1 - phi)).

Age standardisation: within a panel age group the rate is national users / national persons in
that group; within 80+ the persons are weighted by the published 90+ / 80-89 rate ratio
(rho), so an older 80+ group does not show up as a change in usage. Groups and services with
a trend: home services 0-66, 67-79, 80+; institution 67-79, 80+ (its 0-66 series is distorted
by SSB's suppression of small counts, so it is held); 24-hour housing all ages (users over the
residents expected from the national age profile). 80-89 and 90+ share the 80+ trend.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

USAGE_PATHS = ("today", "trend")
USAGE_LABELS = {"today": "dagens standard", "trend": "lavere dekning som 2015-2025"}
FLOOR_QUANTILE = 0.10  # the floor: 10th percentile of kommune rates, weighted by persons
TREND_YEARS = 10
# Dampings the backtest tries; 1.0 (undamped) is reported for reference but never chosen: a
# trend continued without damping for 25 years is a forecast the data cannot support.
DAMPING_GRID = (0.0, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 1.0)
MAX_CHOSEN_DAMPING = 0.95


@dataclass(frozen=True, eq=False)
class UsageTrend:
    """Yearly log-change of age-standardised usage, per service and fine age group."""

    base_year: int
    fit_years: tuple[int, ...]
    slopes: dict[str, np.ndarray]  # service -> (4,) per year, groups 0-66, 67-79, 80-89, 90+
    national_rates: dict[str, np.ndarray]  # service -> (T, 3) standardised rates, panel years
    years: np.ndarray  # (T,) panel years of national_rates


def log_slope(years: np.ndarray, rates: np.ndarray) -> float:
    """OLS slope of log(rate) on year over the finite, positive points (0 if fewer than 3)."""
    ok = np.isfinite(rates) & (rates > 0)
    if ok.sum() < 3:
        return 0.0
    return float(np.polyfit(years[ok].astype(float), np.log(rates[ok]), 1)[0])


def standardised_rates(
    users: np.ndarray, persons: np.ndarray, exclude: np.ndarray | None = None
) -> np.ndarray:
    """(K, T) users and (K, T) persons -> (T,) national rate over kommuner with data."""
    ok = ~np.isnan(users) & ~np.isnan(persons)
    u = np.where(ok, users, 0.0).sum(axis=0)
    p = np.where(ok, persons, 0.0).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = np.where(p > 0, u / p, np.nan)
    if exclude is not None:
        r = np.where(exclude, np.nan, r)
    return r


def estimate_trend(
    years: np.ndarray,
    groups: dict[str, np.ndarray],
    persons: np.ndarray,
    old: tuple[np.ndarray, np.ndarray],
    rho: dict[str, float],
    housing_users: np.ndarray,
    housing_expected: np.ndarray,
    exclude: dict[str, np.ndarray],
) -> UsageTrend:
    """Trend slopes from panel arrays.

    groups: service -> (K, T, 3) users 0-66, 67-79, 80+ (filled); persons (K, T, 3);
    old: persons 80-89 and 90+ (K, T); housing users and expected residents (K, T);
    exclude: service -> (T,) years to leave out (reporting breaks).
    """
    base_year = int(years.max())
    fit = years > base_year - TREND_YEARS
    slopes: dict[str, np.ndarray] = {}
    national: dict[str, np.ndarray] = {}
    held = {"hjemmetjenester": (), "institusjon": (0,)}
    for service, users in groups.items():
        weighted_80 = old[0] + rho[service] * old[1]
        denominators = [persons[..., 0], persons[..., 1], weighted_80]
        rates = np.stack(
            [
                standardised_rates(users[..., g], denominators[g], exclude.get(service))
                for g in range(3)
            ],
            axis=-1,
        )
        national[service] = rates
        s = [0.0 if g in held[service] else log_slope(years[fit], rates[fit, g]) for g in range(3)]
        slopes[service] = np.array([s[0], s[1], s[2], s[2]])
    house = standardised_rates(housing_users, housing_expected)
    national["bolig_heldogn"] = np.repeat(house[:, None], 3, axis=1)
    slopes["bolig_heldogn"] = np.full(4, log_slope(years[fit], house[fit]))
    return UsageTrend(
        base_year=base_year,
        fit_years=tuple(int(y) for y in years[fit]),
        slopes=slopes,
        national_rates=national,
        years=years,
    )


def damped_sum(h: np.ndarray, damping: float) -> np.ndarray:
    """phi + phi^2 + ... + phi^h for h >= 0 (h = 0 gives 0)."""
    h = np.maximum(np.asarray(h, dtype=float), 0.0)
    if damping >= 1.0:
        return h
    if damping <= 0.0:
        return np.zeros_like(h)
    return damping * (1.0 - damping**h) / (1.0 - damping)


def path_factors(
    slopes: np.ndarray, years: np.ndarray, base_year: int, damping: float
) -> np.ndarray:
    """(Y, 4) factors on the base-year rates for the years of the population."""
    d = damped_sum(np.asarray(years) - base_year, damping)
    return np.exp(d[:, None] * slopes[None, :])


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    """Quantile q of values, each counted with its weight (weights <= 0 ignored)."""
    ok = weights > 0
    v, w = values[ok], weights[ok]
    if len(v) == 0:
        return 0.0
    order = np.argsort(v)
    cum = np.cumsum(w[order])
    return float(v[order][np.searchsorted(cum, q * cum[-1])])


def policy_factors(national: np.ndarray, rates: np.ndarray, persons: np.ndarray) -> np.ndarray:
    """(Y, 4) national factors, (K, 4) base rates and persons -> (Y, K, 4) kommune factors.

    For a falling group the national rate R x F(t) is reached by moving every kommune above
    the floor f (FLOOR_QUANTILE of the kommune rates, weighted by persons) toward it:
    r(t) = f + (r - f) x g(t), g(t) = (R x F(t) - f) / (R - f), clipped to [0, 1]; kommuner
    at or below the floor keep their rate. A rising group keeps the national factor.
    """
    y, (k, n) = national.shape[0], rates.shape
    out = np.ones((y, k, n))
    for i in range(n):
        r, p, f_t = rates[:, i], persons[:, i], national[:, i]
        total = p.sum()
        big_r = float((r * p).sum() / total) if total > 0 else 0.0
        floor = weighted_quantile(r, p, FLOOR_QUANTILE)
        if np.all(f_t >= 1.0) or big_r <= floor:
            out[:, :, i] = f_t[:, None]
            continue
        g = np.clip((big_r * f_t - floor) / (big_r - floor), 0.0, 1.0)  # (Y,)
        new = np.where(r[None, :] > floor, floor + (r[None, :] - floor) * g[:, None], r[None, :])
        with np.errstate(invalid="ignore", divide="ignore"):
            out[:, :, i] = np.where(r[None, :] > 0, new / r[None, :], 1.0)
    return out
