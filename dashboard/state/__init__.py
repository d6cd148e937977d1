"""The view state of a URL: one typed ``ViewState`` and its one codec (``view_state``), the
routes (``routes``), the needs assumptions in the URL (``assumption_codec``) and old kommune
numbers (``old_codes``). The layer's public API for pages, widgets, files and the report."""

from dashboard.state.assumption_codec import (
    changes,
    check_percent,
    error_text,
    field_label,
    fmt_range,
    form_value,
    percent_fields,
    percent_range,
)
from dashboard.state.routes import (
    GLOBAL_PAGES,
    KOMMUNE_SECTIONS,
    NAV_ORDER,
    href,
    kommune_path,
    parse_search,
    section_of,
)
from dashboard.state.view_state import (
    CARE_SERVICES,
    MAP_INDICATORS,
    MAP_YEARS,
    MAX_COMPARE,
    POP_GROUPS,
    USAGE_PATHS,
    Decoded,
    ViewChoices,
    ViewState,
    canonical_params,
    decode,
    encode,
    query,
)

__all__ = [
    "CARE_SERVICES",
    "GLOBAL_PAGES",
    "KOMMUNE_SECTIONS",
    "MAP_INDICATORS",
    "MAP_YEARS",
    "MAX_COMPARE",
    "NAV_ORDER",
    "POP_GROUPS",
    "USAGE_PATHS",
    "Decoded",
    "ViewChoices",
    "ViewState",
    "canonical_params",
    "changes",
    "check_percent",
    "decode",
    "encode",
    "error_text",
    "field_label",
    "fmt_range",
    "form_value",
    "href",
    "kommune_path",
    "parse_search",
    "percent_fields",
    "percent_range",
    "query",
    "section_of",
]
