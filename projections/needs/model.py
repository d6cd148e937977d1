"""compute_needs: population (Y, K, 2, 106) -> users and årsverk per sector, year, kommune."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from projections.needs.ages import by_age, check_population, fine_groups
from projections.needs.assumptions import Assumptions
from projections.needs.backtest import chosen_damping
from projections.needs.barnehage import barnehage
from projections.needs.calibration import CareRates, estimate_care_rates
from projections.needs.grunnskole import grunnskole
from projections.needs.home_care import home_care
from projections.needs.indicators import POPULATION_GROUPS
from projections.needs.recruitment import RECRUITMENT_SECTORS, age_profiles, recruitment_measures
from projections.needs.result import NeedsResult
from projections.needs.round_the_clock_care import housing, institution, round_the_clock
from projections.needs.staffing import care_staffing
from projections.needs.usage import damped_sum, path_factors, policy_factors

PERSONS = "personer"
ARSVERK = "årsverk"


def _align(rates: CareRates, kommuner: Sequence[str]) -> np.ndarray:
    """Indices of `kommuner` in the rates' kommune order (clear error for unknown codes)."""
    index = rates.index()
    unknown = [k for k in kommuner if k not in index]
    if unknown:
        raise KeyError(
            f"Ingen omsorgsrater for kommune(r) {', '.join(unknown[:5])} "
            f"(no care rates for these codes; 2024 kommune structure expected)"
        )
    return np.array([index[k] for k in kommuner], dtype=int)


def usage_paths(
    care: CareRates, years: np.ndarray, a: Assumptions, idx: np.ndarray, base_groups: np.ndarray
) -> dict[str, np.ndarray | None]:
    """Per service the (Y, K, 4) factor on today's rates; None for "dagens standard".

    base_groups (K, 4): persons in the first year, the weights of the national rate and floor.
    """
    services = {
        "hjemmetjenester": care.home,
        "institusjon": care.institution,
        "bolig_heldogn": care.housing,
    }
    if a.usage_path == "today":
        return dict.fromkeys(services)
    damping = trend_damping(a)
    return {
        s: policy_factors(
            path_factors(care.trend.slopes[s], years, care.base_year, damping),
            rates.fine_rates[idx],
            base_groups,
        )
        for s, rates in services.items()
    }


def trend_damping(a: Assumptions) -> float:
    """The damping of the policy path: the user's, or the one the needs backtest chooses."""
    return a.trend_damping if a.trend_damping is not None else chosen_damping()


def intensity_path(care: CareRates, years: np.ndarray, a: Assumptions) -> np.ndarray | None:
    """(Y,) factor on care årsverk per user: the observed intensity trend on the policy path."""
    if a.usage_path == "today":
        return None
    h = damped_sum(years - care.base_year, trend_damping(a))
    return np.exp(care.levels.intensity_slope * h)


def needs_from_population(
    population: np.ndarray,
    years: Sequence[int],
    kommuner: Sequence[str],
    assumptions: Assumptions | None = None,
    scenario: str = "observert",
    rates: CareRates | None = None,
) -> NeedsResult:
    """Pure core: needs for a population array pop[year, kommune, sex, age].

    `rates` defaults to the rates estimated from the data store (cached).
    """
    a = assumptions if assumptions is not None else Assumptions()
    pop = check_population(population)
    years_arr = np.asarray(years, dtype=int)
    kommuner = tuple(str(k) for k in kommuner)
    if pop.shape[0] != len(years_arr) or pop.shape[1] != len(kommuner):
        raise ValueError(
            f"Befolkningen har formen {pop.shape}, men {len(years_arr)} år og "
            f"{len(kommuner)} kommuner (shape does not match years/kommuner)"
        )
    care = rates if rates is not None else estimate_care_rates(a.rate_window_years)
    idx = _align(care, kommuner)

    pop_age = by_age(pop)
    groups = fine_groups(pop_age)
    paths = usage_paths(care, years_arr, a, idx, groups[0])
    sectors: dict[str, dict[str, np.ndarray]] = {}
    sectors["barnehage"] = barnehage(pop_age, a)
    sectors["grunnskole"] = grunnskole(pop_age, a)
    sectors["hjemmetjenester"] = home_care(
        groups,
        care.home.fine_rates[idx],
        a.home_care_coverage_multiplier,
        kommuner,
        paths["hjemmetjenester"],
    )
    inst = institution(
        groups,
        care.institution.fine_rates[idx],
        a.institution_coverage_multiplier,
        kommuner,
        paths["institusjon"],
    )
    house = housing(
        groups,
        care.housing.fine_rates[idx],
        a.housing_coverage_multiplier,
        kommuner,
        paths["bolig_heldogn"],
    )
    sectors["institusjon"] = inst
    sectors["bolig_heldogn"] = house
    sectors["heldogns_omsorg"] = round_the_clock(inst, house)
    sectors["pleie_og_omsorg"] = care_staffing(
        sectors["hjemmetjenester"]["brukere"],
        inst["brukere"],
        house["brukere"],
        care.intensity.coefficients,
        care.nurse_level[idx],
        care.levels.per_user()[idx],
        a.care_staffing_multiplier,
        intensity_path(care, years_arr, a),
    )
    profiles = age_profiles()
    for sector in RECRUITMENT_SECTORS:
        sectors[sector].update(
            recruitment_measures(sectors[sector]["arsverk"], years_arr, profiles[sector])
        )
    sectors["alle"] = {
        m: sum(sectors[s][m] for s in RECRUITMENT_SECTORS)
        for m in ("arsverk", "arsverk_avgang", "arsverk_rekruttering")
    }

    keys: list[tuple[str, str, str]] = []
    arrays: list[np.ndarray] = []
    for sector, measures in sectors.items():
        for measure, arr in measures.items():
            keys.append((sector, measure, ARSVERK if measure.startswith("arsverk") else PERSONS))
            arrays.append(arr)
    population_groups = {
        name: pop_age[..., lo : hi + 1].sum(axis=-1) for name, (lo, hi) in POPULATION_GROUPS.items()
    }
    return NeedsResult(
        scenario=scenario,
        usage=a.usage_path,
        years=years_arr,
        kommuner=kommuner,
        keys=tuple(keys),
        values=np.stack(arrays),
        population=population_groups,
        assumptions=a,
    )


def compute_needs(res: Any, assumptions: Assumptions | None = None) -> NeedsResult:
    """Needs for a projection result (duck-typed: .population, .years, .kommuner, .scenario)."""
    return needs_from_population(
        res.population,
        res.years,
        res.kommuner,
        assumptions,
        scenario=str(getattr(res, "scenario", "observert")),
    )
