"""Service needs for the pages: the default assumptions from the per-scenario aggregates,
user-edited assumption sets in a small LRU of their own, and the staffing-pressure arrays."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from dashboard.data.model import KEY_YEARS, aggregates, base_year, check_scenario, projection
from projections.needs import (
    Assumptions,
    CostResult,
    MapIndicators,
    NeedsAssumptionError,
    NeedsResult,
    compute_needs,
    costs,
    map_indicators,
)
from projections.needs.indicators import STAFFED_SECTORS, indicator_arrays

REGION_CACHE = 1024
FRAME_CACHE = 256


# Indicator names of projections.needs (projections/needs/indicators.py).
PRESSURE_INDICATOR = "bemanningspress_pleie_og_omsorg"


CARE_RATIO_INDICATOR = "forsorgerbrok_20_66_per_80p"


# Needs results kept for user-edited assumption sets (each ~2 MB for all kommuner).
USER_NEEDS_CACHE = 4


# Tidy needs frames are bigger (~800 rows, ~80 kB): fewer of them.
NEEDS_FRAME_CACHE = 96


USER_FRAME_CACHE = 32


# -- needs -----------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def default_assumptions() -> Assumptions:
    return Assumptions()


def make_assumptions(values: dict[str, Any]) -> Assumptions:
    """Assumptions from edited values; raises ``NeedsAssumptionError`` (a ValueError).

    Only known fields with finite numbers get through, so a crafted callback cannot make the
    needs model fail in an unexpected way.
    """
    allowed = set(Assumptions.__dataclass_fields__)
    clean: dict[str, Any] = {}
    for name, value in values.items():
        if name not in allowed:
            raise NeedsAssumptionError(
                f"Ukjent forutsetning {str(name)[:40]!r} (unknown assumption)"
            )
        clean[name] = value
    try:
        return Assumptions(**clean)
    except TypeError:  # a wrongly typed value (e.g. a list) for a field
        raise NeedsAssumptionError(
            "Ugyldig verdi for forutsetningene (invalid assumption value)"
        ) from None


@lru_cache(maxsize=USER_NEEDS_CACHE)
def _needs_user(scenario: str, assumptions: Assumptions) -> NeedsResult:
    return compute_needs(projection(scenario), assumptions)


def needs(scenario: str, assumptions: Assumptions | None = None) -> NeedsResult:
    """Needs for all kommuner; the default assumptions come from the compact aggregates."""
    if assumptions is None or assumptions == default_assumptions():
        return aggregates(scenario).needs
    return _needs_user(check_scenario(scenario), assumptions)


@lru_cache(maxsize=NEEDS_FRAME_CACHE)
def _needs_frame_default(scenario: str, code: str) -> pd.DataFrame:
    return needs(scenario).frame(code)


@lru_cache(maxsize=USER_FRAME_CACHE)
def _needs_frame_user(scenario: str, code: str, assumptions: Assumptions) -> pd.DataFrame:
    return needs(scenario, assumptions).frame(code)


def needs_frame(scenario: str, code: str, assumptions: Assumptions | None = None) -> pd.DataFrame:
    """Tidy needs of a region (~80 kB): edited assumption sets get a smaller cache of their own."""
    if assumptions is None or assumptions == default_assumptions():
        return _needs_frame_default(scenario, code)
    return _needs_frame_user(scenario, code, assumptions)


@lru_cache(maxsize=NEEDS_FRAME_CACHE)
def indicators(scenario: str, code: str, assumptions: Assumptions | None = None) -> pd.DataFrame:
    return needs(scenario, assumptions).indicators(code)


@lru_cache(maxsize=REGION_CACHE)
def pressure_arrays(
    scenario: str, code: str, assumptions: Assumptions | None = None
) -> dict[str, np.ndarray]:
    """year, per_1000 (care årsverk per 1000 aged 20-66), care_ratio (20-66 per 80+).

    The two indicators of ``NeedsResult.indicators``, computed the same way (the needs
    package's ``indicator_arrays`` on the region's summed arrays) without building the tidy
    frame of every indicator; read-only arrays (~0.6 kB), as the Oversikt card reads them.
    """
    result = needs(scenario, assumptions)
    _, vals, pop = result.region_arrays(code)
    position = {(s, m): i for i, (s, m, _) in enumerate(result.keys)}
    arsverk = {sector: vals[position[(sector, "arsverk")]] for sector in STAFFED_SECTORS}
    items = {name: np.array(v[:, 0], dtype=float) for name, v, _ in indicator_arrays(pop, arsverk)}
    data = {
        "year": np.asarray(result.years, dtype=int),
        "per_1000": items[PRESSURE_INDICATOR],
        "care_ratio": items[CARE_RATIO_INDICATOR],
    }
    for values in data.values():
        values.flags.writeable = False  # shared by every caller through the cache
    return data


@lru_cache(maxsize=FRAME_CACHE)
def pressure_series(
    scenario: str, code: str, assumptions: Assumptions | None = None
) -> pd.DataFrame:
    """``pressure_arrays`` as a frame (the Tjenester comparison, the report)."""
    return pd.DataFrame(pressure_arrays(scenario, code, assumptions))


def pressure_key_arrays(
    scenario: str, code: str, assumptions: Assumptions | None = None
) -> dict[str, np.ndarray]:
    """``pressure_arrays`` in the base year and KEY_YEARS (the Oversikt card)."""
    data = pressure_arrays(scenario, code, assumptions)
    keep = np.isin(data["year"], [base_year(scenario), *KEY_YEARS])
    return {c: values[keep] for c, values in data.items()}


def pressure_key_years(
    scenario: str, code: str, assumptions: Assumptions | None = None
) -> pd.DataFrame:
    return pd.DataFrame(pressure_key_arrays(scenario, code, assumptions))


def cost_result(scenario: str, assumptions: Assumptions | None = None) -> CostResult:
    """Costs in kroner (``projections.needs.costs``) of the needs the pages show; one cache
    key however it is called (``cost_result(s)`` and ``cost_result(s, None)`` were two, so a
    worker recomputed what the master had warmed)."""
    if assumptions is not None and assumptions == default_assumptions():
        assumptions = None
    return _cost_result(scenario, assumptions)


@lru_cache(maxsize=USER_NEEDS_CACHE * 4)  # ~0.4 MB each: every scenario with today's standard
def _cost_result(scenario: str, assumptions: Assumptions | None) -> CostResult:
    return costs(needs(scenario, assumptions))


@lru_cache(maxsize=16)
def map_indicator_result(scenario: str) -> MapIndicators:
    """The map's needs indicators for every kommune (today's standard)."""
    return map_indicators(needs(scenario), cost_result(scenario))
