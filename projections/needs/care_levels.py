"""Care staffing a kommune would recognise: each kommune's own intensity, shrunk by size.

The panel has nurse årsverk (Y_5) per kommune, not all care årsverk; table 11643 has hours of
home health care. From these, per kommune k, over the rate window (2023-2025):

1. Home-care hours per home-service user, relative to Norway: hours / users over the window
   years with both (0 hours = not reported, left out), shrunk toward the kommune's size class
   (credibility weighting as for the usage rates, hours counted in national-user units).
2. Nurse need by service: nurse årsverk = b_inst x institution residents + b_house x
   24-hour-housing residents + b_home x home users + b_hours x home users x relative hours,
   the cross-section fit of care_intensity.py with the hours as a fourth term (kommune-years
   with every count published), so a home user's intensity is b_home + b_hours x hours.
3. The kommune's own level = its nurse årsverk / its fitted need, summed over the window,
   shrunk toward its size class with Poisson noise on the nurse årsverk: small kommuner, whose
   few årsverk swing from year to year, lean on kommuner of their size.
4. All care årsverk = c x level x need, one national c chosen so that the 2023 users observed
   in the panel give SSB's 157 076 årsverk of 2023 exactly.

Size classes (inhabitants in the base year): under 2 000, 2 000-4 999, 5 000-9 999,
10 000-19 999, 20 000-49 999, 50 000 and over.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from projections.needs.care_intensity import CareIntensity, fit_care_intensity
from projections.needs.credibility import credibility_rates
from projections.needs.usage import log_slope

SIZE_LIMITS = (2_000, 5_000, 10_000, 20_000, 50_000)
SIZE_LABELS = ("<2 000", "2 000-4 999", "5 000-9 999", "10 000-19 999", "20 000-49 999", "50 000+")
SCALE_YEAR = 2023
INTENSITY_TREND_FROM = 2018  # Y_5 has a method break in 2015-2017 (fram/README.md)
USER_COLUMNS = ("Y_3_a_ialt", "Y_2_ialt", "Y_1_a_ialt")  # institution, 24-hour housing, home


@dataclass(frozen=True, eq=False)
class CareLevels:
    """Per kommune (catalogue order): care årsverk per user of each service, and why."""

    size_class: np.ndarray  # (K,) index into SIZE_LABELS
    hours_raw: np.ndarray  # (K,) own home-care hours per home user / national (NaN = none)
    hours_weight: np.ndarray  # (K,) shrunk relative hours (weight of a home user)
    hours_credibility: np.ndarray  # (K,) weight on the kommune's own hours
    intensity: CareIntensity  # nurse årsverk: inst, house, home, home x relative hours
    level_raw: np.ndarray  # (K,) own nurse årsverk / fitted need over the window (NaN = none)
    level: np.ndarray  # (K,) shrunk toward the size class
    level_credibility: np.ndarray  # (K,) weight on the kommune's own level
    scale: float  # c: all care årsverk per fitted nurse årsverk, national (2023)
    intensity_slope: float  # yearly log-change of national nurse årsverk / fitted need
    intensity_years: tuple[int, ...]  # years of that trend (after the 2015-2017 break)

    def per_user(self) -> np.ndarray:
        """(K, 3) all care årsverk per institution resident, 24-hour resident, home user."""
        return self.scale * self.level[:, None] * nurse_per_user(self.hours_weight, self.intensity)

    def arsverk(self, users: np.ndarray) -> np.ndarray:
        """(..., K, 3) users by service -> (..., K, 3) all care årsverk by service."""
        return np.nan_to_num(users) * self.per_user()


def nurse_per_user(hours_weight: np.ndarray, intensity: CareIntensity) -> np.ndarray:
    """(K, 3) fitted nurse årsverk per user: b_inst, b_house, b_home + b_hours x hours weight."""
    b = intensity.coefficients
    k = len(hours_weight)
    return np.stack(
        [np.full(k, b[0]), np.full(k, b[1]), b[2] + b[3] * np.asarray(hours_weight)], axis=1
    )


def nurse_need(users: np.ndarray, hours_weight: np.ndarray, intensity: CareIntensity) -> np.ndarray:
    """(K, 3) users (NaN = suppressed, counted as 0) -> (K,) fitted nurse årsverk."""
    return (np.nan_to_num(users) * nurse_per_user(hours_weight, intensity)).sum(axis=1)


def size_classes(population: np.ndarray) -> np.ndarray:
    """(K,) inhabitants -> size class index."""
    return np.searchsorted(np.asarray(SIZE_LIMITS), population, side="right")


def hours_array(hours: pd.DataFrame, kommuner: tuple[str, ...], years: np.ndarray) -> np.ndarray:
    """(K, T) hours of home health care; 0 (= not existing or not reported) becomes NaN."""
    idx = pd.MultiIndex.from_product([list(kommuner), list(years)])
    h = hours.set_index(["kommune_code", "year"])["hours"].reindex(idx)
    arr = h.to_numpy(dtype=float).reshape(len(kommuner), len(years))
    return np.where(arr > 0, arr, np.nan)


def estimate_care_levels(
    arr: dict[str, np.ndarray],
    years: np.ndarray,
    window: int,
    hours: np.ndarray | None,
    base_population: np.ndarray,
    total_arsverk: float,
) -> CareLevels:
    """Steps 1-4 of the module docstring from the panel arrays (K, T) and hours (K, T)."""
    t_idx = np.flatnonzero(years > years.max() - window)
    groups = size_classes(base_population)
    home = arr["Y_1_a_ialt"][:, t_idx]
    if hours is None:
        rel_hours = np.full(home.shape[0], np.nan)
        w, z_h = np.ones(home.shape[0]), np.zeros(home.shape[0])
    else:
        h = hours[:, t_idx]
        both = ~np.isnan(h) & ~np.isnan(home) & (np.nan_to_num(home) > 0)
        national = np.where(both, h, 0).sum() / np.where(both, home, 0).sum()
        equivalent = np.where(both, h / national, np.nan)
        exposure = np.where(both, home, np.nan)
        w, z_h = credibility_rates(equivalent, exposure, groups)
        with np.errstate(invalid="ignore", divide="ignore"):
            rel_hours = np.nansum(equivalent, axis=1) / np.nansum(exposure, axis=1)
        rel_hours = np.where(both.any(axis=1), rel_hours, np.nan)

    inst, house = (arr[c][:, t_idx] for c in USER_COLUMNS[:2])
    # home hours = home users x the kommune's shrunk hours per user (national-user units)
    users = np.stack([inst, house, home, home * w[:, None]], axis=-1)  # K, T, 4
    nurses = arr["Y_5_ialt"][:, t_idx]
    folk = sum(arr[f"folk_{g}"][:, t_idx] for g in ("0_66", "67_79", "80p"))
    k_ids = np.repeat(np.arange(users.shape[0])[:, None], len(t_idx), axis=1)
    y_ids = np.repeat(years[t_idx][None, :], users.shape[0], axis=0)
    # only kommune-years with every count published (a suppressed 1-4 would read as 0)
    complete = ~np.isnan(users).any(-1) & ~np.isnan(nurses) & (np.nan_to_num(nurses) > 0)
    ok = complete & ~np.isnan(folk)
    intensity = fit_care_intensity(
        users[ok], nurses[ok], folk[ok], k_ids[ok], y_ids[ok], tuple(int(y) for y in years[t_idx])
    )

    fitted = np.nan_to_num(users) @ intensity.coefficients  # K, T
    has = complete & (fitted > 0)
    level, z_l = credibility_rates(
        np.where(has, nurses, np.nan), np.where(has, fitted, np.nan), groups
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        level_raw = np.where(
            has.any(axis=1),
            np.where(has, nurses, 0).sum(axis=1) / np.where(has, fitted, 0).sum(axis=1),
            np.nan,
        )

    scale_t = np.flatnonzero(years == SCALE_YEAR)
    if len(scale_t) == 1:
        u23 = np.stack([arr[c][:, scale_t[0]] for c in USER_COLUMNS], axis=-1)
        scale = total_arsverk / float((level * nurse_need(u23, w, intensity)).sum())
    else:  # a panel that stops before 2023 (backtest origins): keep the nurse-based ratio
        scale = float("nan")
    slope, trend_years = intensity_trend(arr, years, w, intensity)
    return CareLevels(
        size_class=groups,
        hours_raw=rel_hours,
        hours_weight=w,
        hours_credibility=z_h,
        intensity=intensity,
        level_raw=level_raw,
        level=level,
        level_credibility=z_l,
        scale=scale,
        intensity_slope=slope,
        intensity_years=trend_years,
    )


def intensity_trend(
    arr: dict[str, np.ndarray], years: np.ndarray, hours_weight: np.ndarray, ci: CareIntensity
) -> tuple[float, tuple[int, ...]]:
    """Log-linear slope of national nurse årsverk / fitted need (kommune-years with every
    count), from INTENSITY_TREND_FROM to the last panel year: intensity per user over time."""
    t_idx = np.flatnonzero(years >= INTENSITY_TREND_FROM)
    ratios = []
    for t in t_idx:
        users = np.stack([arr[c][:, t] for c in USER_COLUMNS], axis=-1)
        nurses = arr["Y_5_ialt"][:, t]
        ok = ~np.isnan(users).any(-1) & ~np.isnan(nurses)
        need = nurse_need(users[ok], hours_weight[ok], ci).sum()
        ratios.append(nurses[ok].sum() / need if need > 0 else np.nan)
    sel = years[t_idx]
    return log_slope(sel, np.asarray(ratios, dtype=float)), tuple(int(y) for y in sel)
