"""Reading tables: the live store first, the embedded snapshot when the live store lacks a
table or cannot read it (logged once per table and problem), each table cached as Arrow per
file version. Writing and the store's layout are ``data_sources.store``."""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from data_sources.store import READ_ERRORS, Store, TableNotFoundError, live_store, snapshot_store

log = logging.getLogger("data_sources.store")  # one logger for the store, read and write


_warned: set[tuple[str, str, str]] = set()


def _warn_unreadable(store: Store, name: str, exc: BaseException) -> None:
    """Log once per table and problem: a broken live table falls back to the snapshot."""
    key = (str(store.root), name, str(exc)[:200])
    if key not in _warned:
        _warned.add(key)
        log.warning(
            "Tabellen '%s' i lageret %s kan ikke leses (%s); bruker snapshotet i stedet.",
            name,
            store.root,
            str(exc).splitlines()[0] if str(exc) else type(exc).__name__,
        )


def _readable_live(name: str) -> Store | None:
    """The live store if it has ``name`` with a readable footer, else None (with a warning)."""
    live = live_store()
    try:
        if not live.has(name):
            return None
        path = live.path(name)
        st = path.stat()
        _check_footer(str(path), st.st_mtime_ns, st.st_size)
    except READ_ERRORS as exc:  # StoreCorruptError (bad manifest) is an OSError too
        _warn_unreadable(live, name, exc)
        return None
    return live


@lru_cache(maxsize=256)
def _check_footer(path: str, mtime_ns: int, size: int) -> None:
    """Raise if the file's Parquet footer is unreadable; a success is cached per version."""
    pq.read_schema(path)


def resolve(name: str) -> Store:
    """The store that serves ``name``: the live store if it has it readable, else the snapshot."""
    live = _readable_live(name)
    if live is not None:
        return live
    snap = snapshot_store()
    if snap.has(name):
        return snap
    raise TableNotFoundError(
        f"table '{name}' is neither in the live store ({live_store().root}) nor in the snapshot"
    )


@lru_cache(maxsize=64)
def _read_cached(path: str, mtime_ns: int) -> pa.Table:
    """The whole table as Arrow, once per file version, with string columns kept
    dictionary-encoded (the population table's kommune codes: ~13 MB as strings, ~3 MB as
    dictionary indices). Caching the whole table, not one copy per column selection, keeps
    one copy even though several readers ask for different columns."""
    schema = pq.read_schema(path)
    strings = [
        f.name for f in schema if pa.types.is_string(f.type) or pa.types.is_large_string(f.type)
    ]
    return pq.read_table(path, read_dictionary=strings or None)


def _read_whole(store: Store, name: str) -> pa.Table:
    return store.current(name, lambda p: _read_cached(str(p), p.stat().st_mtime_ns))


def read_table(name: str, columns: list[str] | None = None) -> pd.DataFrame:
    """Read a table (live store first, then the embedded snapshot). Cached per file version.

    A live table that cannot be read (corrupt or truncated Parquet, damaged manifest) is
    logged as a warning and the snapshot's version is served instead.

    Returns a fresh DataFrame, so callers may modify it freely. Dtypes are those of a plain
    Parquet read: dictionary-encoded string columns are decoded back to strings first.
    """
    store = resolve(name)
    try:
        table = _read_whole(store, name)
    except READ_ERRORS as exc:
        snap = snapshot_store()
        if store is snap or not snap.has(name):
            raise
        _warn_unreadable(store, name, exc)
        table = _read_whole(snap, name)
    if columns:
        table = table.select(list(columns))
    for i, field in enumerate(table.schema):
        if pa.types.is_dictionary(field.type):
            plain = field.with_type(field.type.value_type)
            table = table.set_column(i, plain, table.column(i).cast(field.type.value_type))
    return table.to_pandas()


def table_meta(name: str) -> dict[str, Any]:
    return resolve(name).meta(name)
