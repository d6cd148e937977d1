"""Refuse a refresh that would lose what the store already has (years, kommuner, alternatives).

A response from SSB can be valid and still smaller than what we hold: a query that asked for
fewer years, a table that was cut back. Replacing the store with it would silently shrink
history (2005-2026 becoming 2025-2026), so a refresh must cover at least what it replaces.
Projection tables replace each other (14746 starting in 2026 replaces 14288 starting in
2024), so for them only the horizon (the last year) must not shrink.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
import pyarrow.parquet as pq

from data_sources.store import READ_ERRORS, Store, snapshot_store

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Coverage:
    """Columns whose set of values must not shrink, and those whose maximum must not drop."""

    keep_all: tuple[str, ...]
    keep_max: tuple[str, ...] = ()


COVERAGE: dict[str, Coverage] = {
    "population": Coverage(("year", "kommune_code")),
    "population_national": Coverage(("year",)),
    "ssb_projection_kommune": Coverage(("kommune_code", "alternative"), ("year",)),
    "ssb_projection_national_agegroup": Coverage(("alternative", "age_group"), ("year",)),
}

WORDS = {
    "year": "år",
    "kommune_code": "kommuner",
    "alternative": "alternativer",
    "age_group": "aldersgrupper",
}


class ShrinkError(ValueError):
    """The refreshed table would hold less than the store's current one; nothing written."""

    def __init__(self, table: str, problem: str) -> None:
        super().__init__(
            f"Oppdateringen av '{table}' er avvist fordi den ville krympe lageret "
            f"(refresh would shrink the store): {problem}"
        )


def describe(values: Iterable) -> str:
    """Years as ranges ("2005–2024, 2030"), codes as a count with the first few."""
    vals = sorted(values)
    if vals and all(isinstance(v, int) for v in vals):
        runs: list[str] = []
        start = prev = vals[0]
        for v in [*vals[1:], None]:
            if v is not None and v == prev + 1:
                prev = v
                continue
            runs.append(f"{start}–{prev}" if prev != start else f"{start}")
            if v is not None:
                start = prev = v
        return ", ".join(runs)
    shown = ", ".join(str(v) for v in vals[:3])
    return f"{len(vals)} ({shown}{', …' if len(vals) > 3 else ''})"


def _normalise(series: pd.Series) -> set:
    if pd.api.types.is_integer_dtype(series):
        return {int(v) for v in series.unique()}
    return {str(v) for v in series.unique()}


def current_table(name: str, store: Store) -> tuple[pd.DataFrame, str] | None:
    """The table a refresh would replace (the store's, else the snapshot's) with its origin."""
    cov = COVERAGE.get(name)
    if cov is None:
        return None
    wanted = [*cov.keep_all, *cov.keep_max]
    snap = snapshot_store()
    for candidate, origin in ((store, "lageret"), (snap, "snapshotet")):
        try:
            if not candidate.has(name):
                continue
            present = set(pq.read_schema(candidate.path(name)).names)
            return candidate.read(name, columns=[c for c in wanted if c in present]), origin
        except READ_ERRORS as exc:  # a broken live table: compare with the snapshot instead
            log.warning("kan ikke lese '%s' i %s for kontroll: %s", name, candidate.root, exc)
    return None


def check_not_shrinking(name: str, new: pd.DataFrame, current: pd.DataFrame, origin: str) -> None:
    """Raise ``ShrinkError`` if ``new`` lacks values of ``current`` (see ``COVERAGE``)."""
    cov = COVERAGE[name]
    problems = []
    for col in cov.keep_all:
        if col not in current or col not in new:
            continue
        old, got = _normalise(current[col]), _normalise(new[col])
        lost = old - got
        if lost:
            problems.append(
                f"{WORDS.get(col, col)} {describe(lost)} mangler "
                f"({origin} har {describe(old)}, SSB ga {describe(got)})"
            )
    for col in cov.keep_max:
        if col in current and col in new and len(current) and len(new):
            old_max, new_max = max(_normalise(current[col])), max(_normalise(new[col]))
            if new_max < old_max:
                problems.append(f"siste {WORDS.get(col, col)} {new_max}, {origin} har {old_max}")
    if problems:
        raise ShrinkError(name, "; ".join(problems))


def guard(tables: Iterable[tuple[str, pd.DataFrame]], store: Store) -> None:
    """Check every table of one refresh before anything is written."""
    for name, frame in tables:
        found = current_table(name, store)
        if found is not None:
            check_not_shrinking(name, frame, *found)
