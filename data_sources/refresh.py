"""Live refresh: fetch from SSB, convert to the store schema, validate, then write atomically.

Every table is fetched, converted and validated before anything is written, so any failure
(offline, 429 after retries, 5xx, timeout, malformed JSON-stat, failed validation, a result
that would shrink what the store holds) leaves the store byte-identical. Only then are the
tables swapped in, all together (``Store.write_many``: one manifest replace).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import pandas as pd

from data_sources import projection_14746, refresh_guard
from data_sources.catalogue import Catalogue, catalogue
from data_sources.ssb import query
from data_sources.ssb.client import SSBClient, dumps_query
from data_sources.ssb.errors import SSBValidationError
from data_sources.ssb.tables import NLOD, refreshable
from data_sources.store import Store, live_store

__all__ = ["NLOD", "Prepared", "prepare", "refresh", "targets"]
Converter = Callable[[pd.DataFrame, Catalogue], pd.DataFrame]


@dataclass(frozen=True)
class Prepared:
    """A converted, validated table waiting to be written."""

    name: str
    frame: pd.DataFrame
    meta: dict


def population_from_07459(raw: pd.DataFrame, cat: Catalogue) -> pd.DataFrame:
    """07459 cells -> ``population`` (year, kommune_code, sex, age, persons, exact), 2024 codes.

    Cells without a number and status "." (code not in use that year) are absent, not zero;
    any other missing cell ("..", ":") would be people we cannot count, so it fails. Codes outside the 2024 structure and its mapping (Svalbard 2111, "Rest" 9999, ...) must be
    empty or zero; anything else would lose people, so it fails validation instead.
    """
    name = "population"
    unexplained = raw["value"].isna() & (raw["status"] != ".").fillna(True)
    if unexplained.any():
        symbols = raw.loc[unexplained, "status"].fillna("ingen").value_counts().to_dict()
        raise SSBValidationError(name, f"celler uten tall (missing cells), status: {symbols}")
    df = raw[raw["value"].notna()]
    df = pd.DataFrame(
        {
            "year": df["Tid"].astype(int),
            "kommune_code": df["Region"].astype(str),
            "sex": df["Kjonn"].astype(int),
            "age": df["Alder"].str.rstrip("+").astype(int),
            "persons": df["value"].to_numpy(float),
        }
    )
    if (df["persons"] < 0).any():
        raise SSBValidationError(name, "negative persontall (negative persons)")
    if not np.array_equal(df["persons"], np.round(df["persons"])):
        raise SSBValidationError(name, "persontall som ikke er heltall (non-integer persons)")
    if not set(df["sex"]) <= {1, 2} or df["age"].min() < 0 or df["age"].max() > 105:
        raise SSBValidationError(name, "uventede koder for kjønn eller alder (sex/age codes)")

    mapping = cat.mapping
    known = set(mapping["original_code"]) | set(cat.kommune_codes)
    outside = ~df["kommune_code"].isin(known)
    if df.loc[outside, "persons"].sum() != 0:
        codes = sorted(set(df.loc[outside & (df["persons"] > 0), "kommune_code"]))
        raise SSBValidationError(name, f"folk i koder utenfor 2024-strukturen: {codes[:5]}")
    df = df[~outside]

    out = cat.harmonise(df, ["persons"])
    before = df.groupby("year")["persons"].sum()
    after = out.groupby("year")["persons"].sum().reindex(before.index, fill_value=0)
    lost = (before - after).abs()
    if (lost > 1e-6).any():
        year = int(lost.idxmax())
        raise SSBValidationError(
            name, f"{lost.max():.0f} personer falt bort i harmonisering ({year})"
        )

    approx = _approximate_cells(df, mapping)
    out["persons"] = np.round(out["persons"]).astype("int32")
    out = out.astype({"year": "int16", "sex": "int8", "age": "int8"})
    keys = pd.MultiIndex.from_frame(out[["year", "kommune_code"]])
    out["exact"] = ~keys.isin(approx)
    return out[["year", "kommune_code", "sex", "age", "persons", "exact"]].sort_values(
        ["year", "kommune_code", "sex", "age"], ignore_index=True
    )


def _approximate_cells(df: pd.DataFrame, mapping: pd.DataFrame) -> pd.MultiIndex:
    """(year, 2024 code) pairs that received people through an approximate (split) weight."""
    used = df.loc[df["persons"] > 0, ["year", "kommune_code"]].drop_duplicates()
    m = mapping[mapping["approximate"]].rename(columns={"original_code": "kommune_code"})
    hit = used.merge(m, on="kommune_code")
    hit = hit[(hit["year"] >= hit["first_year"]) & (hit["year"] <= hit["last_year"])]
    return pd.MultiIndex.from_frame(
        hit[["year", "code_2024"]].drop_duplicates().astype({"year": "int16"})
    )


def validate_population(df: pd.DataFrame, cat: Catalogue) -> None:
    """Complete grid: every 2024 kommune, both sexes, ages 0-105, each year, no negatives."""
    name = "population"
    years = sorted(df["year"].unique())
    if not years:
        raise SSBValidationError(name, "ingen rader (no rows)")
    missing = sorted(set(cat.kommune_codes) - set(df["kommune_code"]))
    if missing:
        raise SSBValidationError(name, f"mangler {len(missing)} kommuner, f.eks. {missing[:3]}")
    expected = len(years) * len(cat.kommune_codes) * 2 * 106
    if len(df) != expected or df.duplicated(["year", "kommune_code", "sex", "age"]).any():
        raise SSBValidationError(name, f"{len(df)} rader, forventet {expected} (incomplete grid)")
    if (df["persons"] < 0).any():
        raise SSBValidationError(name, "negative persontall (negative persons)")


def population_national_from_07459(raw: pd.DataFrame, cat: Catalogue) -> pd.DataFrame:
    """07459 Region 0 -> ``population_national`` (year, sex 0/1/2, age, persons)."""
    name = "population_national"
    df = raw[raw["Region"] == "0"]
    if df.empty or df["value"].isna().any():
        raise SSBValidationError(name, "mangler tall for hele landet (missing national cells)")
    if (df["value"] < 0).any() or not np.array_equal(df["value"], np.round(df["value"])):
        raise SSBValidationError(name, "negative eller ikke-hele persontall")
    by_sex = pd.DataFrame(
        {
            "year": df["Tid"].astype(int),
            "sex": df["Kjonn"].astype(int),
            "age": df["Alder"].str.rstrip("+").astype(int),
            "persons": df["value"].to_numpy(float),
        }
    )
    both = by_sex.groupby(["year", "age"], as_index=False)["persons"].sum().assign(sex=0)
    out = pd.concat([by_sex, both], ignore_index=True)
    out = out.astype({"year": "int16", "sex": "int8", "age": "int8", "persons": "int32"})
    return out[["year", "sex", "age", "persons"]].sort_values(
        ["year", "sex", "age"], ignore_index=True
    )


def validate_population_national(df: pd.DataFrame, cat: Catalogue) -> None:
    """Complete grid: every year, sex 0/1/2 and age 0-105 exactly once."""
    name = "population_national"
    expected = df["year"].nunique() * 3 * 106
    if not expected or len(df) != expected or df.duplicated(["year", "sex", "age"]).any():
        raise SSBValidationError(name, f"{len(df)} rader, forventet {expected} (incomplete grid)")
    if set(df["sex"]) != {0, 1, 2} or (df["persons"] < 0).any():
        raise SSBValidationError(name, "uventede kjønnskoder eller negative tall")


CONVERTERS: dict[str, tuple[Converter, Callable[[pd.DataFrame, Catalogue], None]]] = {
    "population": (population_from_07459, validate_population),
    "population_national": (population_national_from_07459, validate_population_national),
}


def targets(name: str) -> list[str]:
    """Store tables to refresh for a store table name ("population") or SSB number ("07459")."""
    by_store = refreshable()
    if name in by_store:
        return [name]
    fed = [store for store, decl in by_store.items() if decl.table_id == name]
    if fed:
        return fed
    raise ValueError(
        f"Kan ikke oppdatere '{name}' fra SSB; mulige tabeller: "
        + ", ".join(f"{k} ({t.table_id})" for k, t in by_store.items())
    )


def prepare(name: str, client: SSBClient, cat: Catalogue) -> Prepared:
    """Fetch, convert and validate one table; nothing is written."""
    store_name, decl = name, refreshable()[name]
    info = client.table_info(decl.table_id)
    try:
        selection = decl.selection(client.metadata(decl.table_id))
    except ValueError as exc:  # SSB changed the table's dimensions or codes
        raise SSBValidationError(store_name, str(exc)) from exc
    raw = client.data(decl.table_id, selection)
    convert, validate = CONVERTERS[store_name]
    frame = convert(raw, cat)
    validate(frame, cat)
    meta = {
        "table": store_name,
        "title": f"{decl.title} (SSB {decl.table_id}, live)",
        "publisher": "Statistisk sentralbyrå (SSB)",
        "ssb_tables": [decl.table_id],
        "ssb_updated": {decl.table_id: info.updated},
        "ssb_label": info.label,
        "upstream": f"{query.BASE_URL} PxWebApi {client.api}",
        "licence": NLOD,
        "note": decl.note,
        "source": "live",
        "fetched_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "query": dumps_query(selection),
        "cells": query.cell_count(selection),
    }
    return Prepared(store_name, frame, meta)


# SSB tables whose one fetch feeds several store tables, written together.
GROUPED = {projection_14746.TABLE_ID: projection_14746.prepare}


def refresh(
    tables: Sequence[str] | None = None,
    client: SSBClient | None = None,
    store: Store | None = None,
) -> list[Prepared]:
    """Refresh tables (default: all refreshable) into the live store; all or nothing."""
    names = list(tables) if tables else list(refreshable())
    wanted = [t for n in names for t in targets(n)]  # reject unknown names before any request
    client = client or SSBClient()
    store = store or live_store()
    cat = catalogue()
    done: dict[str, Prepared] = {}
    for name in dict.fromkeys(wanted):
        if name in done:
            continue
        table_id = refreshable()[name].table_id
        if table_id in GROUPED:
            for p in GROUPED[table_id](client, cat, Prepared):
                done[p.name] = p
        else:
            done[name] = prepare(name, client, cat)
    prepared = list(done.values())
    refresh_guard.guard([(p.name, p.frame) for p in prepared], store)
    store.write_many([(p.name, p.frame, p.meta) for p in prepared])
    return prepared
