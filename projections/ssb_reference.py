"""SSB's own projection ("SSB's figure") for a kommune, fylke or Norway, read from the store.

The one place the dashboard, the API and the ``SSB`` scenario read SSB's projections:

* kommuner and fylker: ``ssb_projection_kommune`` (SSB 14288 in the snapshot; a successful
  ``python -m data_sources refresh 14746`` replaces it with 14746, see ``ssb_source_table``);
  a fylke is the sum of its kommuner, as in our own projection;
* Norway: ``ssb_projection_national_agegroup`` (SSB 14746, ten age groups), SSB's newest
  projection and the one made from the same 1 January 2026 stock as ours.

Nothing here is estimated; the numbers are SSB's, summed.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from data_sources import NORWAY_CODE, catalogue, read_table, table_meta
from data_sources.store_read import resolve

KOMMUNE_TABLE = "ssb_projection_kommune"
NATIONAL_TABLE = "ssb_projection_national_agegroup"

# 14746's ten age groups: label -> (first age, last age); 90+ ends at the open group 105+.
AGE_GROUPS: dict[str, tuple[int, int]] = {
    "0": (0, 0),
    "1-5": (1, 5),
    "6-12": (6, 12),
    "13-15": (13, 15),
    "16-19": (16, 19),
    "20-44": (20, 44),
    "45-66": (45, 66),
    "67-79": (67, 79),
    "80-89": (80, 89),
    "90+": (90, 105),
}


_GROUP_MATRIX = np.zeros((106, len(AGE_GROUPS)))
for _i, (_lo, _hi) in enumerate(AGE_GROUPS.values()):
    _GROUP_MATRIX[_lo : _hi + 1, _i] = 1.0


class SSBFigureUnavailableError(LookupError):
    """SSB has no figure for this region/alternative in the store (Norwegian message first)."""

    def __str__(self) -> str:
        return str(self.args[0])


def _table(name: str) -> pd.DataFrame:
    """One of SSB's two projection tables, converted to pandas once per file version (the
    dashboard asks for a region's figure on every first visit). Only filtered, never changed
    in place. A refreshed or swapped store has a new path or mtime, hence a new entry."""
    path = resolve(name).path(name)
    return _table_version(name, str(path), path.stat().st_mtime_ns)


@lru_cache(maxsize=4)
def _table_version(name: str, path: str, mtime_ns: int) -> pd.DataFrame:
    return read_table(name)


def _source(table: str) -> str:
    tables = table_meta(table).get("ssb_tables") or []
    return str(tables[0]) if tables else ""


def ssb_source_table(region_code: str | None = None) -> str:
    """The SSB table behind "SSB's figure": "14746" or "14288" (from the table metadata).

    Without a region: the kommune table's source (what kommuner and fylker show). For Norway
    ("0") it is the national age-group table (14746).
    """
    if region_code is not None and str(region_code) == NORWAY_CODE:
        return _source(NATIONAL_TABLE)
    return _source(KOMMUNE_TABLE)


def alternatives(region_code: str | None = None) -> tuple[str, ...]:
    """SSB alternatives available for a region (e.g. ("MMMM",) for 14288 kommuner)."""
    table = NATIONAL_TABLE if str(region_code) == NORWAY_CODE else KOMMUNE_TABLE
    return tuple(sorted(read_table(table, columns=["alternative"])["alternative"].unique()))


def ssb_agegroups(alternative: str = "MMMM") -> pd.DataFrame:
    """Norway by 14746 age group: columns year (int), age_group (str), persons (float)."""
    df = _table(NATIONAL_TABLE)
    df = df[df["alternative"] == alternative]
    if df.empty:
        raise SSBFigureUnavailableError(
            f"SSBs alternativ {alternative} finnes ikke i tabell {NATIONAL_TABLE}. / "
            f"SSB alternative {alternative} is not in the store."
        )
    out = pd.DataFrame(
        {
            "year": df["year"].astype(int).to_numpy(),
            "age_group": df["age_group"].astype(str).to_numpy(),
            "persons": df["persons"].astype(float).to_numpy(),
        }
    )
    rank = out["age_group"].map({g: i for i, g in enumerate(AGE_GROUPS)})
    return (
        out.assign(_rank=rank)
        .sort_values(["year", "_rank"], ignore_index=True)
        .drop(columns="_rank")
    )


def ssb_agegroup_matrix(alternative: str = "MMMM") -> tuple[np.ndarray, np.ndarray]:
    """(years (Y,), persons (Y, 10)) for Norway, age groups in ``AGE_GROUPS`` order."""
    df = ssb_agegroups(alternative)
    wide = df.pivot(index="year", columns="age_group", values="persons")
    missing = [g for g in AGE_GROUPS if g not in wide.columns]
    if missing or wide.isna().any().any():
        raise SSBFigureUnavailableError(
            f"Tabell {NATIONAL_TABLE} mangler aldersgrupper {missing} / is incomplete."
        )
    wide = wide[list(AGE_GROUPS)]
    return wide.index.to_numpy(dtype=int), wide.to_numpy(dtype=float)


def group_ages(population: np.ndarray) -> np.ndarray:
    """Sum a (..., 2, 106) sex-by-age array into (..., 10) 14746 age groups (both sexes)."""
    both = np.asarray(population, dtype=np.float64).sum(axis=-2)
    return both @ _GROUP_MATRIX


def ssb_figure(region_code: str, alternative: str = "MMMM") -> pd.DataFrame:
    """SSB's projected total population: columns year (int), persons (float), sorted by year.

    Kommune: its own row; fylke: the sum of its kommuner; Norway: 14746's age groups summed.
    Unknown codes raise ``UnknownRegionError``; a missing alternative raises
    ``SSBFigureUnavailableError``.
    """
    code = str(region_code)
    if code == NORWAY_CODE:
        df = ssb_agegroups(alternative)
        tot = df.groupby("year", sort=True)["persons"].sum()
        return pd.DataFrame({"year": tot.index.astype(int), "persons": tot.to_numpy(float)})
    codes = catalogue().kommuner_in(code)  # raises UnknownRegionError
    df = _table(KOMMUNE_TABLE)
    df = df[(df["alternative"] == alternative) & df["kommune_code"].isin(codes)]
    found = set(df["kommune_code"])
    if df.empty or len(found) != len(codes):
        raise SSBFigureUnavailableError(
            f"SSBs framskriving ({alternative}) mangler for {code} i tabell {KOMMUNE_TABLE}. / "
            f"SSB's projection is not in the store for {code}."
        )
    tot = df.groupby(df["year"].astype(int), sort=True)["persons"].sum()
    counts = df.groupby(df["year"].astype(int))["kommune_code"].nunique()
    tot = tot[counts == len(codes)]  # only years every kommune has
    return pd.DataFrame({"year": tot.index.astype(int), "persons": tot.to_numpy(float)})


def clear_caches() -> None:
    """Forget the cached table versions (after a store refresh)."""
    _table_version.cache_clear()
