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
4. Calibration to the last observed year: where an age group's users are observed (directly or
   as total minus the other groups), its rate is observed users / population, so the base year
   is reproduced group by group. Groups still missing share the rest of the observed total in
   proportion to the shrunk structure; without an observed total the shrunk rates are used.
5. Finer old age: each kommune's 80+ rate is split into 80-89 and 90+ with the national
   published ratio of the 90+ rate to the 80-89 rate (SSB, 2004/2008) as the shape, so that the
   kommune's 80+ users in the base year are unchanged: r80_89 = r80 * P80 / (P80_89 + rho P90),
   r90 = rho * r80_89.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from projections.needs.ages import CARE_GROUP_BOUNDS, CARE_GROUPS
from projections.needs.care_intensity import CareIntensity, intensity_from_panel
from projections.needs.care_levels import CareLevels, estimate_care_levels, hours_array
from projections.needs.coefficients import value
from projections.needs.credibility import credibility_rates
from projections.needs.usage import UsageTrend, estimate_trend

HOME_BREAK_YEARS = (2010,)
# Published national age profile within 80+ per service: coefficient prefix and its year.
OLD_AGE_PROFILES = {
    "hjemmetjenester": ("hjemmetjenester.age_profile.recipients", 2008),
    "institusjon": ("institusjon.age_profile.residents", 2004),
    "bolig_heldogn": ("bolig_heldogn.age_profile.residents", 2008),
}
NURSE_SCALE_YEAR = 2023  # year of the national total-årsverk coefficient


@dataclass(frozen=True, eq=False)
class ServiceRates:
    """Calibrated users per inhabitant for one service, by kommune and age group."""

    service: str
    rates: np.ndarray  # (K, 3) calibrated users per inhabitant in 0-66, 67-79, 80+
    structure: np.ndarray  # (K, 3) credibility-weighted recent-average rates (before scaling)
    scale: np.ndarray  # (K,) calibrated / structure users in the base year (1.0 = unobserved)
    credibility: np.ndarray  # (K, 3) weight z on the kommune's own data
    observed_base: np.ndarray  # (K,) observed total users in the base year (NaN = missing)
    observed_groups: np.ndarray  # (K, 3) observed users by age group in the base year (NaN)
    fine_rates: np.ndarray  # (K, 4) users per inhabitant in 0-66, 67-79, 80-89, 90+
    ratio_90_to_80_89: float  # national rate 90+ / rate 80-89 (published profile)


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
    nurse_per_user: np.ndarray  # (K,) nurse årsverk per (home + institution) user, base year
    intensity: CareIntensity  # nurse årsverk per user by service (cross-section fit)
    nurse_level: np.ndarray  # (K,) observed / fitted nurse årsverk in the base year
    trend: UsageTrend  # national age-standardised usage trends (the policy path)
    nurse_observed_base: np.ndarray  # (K,) observed Y_5_ialt in the base year
    total_per_nurse: float  # all care årsverk per nurse årsverk, national (2023)
    housing_profile: np.ndarray  # (3,) relative national rates by age group (24-hour housing)
    levels: CareLevels  # each kommune's own care årsverk per user, shrunk by size (care_levels)

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


def calibrate_groups(
    structure: np.ndarray, base_pop: np.ndarray, total: np.ndarray, groups: np.ndarray
) -> np.ndarray:
    """(K, 3) rates that reproduce the observed base-year groups and total (see step 4)."""
    known = ~np.isnan(groups) & (base_pop > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        own = np.where(known, groups / np.where(base_pop > 0, base_pop, 1.0), 0.0)
    rates = np.where(known, own, structure)
    known_users = np.where(known, groups, 0.0).sum(axis=1)
    missing_model = np.where(known, 0.0, structure * base_pop).sum(axis=1)
    rest = total - known_users
    has_total = ~np.isnan(total)
    # missing groups share what the observed total leaves
    share = has_total & (missing_model > 0) & (rest >= 0)
    factor = np.where(share, rest / np.where(missing_model > 0, missing_model, 1.0), 1.0)
    rates = np.where(known, rates, structure * factor[:, None])
    # all groups known but inconsistent with the total (suppressed cells): the total wins
    model = (rates * base_pop).sum(axis=1)
    fix = has_total & (np.abs(model - total) > 1e-9) & (model > 0)
    rates = np.where(
        fix[:, None], rates * (total / np.where(model > 0, model, 1.0))[:, None], rates
    )
    return rates


def split_old_age(rates: np.ndarray, p80_89: np.ndarray, p90: np.ndarray, rho: float) -> np.ndarray:
    """(K, 3) rates -> (K, 4): 80+ split into 80-89 and 90+, keeping the base-year 80+ users.

    A kommune without persons 80+ in the base year uses the national share of 90+ instead.
    """
    p80 = p80_89 + p90
    w_nat = p90.sum() / p80.sum() if p80.sum() > 0 else 0.0
    den = p80_89 + rho * p90
    with np.errstate(invalid="ignore", divide="ignore"):
        c = np.where(den > 0, rates[:, 2] * p80 / den, rates[:, 2] / (1 - w_nat + rho * w_nat))
    return np.stack([rates[:, 0], rates[:, 1], c, rho * c], axis=1)


def _calibrate(
    service: str,
    structure: np.ndarray,
    z: np.ndarray,
    base_pop: np.ndarray,
    observed: np.ndarray,
    groups: np.ndarray,
    old: tuple[np.ndarray, np.ndarray],
    rho: float,
) -> ServiceRates:
    """Calibrated rates for one service (steps 4 and 5 of the module docstring)."""
    rates = calibrate_groups(structure, base_pop, observed, groups)
    model = (structure * base_pop).sum(axis=1)
    calibrated = (rates * base_pop).sum(axis=1)
    scale = np.where(
        ~np.isnan(observed) & (model > 0), calibrated / np.where(model > 0, model, 1), 1
    )
    return ServiceRates(
        service=service,
        rates=rates,
        structure=structure,
        scale=scale,
        credibility=z,
        observed_base=observed,
        observed_groups=groups,
        fine_rates=split_old_age(rates, old[0], old[1], rho),
        ratio_90_to_80_89=rho,
    )


def ratio_90_to_80_89(service: str, national_population: pd.DataFrame | None) -> float:
    """National rate 90+ / rate 80-89 in the published profile (1.0 without population data)."""
    if national_population is None:
        return 1.0
    prefix, year = OLD_AGE_PROFILES[service]
    pop = national_population[national_population["year"] == year]
    if "sex" in pop.columns:
        pop = pop[pop["sex"] != 0]  # 0 = both sexes in the national table
    p89 = float(pop.loc[pop["age"].between(80, 89), "persons"].sum())
    p90 = float(pop.loc[pop["age"] >= 90, "persons"].sum())
    return (value(f"{prefix}_90p") / p90) / (value(f"{prefix}_80_89") / p89)


def old_age_population(
    population: pd.DataFrame, kommuner: tuple[str, ...], years: np.ndarray, folk_80p: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Persons 80-89 and 90+ per kommune and year (K, T); all 80+ as 80-89 without kommune data.

    Years without population data fall back to the panel's 80+ as 80-89 as well.
    """
    if "kommune_code" not in population.columns:
        return folk_80p, np.zeros_like(folk_80p)
    pop = population[(population["age"] >= 80) & population["year"].isin(years)]
    pop = pop.assign(old=(pop["age"] >= 90).astype(int))
    t = pop.pivot_table(
        index=["kommune_code", "year"], columns="old", values="persons", aggfunc="sum"
    )
    t = t.reindex(columns=[0, 1]).reindex(pd.MultiIndex.from_product([list(kommuner), list(years)]))
    shape = (len(kommuner), len(years))
    p89 = t[0].to_numpy(dtype=float).reshape(shape)
    p90 = t[1].to_numpy(dtype=float).reshape(shape)
    missing = np.isnan(p89) | np.isnan(p90)
    return np.where(missing, folk_80p, p89), np.where(missing, 0.0, p90)


def estimate_care_rates_from(
    panel: pd.DataFrame,
    kommuner_table: pd.DataFrame,
    population: pd.DataFrame,
    window: int = 3,
    national_population: pd.DataFrame | None = None,
    hours: pd.DataFrame | None = None,
) -> CareRates:
    """Pure estimation from the store tables (see module docstring).

    national_population gives the 80+ shape (step 5); without it 80-89 and 90+ share one rate.
    hours (table home_care_hours) weights home users by their kommune's hours (care_levels).
    """
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

    old_kt = old_age_population(population, kommuner, years, folk[..., 2])
    old = (np.nan_to_num(old_kt[0][:, b]), np.nan_to_num(old_kt[1][:, b]))
    filled: dict[str, np.ndarray] = {}

    def grouped(prefix: str, exclude: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
        total = arr[f"{prefix}_ialt"]
        groups = np.stack([arr[f"{prefix}_{g}"] for g in CARE_GROUPS], axis=-1)
        groups = fill_single_missing_group(total, groups)
        filled[prefix] = groups
        keep = win_mask & ~np.isin(years, exclude)
        structure = np.empty((len(kommuner), 3))
        zs = np.empty((len(kommuner), 3))
        for g in range(3):
            structure[:, g], zs[:, g] = credibility_rates(
                groups[:, keep, g], folk[:, keep, g], fylke_idx
            )
        return structure, zs

    s_home, z_home = grouped("Y_1_a", HOME_BREAK_YEARS)
    home = _calibrate(
        "hjemmetjenester",
        s_home,
        z_home,
        base_pop,
        arr["Y_1_a_ialt"][:, b],
        filled["Y_1_a"][:, b, :],
        old,
        ratio_90_to_80_89("hjemmetjenester", national_population),
    )
    s_inst, z_inst = grouped("Y_3_a", ())
    institution = _calibrate(
        "institusjon",
        s_inst,
        z_inst,
        base_pop,
        arr["Y_3_a_ialt"][:, b],
        filled["Y_3_a"][:, b, :],
        old,
        ratio_90_to_80_89("institusjon", national_population),
    )

    # 24-hour housing: all ages only. Age profile = national relative rates of care-housing
    # residents by age group in 2008 (SSB), applied to each kommune's own level.
    profile = housing_age_profile(population)
    expected = (folk * profile).sum(axis=-1)  # K,T expected residents at national profile
    theta, z_h = credibility_rates(arr["Y_2_ialt"][:, win_mask], expected[:, win_mask], fylke_idx)
    s_house = theta[:, None] * profile[None, :]
    housing = _calibrate(
        "bolig_heldogn",
        s_house,
        np.repeat(z_h[:, None], 3, 1),
        base_pop,
        arr["Y_2_ialt"][:, b],
        np.full((len(kommuner), 3), np.nan),  # no age groups observed
        old,
        ratio_90_to_80_89("bolig_heldogn", national_population),
    )

    rho = {s.service: s.ratio_90_to_80_89 for s in (home, institution, housing)}
    trend = estimate_trend(
        years,
        {"hjemmetjenester": filled["Y_1_a"], "institusjon": filled["Y_3_a"]},
        folk,
        old_kt,
        rho,
        arr["Y_2_ialt"],
        expected,
        {"hjemmetjenester": np.isin(years, HOME_BREAK_YEARS)},
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

    # Care intensity by service; each kommune keeps its own level (observed / fitted nurses).
    intensity = intensity_from_panel(arr, years, window)
    fitted = sum(
        intensity.coefficients[i] * (svc.rates * base_pop).sum(axis=1)
        for i, svc in enumerate((institution, housing, home))
    )
    okf = ~np.isnan(nurses) & (fitted > 0)
    fy_nf = np.bincount(fylke_idx[okf], nurses[okf], minlength=n_f)
    fy_f = np.bincount(fylke_idx[okf], fitted[okf], minlength=n_f)
    nat_level = nurses[okf].sum() / fitted[okf].sum() if okf.any() else 1.0
    with np.errstate(invalid="ignore", divide="ignore"):
        fy_level = np.where(fy_f > 0, fy_nf / fy_f, nat_level)
        own_level = nurses / np.where(fitted > 0, fitted, 1.0)
    nurse_level = np.where(okf, own_level, fy_level[fylke_idx])

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
        intensity=intensity,
        nurse_level=nurse_level,
        trend=trend,
        nurse_observed_base=nurses,
        total_per_nurse=total_per_nurse,
        housing_profile=profile,
        levels=estimate_care_levels(
            arr,
            years,
            window,
            None if hours is None else hours_array(hours, kommuner, years),
            base_pop.sum(axis=1),
            value("pleie_og_omsorg.total_arsverk_national"),
        ),
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
        national_population=data_sources.read_table("population_national"),
        hours=data_sources.read_table("home_care_hours"),
    )
