"""Local table store: Parquet files with their metadata inside, swapped in by a manifest.

Two layouts share one reader:

* **versioned** (the live store): every write puts each new table in a file of its own
  (``population.g000004-1a2b3c.parquet``), fsyncs it and the folder, then replaces one small
  ``manifest.json`` naming the file of every table. That ``os.replace`` is the only step that
  changes what readers see, so ``write_many`` is all or nothing even under ``kill -9``: a crash
  before it leaves the old manifest (all old tables), after it the new one (all new). Files
  of the previous generation are kept for readers that are mid-read; older ones, and orphans
  of a crashed write, are removed by the next write. Writers hold an ``fcntl`` lock.
* **flat** (the embedded snapshot, built once and committed): ``<table>.parquet`` per table,
  each replaced by its own atomic ``os.replace``. A folder without a manifest reads as flat,
  so a live store written before the manifest existed still reads and is migrated by its
  next write.

Keeping the metadata in the Parquet footer (not a side-car file) means a table and its
metadata always travel together.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import secrets
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

try:  # POSIX only; without it concurrent writers are not serialised (documented limitation)
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

# Arrow's default allocator (mimalloc) keeps freed pages for reuse, so a long-running dashboard
# worker held ~60 MB more than it used; the system allocator gives them back (with glibc's
# malloc_trim, see dashboard.data.model.release_memory). An explicit ARROW_DEFAULT_MEMORY_POOL wins.
if not os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
    pa.set_memory_pool(pa.system_memory_pool())

log = logging.getLogger(__name__)
T = TypeVar("T")

META_KEY = b"kommunefram"
SNAPSHOT_DIR = Path(__file__).resolve().parent / "snapshot"
STORE_ENV = "KOMMUNEFRAM_STORE"
MANIFEST = "manifest.json"
LOCK_FILE = ".lock"
MANIFEST_FORMAT = 1
# Test hook for the crash tests: when set to "staged" (new files complete, manifest not yet
# replaced) or "committed" (manifest replaced, old files not yet removed), ``write_many``
# prints "paused:<stage>" on stdout and sleeps, so a test can SIGKILL it exactly there.
PAUSE_ENV = "KOMMUNEFRAM_STORE_TEST_PAUSE"
READ_ERRORS = (OSError, pa.ArrowException)  # corrupt, truncated or unreadable Parquet


class TableNotFoundError(KeyError):
    """Raised when neither the live store nor the snapshot has the table."""

    def __str__(self) -> str:  # KeyError quotes its message; we want plain text
        return str(self.args[0]) if self.args else "table not found"


class StoreCorruptError(OSError):
    """The store's manifest is not the JSON we wrote (damaged outside of our writes)."""


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


def _fsync_dir(path: Path) -> None:
    """Make renames and new files in ``path`` durable (POSIX; a no-op elsewhere)."""
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _pause_for_test(stage: str) -> None:
    if os.environ.get(PAUSE_ENV) == stage:
        print(f"paused:{stage}", flush=True)
        time.sleep(600)


class Store:
    """A folder of Parquet tables; readable and writable all or nothing (see module doc)."""

    def __init__(self, root: Path | str, versioned: bool | None = None) -> None:
        self.root = Path(root)
        # The package snapshot stays flat (committed files with stable names); others version.
        self.versioned = versioned if versioned is not None else self.root.resolve() != SNAPSHOT_DIR
        self._manifest_seen: tuple[tuple[int, int, int], dict[str, Any]] | None = None
        self._flat_seen: tuple[tuple[int, int], dict[str, str]] | None = None
        self._pinned: dict[str, str] | None = None

    # -- reading -------------------------------------------------------------------------

    def _manifest(self) -> dict[str, Any] | None:
        """The current manifest (re-read only when the file changed), None for a flat folder."""
        path = self.root / MANIFEST
        try:
            st = path.stat()
        except FileNotFoundError:
            return None
        key = (st.st_ino, st.st_mtime_ns, st.st_size)
        if self._manifest_seen and self._manifest_seen[0] == key:
            return self._manifest_seen[1]
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(doc.get("tables"), dict):
                raise ValueError("no 'tables'")
        except (ValueError, AttributeError) as exc:
            raise StoreCorruptError(f"lageret {self.root} har en skadet {MANIFEST}: {exc}") from exc
        self._manifest_seen = (key, doc)
        return doc

    def _flat_files(self) -> dict[str, str]:
        """``<name>.parquet`` files, listed again only when the folder changed (its mtime)."""
        try:
            st = self.root.stat()
        except FileNotFoundError:
            return {}
        key = (st.st_ino, st.st_mtime_ns)
        if self._flat_seen and self._flat_seen[0] == key:
            return self._flat_seen[1]
        found = {
            p.stem: p.name for p in self.root.glob("*.parquet") if "." not in p.stem and p.is_file()
        }
        self._flat_seen = (key, found)
        return found

    def view(self) -> Store:
        """This store pinned at its current generation: several tables read through the view
        all come from one write. (Its files outlive one further write, not two.)"""
        pinned = Store(self.root, self.versioned)
        pinned._pinned = self.files()
        return pinned

    def files(self) -> dict[str, str]:
        """Table name -> file name in ``root``, as readers see the store right now."""
        if self._pinned is not None:
            return dict(self._pinned)
        manifest = self._manifest()
        return dict(manifest["tables"]) if manifest is not None else self._flat_files()

    def path(self, name: str) -> Path:
        return self.root / self.files().get(name, f"{name}.parquet")

    def has(self, name: str) -> bool:
        return name in self.files() and self.path(name).is_file()

    def tables(self) -> list[str]:
        return sorted(self.files())

    def generation(self) -> int:
        """How many versioned writes this store has seen (0 for a flat folder)."""
        manifest = self._manifest()
        return int(manifest.get("generation", 0)) if manifest else 0

    def current(self, name: str, use: Callable[[Path], T]) -> T:
        """``use(path)`` on the table's file; if a writer removed it between our reading the
        manifest and opening the file (two commits in that gap), once more on the new one."""
        for attempt in range(2):
            try:
                return use(self.path(name))
            except FileNotFoundError:
                if attempt or self._pinned is not None:
                    raise
                self._manifest_seen = None
        raise AssertionError("unreachable")

    def read(self, name: str, columns: list[str] | None = None) -> pd.DataFrame:
        if not self.has(name):
            raise TableNotFoundError(f"table '{name}' is not in the store at {self.root}")
        return self.current(name, lambda p: pq.read_table(p, columns=columns)).to_pandas()

    def meta(self, name: str) -> dict[str, Any]:
        schema = self.current(name, pq.read_schema)
        raw = (schema.metadata or {}).get(META_KEY)
        return json.loads(raw) if raw else {}

    def info(self, name: str) -> TableInfo:
        md = self.current(name, pq.read_metadata)
        return TableInfo(name, self.path(name), md.num_rows, self.meta(name))

    # -- writing -------------------------------------------------------------------------

    def write(self, name: str, df: pd.DataFrame, meta: dict[str, Any]) -> Path:
        """Write one table atomically (see ``write_many``)."""
        return self.write_many([(name, df, meta)])[0]

    def write_many(self, tables: list[tuple[str, pd.DataFrame, dict[str, Any]]]) -> list[Path]:
        """Write several tables all or nothing: readers see every old table or every new one.

        A failure while writing (disk full, bad column type, ``kill -9``) leaves the store as
        it was; the temp files of a failed write are removed at once, those of a killed one
        by the next write.
        """
        for name, _, _ in tables:
            if not name or "." in name or "/" in name or os.sep in name:
                raise ValueError(f"ugyldig tabellnavn {name!r}")
        self.root.mkdir(parents=True, exist_ok=True)
        if not self.versioned:
            return self._write_flat(tables)
        with self._locked():
            self._manifest_seen = None
            current = self._manifest()
            old = dict(current["tables"]) if current else self._flat_files()
            previous = dict(current.get("previous") or {}) if current else {}
            self._remove_unreferenced(set(old.values()) | set(previous.values()))
            generation = (int(current.get("generation", 0)) if current else 0) + 1
            staged: dict[str, str] = {}
            tmp_manifest: Path | None = None
            try:
                for name, df, meta in tables:
                    staged[name] = self._stage(name, df, meta, generation)
                _fsync_dir(self.root)
                _pause_for_test("staged")
                doc = {
                    "format": MANIFEST_FORMAT,
                    "generation": generation,
                    "written_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
                    "tables": dict(sorted({**old, **staged}.items())),
                    "previous": dict(sorted(old.items())),
                }
                tmp_manifest = self._write_manifest_tmp(doc)
                os.replace(tmp_manifest, self.root / MANIFEST)  # the commit point
            except BaseException:
                for file in staged.values():
                    (self.root / file).unlink(missing_ok=True)
                if tmp_manifest is not None:
                    tmp_manifest.unlink(missing_ok=True)
                raise
            _pause_for_test("committed")
            try:  # the write has succeeded; a failed clean-up must not say otherwise
                _fsync_dir(self.root)
                self._remove_unreferenced(set(doc["tables"].values()) | set(old.values()))
            except OSError as exc:
                log.warning("kunne ikke rydde gamle filer i %s: %s", self.root, exc)
        return [self.root / staged[name] for name, _, _ in tables]

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """One writer at a time (readers never lock: they follow the manifest)."""
        if fcntl is None:  # pragma: no cover - Windows
            yield
            return
        with open(self.root / LOCK_FILE, "a+b") as fh:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh.fileno(), fcntl.LOCK_UN)

    def _remove_unreferenced(self, keep: set[str]) -> None:
        """Delete table files and temp files no manifest we keep refers to."""
        for p in self.root.iterdir():
            if p.name in keep or not p.is_file():
                continue
            if p.suffix in (".parquet", ".tmp"):
                p.unlink(missing_ok=True)

    def _write_manifest_tmp(self, doc: dict[str, Any]) -> Path:
        fd, tmp = tempfile.mkstemp(prefix=".manifest.", suffix=".tmp", dir=self.root)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(doc, fh, ensure_ascii=False, indent=1)
                fh.write("\n")
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o644)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return Path(tmp)

    def _stage(self, name: str, df: pd.DataFrame, meta: dict[str, Any], generation: int) -> str:
        """The table in a new, fsynced file of its own; returns its file name."""
        path = self.root / f"{name}.g{generation:06d}-{secrets.token_hex(3)}.parquet"
        try:
            self._write_parquet(path, df, meta, exclusive=True)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return path.name

    def _write_flat(self, tables: list[tuple[str, pd.DataFrame, dict[str, Any]]]) -> list[Path]:
        """Flat layout: every temp file complete before the first per-table ``os.replace``."""
        staged: list[tuple[str, str]] = []
        try:
            for name, df, meta in tables:
                fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=self.root)
                os.close(fd)
                staged.append((tmp, name))
                self._write_parquet(Path(tmp), df, meta, exclusive=False)
            for tmp, name in staged:
                os.replace(tmp, self.root / f"{name}.parquet")
        except BaseException:
            for tmp, _ in staged:
                Path(tmp).unlink(missing_ok=True)
            raise
        _fsync_dir(self.root)
        return [self.root / f"{name}.parquet" for _, name in staged]

    @staticmethod
    def _write_parquet(path: Path, df: pd.DataFrame, meta: dict[str, Any], exclusive: bool) -> None:
        table = pa.Table.from_pandas(df, preserve_index=False)
        md = dict(table.schema.metadata or {})
        md[META_KEY] = json.dumps(meta, ensure_ascii=False, default=str).encode()
        table = table.replace_schema_metadata(md)
        with open(path, "xb" if exclusive else "wb") as fh:
            pq.write_table(table, fh, compression="zstd", compression_level=19)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(path, 0o644)


_STORES: dict[str, Store] = {}


def _store_at(root: Path) -> Store:
    """One Store per folder, so its manifest is parsed once per change, not once per read."""
    key = str(root)
    if key not in _STORES:
        _STORES[key] = Store(root)
    return _STORES[key]


def snapshot_store() -> Store:
    return _store_at(SNAPSHOT_DIR)


def live_store() -> Store:
    return _store_at(default_store_dir())
