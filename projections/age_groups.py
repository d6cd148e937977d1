"""The one age-group vocabulary: each group's stable key (URLs, CSV columns, catalogues: "0_5"),
its label in tables and the intervals ("0-5", as SSB writes them) and its single-year bounds.

Adding an age group is one row here plus the sets below that should carry it; the backtest,
the intervals and the dashboard derive their groups from these. (SSB's own ten groups of table
14746 are another classification: ``ssb_reference.AGE_GROUPS``.)
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AgeGroup:
    key: str  # stable identifier: URL parameters, CSV columns, text catalogue keys
    label: str  # SSB-style label in tables and the intervals
    first: int  # first single year of age
    last: int  # last single year of age (105 = "105 years or older")


GROUPS: tuple[AgeGroup, ...] = (
    AgeGroup("total", "total", 0, 105),
    AgeGroup("0_5", "0-5", 0, 5),
    AgeGroup("6_15", "6-15", 6, 15),
    AgeGroup("16_66", "16-66", 16, 66),
    AgeGroup("67_79", "67-79", 67, 79),
    AgeGroup("80p", "80+", 80, 105),
    AgeGroup("80_89", "80-89", 80, 89),
    AgeGroup("90p", "90+", 90, 105),
    AgeGroup("20_66", "20-66", 20, 66),
)
BY_KEY = {g.key: g for g in GROUPS}

# which groups each use carries
BACKTEST_KEYS = ("total", "0_5", "6_15", "16_66", "67_79", "80p")
INTERVAL_KEYS = (*BACKTEST_KEYS, "80_89", "90p")  # 90+ is about twice as uncertain as 80-89
DASHBOARD_KEYS = (*BACKTEST_KEYS, "20_66")  # the working age of the care ratio too


def bounds_by_label(keys: tuple[str, ...]) -> dict[str, tuple[int, int]]:
    """label -> (first, last) for the groups ``keys`` (the projections' tables)."""
    return {BY_KEY[k].label: (BY_KEY[k].first, BY_KEY[k].last) for k in keys}


def bounds_by_key(keys: tuple[str, ...]) -> dict[str, tuple[int, int]]:
    """key -> (first, last) for the groups ``keys`` (the dashboard's columns)."""
    return {k: (BY_KEY[k].first, BY_KEY[k].last) for k in keys}


def label_of(key: str) -> str:
    return BY_KEY[key].label
