"""Dash and Plotly: widgets, the page frame, figures, notices, and the checks callbacks run on
what the browser sends. The layer's public API for pages; numbers come from
``dashboard.views``, never from the engine."""

from dashboard.ui.components import (
    card_section,
    chart_block,
    data_table,
    dropdown_labels,
    key_card,
    notice,
    page_heading,
    picker_options,
    projections_missing,
    radio_control,
    region_suggestions,
    safe_render,
    vintage_line,
)
from dashboard.ui.context import PageContext, kommune_page, not_found
from dashboard.ui.element_json import raw_element
from dashboard.ui.figures import SECTOR_COLOURS, index_figure, lines_figure, pressure_figure
from dashboard.ui.figures_map import map_figure
from dashboard.ui.figures_population import components_figure, population_figure, pyramid_figure
from dashboard.ui.money_views import costs_block, recruitment_block
from dashboard.ui.needs_views import backtest_summary, usage_section
from dashboard.ui.report_button import report_button
from dashboard.ui.ssb_compare import add_ssb_line, assumptions_section, comparison_section
from dashboard.ui.uncertainty import (
    add_fan,
    add_pressure_error_bars,
    add_service_bands,
    card_value,
    certainty_sentence,
    om_summary,
    track_record_block,
)
from dashboard.ui.ux_notices import assumptions_notice, compare_notice
from dashboard.ui.validate import (
    bad_input,
    choice,
    int_in,
    lang_of,
    page_data,
    page_state,
    state_data,
    str_list,
)

__all__ = [
    "SECTOR_COLOURS",
    "PageContext",
    "add_fan",
    "add_pressure_error_bars",
    "add_service_bands",
    "add_ssb_line",
    "assumptions_notice",
    "assumptions_section",
    "backtest_summary",
    "bad_input",
    "card_section",
    "card_value",
    "certainty_sentence",
    "chart_block",
    "choice",
    "compare_notice",
    "comparison_section",
    "components_figure",
    "costs_block",
    "data_table",
    "dropdown_labels",
    "index_figure",
    "int_in",
    "key_card",
    "kommune_page",
    "lang_of",
    "lines_figure",
    "map_figure",
    "not_found",
    "notice",
    "om_summary",
    "page_data",
    "page_heading",
    "page_state",
    "picker_options",
    "population_figure",
    "pressure_figure",
    "projections_missing",
    "pyramid_figure",
    "radio_control",
    "raw_element",
    "recruitment_block",
    "region_suggestions",
    "report_button",
    "safe_render",
    "state_data",
    "str_list",
    "track_record_block",
    "usage_section",
    "vintage_line",
]
