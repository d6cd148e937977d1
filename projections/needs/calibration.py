"""Estimate kommune-specific care usage rates and nurse staffing from the SSB care panel.

Method (documented in docs/needs.md):
1. Users per age group (0-66, 67-79, 80+) over the last `window` panel years, with SSB's
   suppressed 1-4 cells as missing. A single missing age group is derived as total minus the
   others (this gives home-service users 67-79 after 2016, when SSB table 12292 has no 67-79
   code). Year 2010 is a known reporting break for home services (Y_1) and is excluded.
2. Recent-average rate = sum(users) / sum(population) over the available years (panel folk_*,
   1 January population of the panel year).
3. Credibility weighting (Bühlmann-Straub, Poisson noise): the raw rate is shrunk toward the
   fylke rate with weight z = n / (n + k), n = the kommune's average population in the group,
   k = noise variance / between-kommune variance, estimated from the data. Kommuner without
   data get the fylke rate.
4. Calibration: the shrunk age structure is scaled by one factor per kommune so that the users
   it gives for the last observed year equal the observed total exactly (where observed).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from projections.needs.ages import CARE_GROUP_BOUNDS, CARE_GROUPS
from projections.needs.coefficients import value

HOME_BREAK_YEARS = (2010,)
NURSE_SCALE_YEAR = 2023  # year of the national total-årsverk coefficient


@dataclass(frozen=True, eq=False)
class ServiceRates:
    """Calibrated users per inhabitant for one service, by kommune and age group."""

    service: str
    rates: np.ndarray  # (K, 3) calibrated users per inhabitant in 0-66, 67-79, 80+
    structure: np.ndarray  # (K, 3) credibility-weighted recent-average rates (before scaling)
    scale: np.ndarray  # (K,) calibration factor (1.0 where the base year is not observed)
    credibility: np.ndarray  # (K, 3) weight z on the kommune's own data
    observed_base: np.ndarray  # (K,) observed total users in the base year (NaN = missing)


@dataclass(frozen=True, eq=False)
class CareRates:
    """Everything the care sectors need, estimated once from the panel (catalogue order)."""

    kommuner: tuple[str, ...]
    base_year: int
    window: tuple[int, ...]
    base_population: np.ndarray  # (K, 3) panel folk_* in the base year
    home: ServiceRates
    institution: ServiceRates
    housing: ServiceRates
    nurse_per_user: np.ndarray  # (K,) nurse årsverk per (home + institution) user
    nurse_observed_base: np.ndarray  # (K,) observed Y_5_ialt in the base year
    total_per_nurse: float  # all care årsverk per nurse årsverk, national (2023)
    housing_profile: np.ndarray  # (3,) relative national rates by age group (24-hour housing)

    def index(self) -> dict[str, int]:
        return {k: i for i, k in enumerate(self.kommuner)}


def _panel_arrays(
    panel: pd.DataFrame, kommuner: tuple[str, ...], years: np.ndarray, columns: list[str]
) -> dict[str, np.ndarray]:
    """Pivot panel columns to (K, T) arrays; absent kommune-years are NaN."""
    idx = pd.MultiIndex.from_product([list(kommuner), list(years)])
    p = panel.set_index(["kommune_code", "year"])[columns].reindex(idx)
    shape = (len(kommuner), len(years))
    return {c: p[c].to_numpy(dtype=float).reshape(shape) for c in columns}


def fill_single_missing_group(total: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Where exactly one age group is missing and the total is known, derive it as the rest.

    Negative remainders (inconsistent cells) stay missing.
    """
    groups = groups.copy()
    missing = np.isnan(groups)
    one = (missing.sum(axis=-1) == 1) & ~np.isnan(total)
    rest = total - np.nansum(groups, axis=-1)
    for g in range(groups.shape[-1]):
        ok = one & missing[..., g] & (rest >= 0)
        groups[..., g] = np.where(ok, rest, groups[..., g])
    return groups


def credibility_rates(
    users: np.ndarray, exposure: np.ndarray, fylke_idx: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Shrink each kommune's recent-average rate toward its fylke (Bühlmann-Straub).

    users, exposure: (K, T) with NaN where missing. Returns (rate (K,), z (K,)).
    """
    avail = ~np.isnan(users) & ~np.isnan(exposure) & (np.nan_to_num(exposure) > 0)
    u = np.where(avail, users, 0.0).sum(axis=1)
    e = np.where(avail, exposure, 0.0).sum(axis=1)
    n_years = avail.sum(axis=1)
    n_f = int(fylke_idx.max()) + 1
    uf = np.bincount(fylke_idx, u, minlength=n_f)
    ef = np.bincount(fylke_idx, e, minlength=n_f)
    r_nat = u.sum() / e.sum() if e.sum() > 0 else 0.0
    with np.errstate(invalid="ignore", divide="ignore"):
        rf = np.where(ef > 0, uf / ef, r_nat)
        raw = np.where(e > 0, u / e, np.nan)
    prior = rf[fylke_idx]
    # Credibility exposure: average population per year used (persons, not person-years,
    # because the same people are counted in consecutive years).
    n = np.where(n_years > 0, e / np.maximum(n_years, 1), 0.0)
    has = n > 0
    s2 = max(r_nat, 1e-12)  # Poisson: var(users / n) = rate / n
    nf = np.bincount(fylke_idx[has], n[has], minlength=n_f)
    nf2 = np.bincount(fylke_idx[has], n[has] ** 2, minlength=n_f)
    den = float(np.sum(np.where(nf > 0, nf - nf2 / np.where(nf > 0, nf, 1.0), 0.0)))
    n_groups = int((nf > 0).sum())
    dev = np.where(has, n * (np.nan_to_num(raw) - prior) ** 2, 0.0).sum()
    a = (dev - (int(has.sum()) - n_groups) * s2) / den if den > 0 else 0.0
    a = max(a, 1e-12 * s2)
    k = s2 / a
    z = np.where(has, n / (n + k), 0.0)
    rate = np.where(has, z * np.nan_to_num(raw) + (1.0 - z) * prior, prior)
    return rate, z


def _calibrate(
    service: str,
    structure: np.ndarray,
    z: np.ndarray,
    base_pop: np.ndarray,
    observed: np.ndarray,
) -> ServiceRates:
    """Scale the age structure per kommune so the base-year total equals the observed one."""
    model = (structure * base_pop).sum(axis=1)
    use = ~np.isnan(observed) & (model > 0)
    scale = np.where(use, observed / np.where(model > 0, model, 1.0), 1.0)
    return ServiceRates(
        service=service,
        rates=structure * scale[:, None],
        structure=structure,
        scale=scale,
        credibility=z,
        observed_base=observed,
    )


def estimate_care_rates_from(
    panel: pd.DataFrame,
    kommuner_table: pd.DataFrame,
    population: pd.DataFrame,
    window: int = 3,
) -> CareRates:
    """Pure estimation from the three store tables (see module docstring)."""
    kommuner = tuple(kommuner_table["kommune_code"].astype(str))
    fylker = {f: i for i, f in enumerate(sorted(kommuner_table["fylke_code"].unique()))}
    fylke_of = dict(zip(kommuner_table["kommune_code"], kommuner_table["fylke_code"], strict=True))
    fylke_idx = np.array([fylker[fylke_of[k]] for k in kommuner])

    base_year = int(panel["year"].max())
    years = np.arange(int(panel["year"].min()), base_year + 1)
    cols = [c for c in panel.columns if c.startswith(("Y_", "folk_"))]
    arr = _panel_arrays(panel, kommuner, years, cols)
    win_mask = years > base_year - window
    b = len(years) - 1
    folk = np.stack([arr["folk_0_66"], arr["folk_67_79"], arr["folk_80p"]], axis=-1)  # K,T,3
    base_pop = np.nan_to_num(folk[:, b, :])

    def grouped(prefix: str, exclude: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
        total = arr[f"{prefix}_ialt"]
        groups = np.stack([arr[f"{prefix}_{g}"] for g in CARE_GROUPS], axis=-1)
        groups = fill_single_missing_group(total, groups)
        keep = win_mask & ~np.isin(years, exclude)
        structure = np.empty((len(kommuner), 3))
        zs = np.empty((len(kommuner), 3))
        for g in range(3):
            structure[:, g], zs[:, g] = credibility_rates(
                groups[:, keep, g], folk[:, keep, g], fylke_idx
            )
        return structure, zs

    s_home, z_home = grouped("Y_1_a", HOME_BREAK_YEARS)
    home = _calibrate("hjemmetjenester", s_home, z_home, base_pop, arr["Y_1_a_ialt"][:, b])
    s_inst, z_inst = grouped("Y_3_a", ())
    institution = _calibrate("institusjon", s_inst, z_inst, base_pop, arr["Y_3_a_ialt"][:, b])

    # 24-hour housing: all ages only. Age profile = national relative rates of care-housing
    # residents by age group in 2008 (SSB), applied to each kommune's own level.
    profile = housing_age_profile(population)
    expected = (folk * profile).sum(axis=-1)  # K,T expected residents at national profile
    theta, z_h = credibility_rates(arr["Y_2_ialt"][:, win_mask], expected[:, win_mask], fylke_idx)
    s_house = theta[:, None] * profile[None, :]
    housing = _calibrate(
        "bolig_heldogn", s_house, np.repeat(z_h[:, None], 3, 1), base_pop, arr["Y_2_ialt"][:, b]
    )

    # Nurses per care user (home services + institution, SSB's classic denominator).
    users_base = ((home.rates + institution.rates) * base_pop).sum(axis=1)
    nurses = arr["Y_5_ialt"][:, b]
    ok = ~np.isnan(nurses) & (users_base > 0)
    n_f = int(fylke_idx.max()) + 1
    fy_n = np.bincount(fylke_idx[ok], nurses[ok], minlength=n_f)
    fy_u = np.bincount(fylke_idx[ok], users_base[ok], minlength=n_f)
    nat = nurses[ok].sum() / users_base[ok].sum()
    with np.errstate(invalid="ignore", divide="ignore"):
        fy_ratio = np.where(fy_u > 0, fy_n / fy_u, nat)
        own = nurses / np.where(users_base > 0, users_base, 1.0)
    nurse_per_user = np.where(ok, own, fy_ratio[fylke_idx])

    scale_year = years == NURSE_SCALE_YEAR
    nurses_scale_year = float(np.nansum(arr["Y_5_ialt"][:, scale_year]))
    total_per_nurse = (
        value("pleie_og_omsorg.total_arsverk_national") / nurses_scale_year
        if nurses_scale_year > 0
        else float("nan")  # panel without the 2023 nurse figures (only in synthetic tests)
    )

    return CareRates(
        kommuner=kommuner,
        base_year=base_year,
        window=tuple(int(y) for y in years[win_mask]),
        base_population=base_pop,
        home=home,
        institution=institution,
        housing=housing,
        nurse_per_user=nurse_per_user,
        nurse_observed_base=nurses,
        total_per_nurse=total_per_nurse,
        housing_profile=profile,
    )


def housing_age_profile(population: pd.DataFrame) -> np.ndarray:
    """National residents per inhabitant by age group, care housing 2008 (relative profile)."""
    year = 2008
    residents = np.array([value(f"bolig_heldogn.age_profile.residents_{g}") for g in CARE_GROUPS])
    pop = population[population["year"] == year]
    persons = np.array(
        [pop.loc[pop["age"].between(lo, hi), "persons"].sum() for lo, hi in CARE_GROUP_BOUNDS],
        dtype=float,
    )
    return residents / persons


@lru_cache(maxsize=4)
def estimate_care_rates(window: int = 3) -> CareRates:
    """Rates estimated from the data store (cached: the store is read once per window)."""
    import data_sources

    return estimate_care_rates_from(
        data_sources.read_table("care_panel"),
        data_sources.read_table("kommuner"),
        data_sources.read_table("population"),
        window=window,
    )
