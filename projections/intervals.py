"""Empirical prediction intervals: the one public API (see docs/uncertainty.md).

The model and its fit live in ``intervals_fit`` (kommune backtest errors, local laws) and
``intervals_national`` (the national part on the long national history), the application to a
projection in ``intervals_apply`` (all regions x years x age groups at once) and
``intervals_needs`` (users and årsverk, with the care services' usage uncertainty), the
calibration tests in ``intervals_score``. Import from here.
"""

from __future__ import annotations

from projections.intervals_apply import (
    IntervalArrays,
    half_widths,
    interval_arrays,
    project_intervals,
    region_interval,
)
from projections.intervals_backtest import (
    FIRST_ORIGIN,
    MAX_FIT_HORIZON,
    backtest_errors,
    region_codes,
)
from projections.intervals_fit import (
    LEVELS,
    MIN_BASE_YEAR,
    MODEL_JSON,
    GroupModel,
    IntervalModel,
    InvalidLevelError,
    check_level,
    committed_model,
    fit_interval_model,
    fit_vintage,
    interval_model,
)
from projections.intervals_national import GROUPS, INTERVAL_GROUPS, group_sums, national_errors
from projections.intervals_needs import (
    BoundPopulation,
    NeedsIntervalArrays,
    bound_population_arrays,
    bound_populations,
    needs_frame_with_intervals,
    needs_interval_arrays,
)
from projections.intervals_score import (
    COVERAGE_CSV,
    HELD_OUT_HORIZONS,
    SIZE_CLASSES,
    SIZE_LABELS,
    VALIDATION_LAST_ORIGIN,
    calibrate,
    coverage_summary,
    score,
    size_class,
    validation,
    vintage_scores,
)

__all__ = [
    "COVERAGE_CSV",
    "FIRST_ORIGIN",
    "GROUPS",
    "HELD_OUT_HORIZONS",
    "INTERVAL_GROUPS",
    "LEVELS",
    "MAX_FIT_HORIZON",
    "MIN_BASE_YEAR",
    "MODEL_JSON",
    "SIZE_CLASSES",
    "SIZE_LABELS",
    "VALIDATION_LAST_ORIGIN",
    "BoundPopulation",
    "GroupModel",
    "IntervalArrays",
    "IntervalModel",
    "InvalidLevelError",
    "NeedsIntervalArrays",
    "backtest_errors",
    "bound_population_arrays",
    "bound_populations",
    "calibrate",
    "check_level",
    "committed_model",
    "coverage_summary",
    "fit_interval_model",
    "fit_vintage",
    "group_sums",
    "half_widths",
    "interval_arrays",
    "interval_model",
    "national_errors",
    "needs_frame_with_intervals",
    "needs_interval_arrays",
    "project_intervals",
    "region_codes",
    "region_interval",
    "score",
    "size_class",
    "validation",
    "vintage_scores",
]
