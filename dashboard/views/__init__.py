"""View models: the numbers behind each chart, table and report, and the look-ups pages and
widgets need (no Dash here). This is the layer's public API: pages and ``dashboard.ui`` read
numbers through it and never reach ``dashboard.data`` or the engine themselves."""

from dashboard.data.history import AGE_GROUPS, data_vintage, history_array, history_frame
from dashboard.data.model import (
    BAND_SCENARIOS,
    DEFAULT_SCENARIO,
    KEY_YEARS,
    KeyFigure,
    base_year,
    key_figures,
    needs_available,
    normalise_scenario,
    projection_years,
    projections_available,
    scenario_codes,
    scenario_info,
    series,
    series_arrays,
)
from dashboard.data.needs_cache import default_assumptions, make_assumptions, pressure_key_arrays
from dashboard.data.regions import (
    largest_kommuner,
    picker_regions,
    region_name,
    region_or_none,
    similar_regions,
    suggest_regions,
)
from dashboard.views import about, chart_views, chartdata, intervals, needs_figures, ssb_figures
from dashboard.views.chart_views import (
    ChartTable,
    chart_table,
    compare_codes,
    download_links,
    pyramid_year,
)
from dashboard.views.picker import picker_options
from data_sources import NORWAY_CODE

__all__ = [
    "AGE_GROUPS",
    "BAND_SCENARIOS",
    "DEFAULT_SCENARIO",
    "KEY_YEARS",
    "NORWAY_CODE",
    "ChartTable",
    "KeyFigure",
    "about",
    "base_year",
    "chart_table",
    "chart_views",
    "chartdata",
    "compare_codes",
    "data_vintage",
    "default_assumptions",
    "download_links",
    "history_array",
    "history_frame",
    "intervals",
    "key_figures",
    "largest_kommuner",
    "make_assumptions",
    "needs_available",
    "needs_figures",
    "normalise_scenario",
    "picker_options",
    "picker_regions",
    "pressure_key_arrays",
    "projection_years",
    "projections_available",
    "pyramid_year",
    "region_name",
    "region_or_none",
    "scenario_codes",
    "scenario_info",
    "series",
    "series_arrays",
    "similar_regions",
    "ssb_figures",
    "suggest_regions",
]
