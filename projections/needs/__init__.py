"""Service needs and staffing (barnehage, grunnskole, pleie og omsorg) from a population.

    from projections.needs import compute_needs, Assumptions
    needs = compute_needs(res, Assumptions())
    needs.frame("0301"); needs.indicators("0")
    cost = costs(needs); cost.frame("0301")        # kroner, each sector in its price year
    map_indicators(needs, cost).at("bemanningspress_alle", 2040)   # (357,) for the map

See docs/needs.md for methods and sources.
"""

from projections.needs.actual_staffing import barnehage_arithmetic, staffing_note
from projections.needs.assumptions import Assumptions, NeedsAssumptionError
from projections.needs.backtest import NeedsBacktest, needs_backtest
from projections.needs.calibration import CareRates, estimate_care_rates
from projections.needs.care_intensity import CareIntensity
from projections.needs.care_levels import CareLevels
from projections.needs.coefficients import Coefficient, load_coefficients
from projections.needs.costs import COST_COLUMNS, COST_SECTORS, CostResult, costs
from projections.needs.labels import (
    INDICATOR_LABELS,
    MEASURE_LABELS,
    SECTOR_LABELS,
    label,
    usage_note,
)
from projections.needs.map_indicators import MapIndicators, map_indicators
from projections.needs.model import compute_needs, needs_from_population
from projections.needs.observed import observed_population
from projections.needs.recruitment import AgeProfile, age_profiles
from projections.needs.result import NeedsResult
from projections.needs.unit_costs import UnitCost, UnitCosts
from projections.needs.usage import USAGE_LABELS, USAGE_PATHS

__all__ = [
    "COST_COLUMNS",
    "COST_SECTORS",
    "INDICATOR_LABELS",
    "MEASURE_LABELS",
    "SECTOR_LABELS",
    "USAGE_LABELS",
    "USAGE_PATHS",
    "AgeProfile",
    "Assumptions",
    "CareIntensity",
    "CareLevels",
    "CareRates",
    "Coefficient",
    "CostResult",
    "MapIndicators",
    "NeedsAssumptionError",
    "NeedsBacktest",
    "NeedsResult",
    "UnitCost",
    "UnitCosts",
    "age_profiles",
    "barnehage_arithmetic",
    "compute_needs",
    "costs",
    "estimate_care_rates",
    "label",
    "load_coefficients",
    "map_indicators",
    "needs_backtest",
    "needs_from_population",
    "observed_population",
    "staffing_note",
    "usage_note",
]
