"""Published national figures (store table cost_workforce_figures), each with source and year.

Costs and workforce ages are read from this one table, never typed into code, so every number
the cost and recruitment modules use can be traced to the row (and page) it came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

import data_sources

TABLE = "cost_workforce_figures"


class PublishedFigureError(LookupError):
    """A figure the model needs is not (or not uniquely) in the published table."""


@dataclass(frozen=True)
class PublishedFigure:
    """One published figure: value in `unit`, for `year` (= its price year for money)."""

    topic: str
    year: int
    age_group: str
    measure: str
    value: float
    unit: str
    source_url: str
    note: str

    def citation(self) -> str:
        """Short citation: the note (publisher, table or sentence) and the page address."""
        return f"{self.note} ({self.source_url})"


def figure_from(
    table: pd.DataFrame, topic: str, year: int, measure_start: str, age_group: str | None = None
) -> PublishedFigure:
    """The one row of `table` with this topic and year whose measure starts with measure_start."""
    t = table[(table["topic"] == topic) & (table["year"] == year)]
    t = t[t["measure"].astype(str).str.startswith(measure_start)]
    if age_group is not None:
        t = t[t["age_group"] == age_group]
    if len(t) != 1:
        raise PublishedFigureError(
            f"Fant {len(t)} publiserte tall for {topic} {year} '{measure_start}' "
            f"(expected exactly one published figure)"
        )
    r = t.iloc[0]
    return PublishedFigure(
        topic=str(r["topic"]),
        year=int(r["year"]),
        age_group=str(r["age_group"]),
        measure=str(r["measure"]),
        value=float(r["value"]),
        unit=str(r["unit"]),
        source_url=str(r["source_url"]),
        note=str(r["note"]),
    )


@lru_cache(maxsize=1)
def published_table() -> pd.DataFrame:
    """The store table (read once)."""
    return data_sources.read_table(TABLE)


def published(
    topic: str, year: int, measure_start: str, age_group: str | None = None
) -> PublishedFigure:
    """One figure from the data store's published table."""
    return figure_from(published_table(), topic, year, measure_start, age_group)
