"""`refresh 14746`: SSB's regional projection 2026 for every kommune, as two store tables.

One fetch (Norway and the 357 kommuner, both sexes, ages 0-105+, MMMM/LLML/HHMH, every year)
feeds both tables of docs/CONTRACTS.md, which are then written together:

* ``ssb_projection_kommune``: kommune_code, alternative, year, persons (kommune totals);
* ``ssb_projection_national_agegroup``: alternative, year, age_group, persons (the kommuner
  summed to Norway by the ten age groups).

The ~5.7 million cells arrive in about eight pieces; each piece is checked and reduced to
those two aggregates as it arrives, so memory stays at one piece. Validation before anything
is written: every cell a number and not negative, exactly the 357 kommuner of the 2024
structure, contiguous years, every kommune with every alternative and year, and the kommuner
summed equal to SSB's own national row (SSB aligns the regional projection to the national
one; tolerances cover rounding of the integer cells).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

import numpy as np
import pandas as pd

from data_sources.catalogue import Catalogue
from data_sources.ssb import query
from data_sources.ssb.client import SSBClient, dumps_query
from data_sources.ssb.errors import SSBValidationError
from data_sources.ssb.tables import (
    NLOD,
    PROJECTION_ALTERNATIVES_14746,
    REFRESH_ALTERNATIVES_14746,
    TABLES,
)
from data_sources.store import TableNotFoundError
from data_sources.store_read import read_table

TABLE_ID = "14746"
KOMMUNE_TABLE = "ssb_projection_kommune"
NATIONAL_TABLE = "ssb_projection_national_agegroup"
NORWAY = "0"
REQUIRED = {PROJECTION_ALTERNATIVES_14746[c] for c in REFRESH_ALTERNATIVES_14746}
# 14746's ten age groups (docs/CONTRACTS.md), first and last single age; 90+ ends at 105+.
AGE_GROUPS: tuple[tuple[str, int, int], ...] = (
    ("0", 0, 0),
    ("1-5", 1, 5),
    ("6-12", 6, 12),
    ("13-15", 13, 15),
    ("16-19", 16, 19),
    ("20-44", 20, 44),
    ("45-66", 45, 66),
    ("67-79", 67, 79),
    ("80-89", 80, 89),
    ("90+", 90, 105),
)
GROUP_INDEX_OF_AGE = np.array(
    [i for i, (_, lo, hi) in enumerate(AGE_GROUPS) for _ in range(lo, hi + 1)]
)
# Kommuner summed vs SSB's national row: totals per alternative and year, and per age group.
# Loose enough for the rounding of ~75 000 whole-person kommune cells per year (a systematic
# half-person bias on small cells is ~0.1 % of Norway), tight enough to catch a table whose
# regions do not add up (a kommune set is checked exactly, separately).
TOTAL_TOLERANCE = 0.005
GROUP_TOLERANCE = 0.02
# The first projection year is 1 January of the registered population it starts from.
BASE_TOLERANCE = 0.001

Pieces = tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]


def _factor(raw: pd.DataFrame, column: str) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes per cell and the distinct values (a piece has few distinct codes, so
    every check and conversion runs on those, not on ~700 000 strings)."""
    codes, uniques = pd.factorize(raw[column].astype(str))
    return codes, np.asarray(uniques, dtype=object)


def _sum_by(key: np.ndarray, values: np.ndarray, shape: tuple[int, ...]):
    """Sum ``values`` per cell of ``shape`` (``key`` = flat index); present cells only."""
    size = int(np.prod(shape))
    sums = np.bincount(key, weights=values, minlength=size)
    present = np.bincount(key, minlength=size) > 0
    return np.unravel_index(np.flatnonzero(present), shape), sums[present]


def reduce_piece(raw: pd.DataFrame) -> Pieces:
    """One response piece -> (kommune totals, kommuner by age group, Norway row by age group)."""
    values = raw["value"].to_numpy(float)
    if np.isnan(values).any():
        symbols = raw.loc[np.isnan(values), "status"].fillna("ingen").value_counts()
        raise SSBValidationError(
            KOMMUNE_TABLE, f"celler uten tall (missing cells), status: {symbols.to_dict()}"
        )
    if (values < 0).any():
        raise SSBValidationError(KOMMUNE_TABLE, "negative persontall (negative persons)")
    rc, regions = _factor(raw, "Region")
    ac, ages = _factor(raw, "Alder")
    cc, contents = _factor(raw, "ContentsCode")
    tc, years = _factor(raw, "Tid")
    is_kommune = np.array([re.fullmatch(r"\d{4}", r) is not None for r in regions], dtype=bool)
    is_norway = regions == NORWAY
    if not (is_kommune | is_norway).all():
        odd = sorted(regions[~(is_kommune | is_norway)])[:5]
        raise SSBValidationError(KOMMUNE_TABLE, f"uventede regionkoder {odd}")
    alternatives = np.array([PROJECTION_ALTERNATIVES_14746.get(c) for c in contents], dtype=object)
    if any(a is None for a in alternatives):
        odd = sorted(c for c, a in zip(contents, alternatives, strict=True) if a is None)[:5]
        raise SSBValidationError(KOMMUNE_TABLE, f"ukjente alternativkoder {odd}")
    try:
        age_years = np.array([int(a.rstrip("+")) for a in ages])
        year_ints = np.array([int(t) for t in years])
    except ValueError as exc:
        raise SSBValidationError(KOMMUNE_TABLE, f"uventet alders- eller årskode: {exc}") from exc
    if age_years.min() < 0 or age_years.max() > 105:
        raise SSBValidationError(KOMMUNE_TABLE, "aldre utenfor 0-105 (age codes)")
    gc = GROUP_INDEX_OF_AGE[age_years][ac]
    n_r, n_c, n_t, n_g = len(regions), len(contents), len(years), len(AGE_GROUPS)
    kommune_cells = is_kommune[rc]
    norway_cells = is_norway[rc]

    key = (rc * n_c + cc) * n_t + tc
    (r_i, c_i, t_i), sums = _sum_by(key[kommune_cells], values[kommune_cells], (n_r, n_c, n_t))
    totals = pd.DataFrame(
        {
            "kommune_code": regions[r_i],
            "alternative": alternatives[c_i],
            "year": year_ints[t_i],
            "persons": sums,
        }
    )
    group_key = (cc * n_t + tc) * n_g + gc
    labels = np.array([label for label, _, _ in AGE_GROUPS], dtype=object)
    by_group = []
    for mask in (kommune_cells, norway_cells):
        (c_i, t_i, g_i), sums = _sum_by(group_key[mask], values[mask], (n_c, n_t, n_g))
        by_group.append(
            pd.DataFrame(
                {
                    "alternative": alternatives[c_i],
                    "year": year_ints[t_i],
                    "age_group": labels[g_i],
                    "persons": sums,
                }
            )
        )
    return totals, by_group[0], by_group[1]


def combine(pieces: list[Pieces]) -> Pieces:
    """Sum the pieces' partial aggregates (a key can span pieces when a split cut ages)."""
    keys = (["kommune_code", "alternative", "year"], ["alternative", "year", "age_group"])
    out = []
    for i, key in enumerate((keys[0], keys[1], keys[1])):
        frames = [p[i] for p in pieces if len(p[i])]
        if not frames:
            out.append(pd.DataFrame(columns=[*key, "persons"]))
            continue
        out.append(pd.concat(frames).groupby(key, as_index=False)["persons"].sum())
    return out[0], out[1], out[2]


def _relative_gap(ours: pd.Series, theirs: pd.Series) -> pd.Series:
    return (ours - theirs).abs() / theirs.where(theirs > 0, 1.0)


def validate(kommune: pd.DataFrame, national: pd.DataFrame, norway: pd.DataFrame, cat: Catalogue):
    """The checks of the module docstring; raises ``SSBValidationError`` with one line."""
    name = KOMMUNE_TABLE
    if kommune.empty:
        raise SSBValidationError(name, "ingen rader (no rows)")
    codes = set(kommune["kommune_code"])
    missing = sorted(set(cat.kommune_codes) - codes)
    extra = sorted(codes - set(cat.kommune_codes))
    if missing or extra:
        raise SSBValidationError(
            name,
            f"{len(codes)} kommuner, forventet de 357 i 2024-strukturen "
            f"(mangler {missing[:3]}, ukjente {extra[:3]})",
        )
    alternatives = set(kommune["alternative"])
    if not REQUIRED.issubset(alternatives):
        raise SSBValidationError(name, f"mangler alternativ {sorted(REQUIRED - alternatives)}")
    years = sorted(kommune["year"].unique())
    if years != list(range(years[0], years[-1] + 1)):
        raise SSBValidationError(name, f"årene henger ikke sammen (years not contiguous): {years}")
    expected = len(codes) * len(alternatives) * len(years)
    if len(kommune) != expected:
        raise SSBValidationError(name, f"{len(kommune)} rader, forventet {expected}")
    if len(national) != len(alternatives) * len(years) * len(AGE_GROUPS):
        raise SSBValidationError(NATIONAL_TABLE, "ufullstendig tabell (incomplete age groups)")
    if len(norway) != len(national):
        raise SSBValidationError(NATIONAL_TABLE, "SSBs tall for hele landet mangler")

    key = ["alternative", "year", "age_group"]
    both = national.merge(norway, on=key, suffixes=("", "_ssb"))
    group_gap = _relative_gap(both["persons"], both["persons_ssb"])
    totals = both.groupby(["alternative", "year"])[["persons", "persons_ssb"]].sum()
    total_gap = _relative_gap(totals["persons"], totals["persons_ssb"])
    if total_gap.max() > TOTAL_TOLERANCE or group_gap.max() > GROUP_TOLERANCE:
        alt, year = total_gap.idxmax()
        raise SSBValidationError(
            name,
            f"kommunene summerer ikke til landet (sums inconsistent): {alt} {year} "
            f"{totals.loc[(alt, year), 'persons']:.0f} mot {totals.loc[(alt, year), 'persons_ssb']:.0f}",
        )
    _check_base_year(totals["persons"], years[0])


def _check_base_year(totals: pd.Series, first_year: int) -> None:
    """The first year equals the registered 1 January population of that year, if we have it."""
    try:
        pop = read_table("population", columns=["year", "persons"])
    except TableNotFoundError:
        return
    registered = float(pop.loc[pop["year"] == first_year, "persons"].sum())
    if not registered:
        return
    for alt, persons in totals.xs(first_year, level="year").items():
        if abs(persons - registered) > BASE_TOLERANCE * registered:
            raise SSBValidationError(
                KOMMUNE_TABLE,
                f"{alt} {first_year}: {persons:.0f} personer, registrert {registered:.0f}",
            )


def to_store(kommune: pd.DataFrame, national: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The docs/CONTRACTS.md schemas: year int16, persons float64, stable row order."""
    k = kommune.astype({"kommune_code": str, "alternative": str, "year": "int16"})
    k = k.astype({"persons": "float64"}).sort_values(
        ["kommune_code", "alternative", "year"], ignore_index=True
    )
    order = {label: i for i, (label, _, _) in enumerate(AGE_GROUPS)}
    n = national.astype({"alternative": str, "year": "int16", "age_group": str})
    n = n.astype({"persons": "float64"})
    n = n.sort_values(
        ["alternative", "year", "age_group"],
        key=lambda s: s.map(order) if s.name == "age_group" else s,
    ).reset_index(drop=True)
    return k[["kommune_code", "alternative", "year", "persons"]], n[
        ["alternative", "year", "age_group", "persons"]
    ]


def prepare(client: SSBClient, cat: Catalogue, make: Callable[..., object]) -> list:
    """Fetch, reduce and validate 14746; returns both tables (``make(name, frame, meta)``)."""
    decl = TABLES[TABLE_ID]
    info = client.table_info(TABLE_ID)
    try:
        selection = decl.selection(client.metadata(TABLE_ID))
    except ValueError as exc:  # SSB changed the table's dimensions or codes
        raise SSBValidationError(KOMMUNE_TABLE, str(exc)) from exc
    offered = set(selection["Region"])
    absent = sorted(set(cat.kommune_codes) - offered)
    if absent or NORWAY not in offered:
        raise SSBValidationError(
            KOMMUNE_TABLE, f"SSB tilbyr ikke alle kommuner (f.eks. {absent[:3]}) og landet"
        )
    pieces = [reduce_piece(raw) for raw in client.iter_data(TABLE_ID, selection)]
    kommune, national, norway = combine(pieces)
    validate(kommune, national, norway, cat)
    kommune, national = to_store(kommune, national)
    fetched_at = datetime.now(UTC).replace(microsecond=0).isoformat()
    common = {
        "publisher": "Statistisk sentralbyrå (SSB)",
        "ssb_tables": [TABLE_ID],
        "ssb_updated": {TABLE_ID: info.updated},
        "ssb_label": info.label,
        "upstream": f"{query.BASE_URL} PxWebApi {client.api}",
        "licence": NLOD,
        "source": "live",
        "fetched_at": fetched_at,
        "query": dumps_query(selection),
        "cells": query.cell_count(selection),
        "alternatives": sorted(set(kommune["alternative"])),
    }
    return [
        make(
            KOMMUNE_TABLE,
            kommune,
            {
                "table": KOMMUNE_TABLE,
                "title": f"{decl.title}: kommunetall, begge kjønn og alle aldre (SSB {TABLE_ID}, live)",
                "note": "Kommune totals of 14746 (Kjonn and Alder summed), 2024 structure.",
                **common,
            },
        ),
        make(
            NATIONAL_TABLE,
            national,
            {
                "table": NATIONAL_TABLE,
                "title": f"{decl.title}: hele landet etter aldersgruppe (SSB {TABLE_ID}, live)",
                "note": "The 357 kommuner of 14746 summed to Norway by ten age groups; "
                "checked against SSB's national row.",
                **common,
            },
        ),
    ]
