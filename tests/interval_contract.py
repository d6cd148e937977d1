"""Shared by the interval tests: the tidy columns issue 10 fixes for the API, the CLI and the
Data page's download, written out once (not read from the code under test)."""

INTERVAL_COLUMNS = [
    "scenario",
    "year",
    "region",
    "age_group",
    "level",
    "lower",
    "median",
    "upper",
]
