"""Cohort-component population projections for every Norwegian kommune.

    from projections import project, SCENARIOS, Overrides, ProjectionResult
    res = project("MMMM")             # all 357 kommuner, base 2026 -> 2050, cached
    res.region("0301")                # (Y, 2, 106) Oslo

Array axis order everywhere: (year, kommune, sex, age); sex 0 = male, 1 = female; age 0..105+.
"""

from projections.api import InvalidYearError, ModelConfig, fit, project
from projections.assumptions import (
    ScenarioAssumptions,
    SSBAssumptions,
    scenario_assumptions,
    ssb_assumptions,
)
from projections.caches import clear_cache
from projections.result import ProjectionResult, round_persons
from projections.scenarios import (
    MORTALITY_ALTERNATIVES,
    MORTALITY_TRENDS,
    SCENARIOS,
    InvalidOverridesError,
    InvalidScenarioError,
    Overrides,
    parse_scenario,
)

__all__ = [
    "MORTALITY_ALTERNATIVES",
    "MORTALITY_TRENDS",
    "SCENARIOS",
    "InvalidOverridesError",
    "InvalidScenarioError",
    "InvalidYearError",
    "ModelConfig",
    "Overrides",
    "ProjectionResult",
    "SSBAssumptions",
    "ScenarioAssumptions",
    "clear_cache",
    "fit",
    "parse_scenario",
    "project",
    "round_persons",
    "scenario_assumptions",
    "ssb_assumptions",
]
