"""The view state of a URL and its one codec (see ``view_state``)."""

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
    "MAP_INDICATORS",
    "MAP_YEARS",
    "MAX_COMPARE",
    "POP_GROUPS",
    "USAGE_PATHS",
    "Decoded",
    "ViewChoices",
    "ViewState",
    "canonical_params",
    "decode",
    "encode",
    "query",
]
