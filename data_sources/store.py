"""Local table store: one Parquet file per table, metadata inside the file.

Keeping the metadata in the Parquet footer (not a side-car file) means a table and its
metadata are replaced together by a single ``os.replace``: a refresh that fails at any
point leaves the previous file byte-identical.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

# Arrow's default allocator (mimalloc) keeps freed pages for reuse, so a long-running dashboard
# worker held ~60 MB more than it used; the system allocator gives them back (with glibc's
# malloc_trim, see dashboard.model.release_memory). An explicit ARROW_DEFAULT_MEMORY_POOL wins.
if not os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
    pa.set_memory_pool(pa.system_memory_pool())

META_KEY = b"kommunefram"
SNAPSHOT_DIR = Path(__file__).resolve().parent / "snapshot"
STORE_ENV = "KOMMUNEFRAM_STORE"


class TableNotFoundError(KeyError):
    """Raised when neither the live store nor the snapshot has the table."""

    def __str__(self) -> str:  # KeyError quotes its message; we want plain text
        return str(self.args[0]) if self.args else "table not found"


def default_store_dir() -> Path:
    """The user's writable store (live refreshes land here, never in the package)."""
    env = os.environ.get(STORE_ENV)
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "kommunefram" / "store"


@dataclass(frozen=True)
class TableInfo:
    name: str
    path: Path
    rows: int
    meta: dict[str, Any]


class Store:
    """A folder of ``<table>.parquet`` files; readable and (atomically) writable."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    def path(self, name: str) -> Path:
        return self.root / f"{name}.parquet"

    def has(self, name: str) -> bool:
        return self.path(name).is_file()

    def tables(self) -> list[str]:
        if not self.root.is_dir():
            return []
        return sorted(p.stem for p in self.root.glob("*.parquet"))

    def read(self, name: str, columns: list[str] | None = None) -> pd.DataFrame:
        if not self.has(name):
            raise TableNotFoundError(f"table '{name}' is not in the store at {self.root}")
        return pq.read_table(self.path(name), columns=columns).to_pandas()

    def meta(self, name: str) -> dict[str, Any]:
        schema = pq.read_schema(self.path(name))
        raw = (schema.metadata or {}).get(META_KEY)
        return json.loads(raw) if raw else {}

    def info(self, name: str) -> TableInfo:
        md = pq.read_metadata(self.path(name))
        return TableInfo(name, self.path(name), md.num_rows, self.meta(name))

    def write(self, name: str, df: pd.DataFrame, meta: dict[str, Any]) -> Path:
        """Write atomically: temp file in the same folder, fsync, then ``os.replace``."""
        return self.write_many([(name, df, meta)])[0]

    def write_many(self, tables: list[tuple[str, pd.DataFrame, dict[str, Any]]]) -> list[Path]:
        """Write several tables: every temp file is complete before the first is swapped in.

        A failure while writing (disk full, bad column type) then leaves all old files
        byte-identical; only the final ``os.replace`` calls remain, and those are atomic.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        staged: list[tuple[str, str]] = []
        try:
            for name, df, meta in tables:
                staged.append((self._stage(name, df, meta), name))
            for tmp, name in staged:
                os.replace(tmp, self.path(name))
        except BaseException:
            for tmp, _ in staged:
                Path(tmp).unlink(missing_ok=True)
            raise
        return [self.path(name) for _, name in staged]

    def _stage(self, name: str, df: pd.DataFrame, meta: dict[str, Any]) -> str:
        """The table with its metadata in a fsynced temp file next to its final place."""
        table = pa.Table.from_pandas(df, preserve_index=False)
        md = dict(table.schema.metadata or {})
        md[META_KEY] = json.dumps(meta, ensure_ascii=False, default=str).encode()
        table = table.replace_schema_metadata(md)
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=self.root)
        try:
            with os.fdopen(fd, "wb") as fh:
                pq.write_table(table, fh, compression="zstd", compression_level=19)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o644)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return tmp


def snapshot_store() -> Store:
    return Store(SNAPSHOT_DIR)


def live_store() -> Store:
    return Store(default_store_dir())


def resolve(name: str) -> Store:
    """The store that serves ``name``: the live store if it has it, else the snapshot."""
    live = live_store()
    if live.has(name):
        return live
    snap = snapshot_store()
    if snap.has(name):
        return snap
    raise TableNotFoundError(
        f"table '{name}' is neither in the live store ({live.root}) nor in the snapshot"
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


def read_table(name: str, columns: list[str] | None = None) -> pd.DataFrame:
    """Read a table (live store first, then the embedded snapshot). Cached per file version.

    Returns a fresh DataFrame, so callers may modify it freely. Dtypes are those of a plain
    Parquet read: dictionary-encoded string columns are decoded back to strings first.
    """
    path = resolve(name).path(name)
    table = _read_cached(str(path), path.stat().st_mtime_ns)
    if columns:
        table = table.select(list(columns))
    for i, field in enumerate(table.schema):
        if pa.types.is_dictionary(field.type):
            plain = field.with_type(field.type.value_type)
            table = table.set_column(i, plain, table.column(i).cast(field.type.value_type))
    return table.to_pandas()


def table_meta(name: str) -> dict[str, Any]:
    return resolve(name).meta(name)
