"""CSV downloads, always written by ``projections.export.to_csv``.

Using the projection package's writer for every download means a dashboard CSV and the CLI's
``python -m projections project ...`` output are byte-for-byte the same, and formula
injection is neutralised in one place.

The all-kommuner tables (up to 1.9 million rows, ~50 MB of CSV) are written once per
(table, scenario, variant) in chunks of kommuner, gzip-compressed into a cache directory shared
by all workers, and then served from that file: a repeated download costs no CPU and a first
one never holds the whole CSV in memory.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import os
import tempfile
import threading
from collections.abc import Iterator
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pandas as pd
from dash import get_relative_path

from dashboard.data import model, needs_cache
from dashboard.files import excel_csv
from data_sources import catalogue, table_meta
from projections.export import VARIANTS as EXPORT_VARIANTS
from projections.export import to_csv as export_to_csv
from projections.export import to_csv_bytes
from projections.intervals import project_intervals

log = logging.getLogger("kommunefram")

VARIANTS = EXPORT_VARIANTS
TABLES = ("population", "components", "services", "indicators", "intervals")
INTERVAL_LEVELS = (80, 95)  # both levels in one file, as `intervals --level 80 --level 95`
CACHE_ENV = "KOMMUNEFRAM_CACHE"
CHUNK_KOMMUNER = 40  # kommuner per piece of the kommune-major tables
GZIP_LEVEL = 1  # 50 MB of CSV in ~1 s; level 6 saves 15 % more in 4x the time
CHUNK_ROWS = 200_000  # rows per piece of the population table (~6 MB of CSV text)
_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


def to_csv(df: pd.DataFrame, variant: str = "standard") -> str:
    return export_to_csv(df, variant=variant)


def table_csv(df: pd.DataFrame, variant: str = "standard", lang: str = "nb") -> str | bytes:
    """A full table: standard keeps machine codes, the Excel variant is for people."""
    if variant == "excel_no":
        return to_csv(excel_csv.plain_table(df, lang), variant)
    return to_csv(df, variant)


# -- full tidy tables ------------------------------------------------------------------------
CHANGED_SUFFIX = "_endrede-forutsetninger"


def filename(table: str, region: str, scenario: str, variant: str, changed: bool = False) -> str:
    """File name; says so when the numbers use changed assumptions (tables that use them)."""
    suffix = "_excel" if variant == "excel_no" else ""
    mark = CHANGED_SUFFIX if changed and table in ASSUMPTION_TABLES else ""
    return f"kommunefram_{table}_{region}_{scenario}{mark}{suffix}.csv"


# Tables computed by the needs model (population and components do not depend on assumptions).
ASSUMPTION_TABLES = ("services", "indicators")


def table_href(
    table: str,
    region: str,
    scenario: str,
    variant: str,
    extra: dict[str, str] | None = None,
) -> str:
    """URL of the full-table download served by app.py (``extra``: assumptions, language)."""
    params = {"region": region, "scenario": scenario, "variant": variant, **(extra or {})}
    return get_relative_path(f"/last-ned/{table}.csv") + "?" + urlencode(params)


def full_table(
    table: str, code: str | list[str] | None, scenario: str, assumptions: Any = None
) -> pd.DataFrame:
    """A full tidy table for one region, a list of kommuner, or every kommune (None).

    Built by the projection/needs APIs themselves, so the population table equals the CLI's
    ``python -m projections project --kommune <code> --scenario <scenario>`` output (and the
    intervals table ``python -m projections intervals ... --level 80 --level 95``).
    """
    region: Any = code if code is not None else "all"
    if table == "intervals":
        regions = [code] if isinstance(code, str) else code or list(catalogue().kommune_codes)
        return project_intervals(scenario, level=list(INTERVAL_LEVELS), regions=regions)
    if table == "population":
        return model.projection(scenario).to_frame(region)
    if table == "components":
        return model.projection(scenario).components_frame(region)
    if table in ("services", "indicators"):
        result = needs_cache.needs(scenario, assumptions)
        codes = [region] if isinstance(region, str) else region
        frames = [result.frame(c) if table == "services" else result.indicators(c) for c in codes]
        return pd.concat(frames, ignore_index=True)
    raise ValueError(f"unknown table {table!r}")


def region_csv(table: str, code: str, scenario: str, variant: str) -> bytes:
    """One region's table as CSV bytes (small: at most a fylke or Norway)."""
    return to_csv_bytes(full_table(table, code, scenario), variant)


def all_kommuner_chunks(table: str, scenario: str, variant: str) -> Iterator[bytes]:
    """The all-kommuner CSV in pieces; their concatenation equals
    ``to_csv(full_table(table, None, scenario), variant)`` byte for byte (header and BOM only
    in the first piece; pandas formats each value on its own).

    The population table is year-major, so it is built once and written in row slices; the
    others are kommune-major and are built in groups of kommuner.
    """
    if table in ("population", "intervals"):  # year- or level-major: built once, sliced
        df = full_table(table, None, scenario)
        parts: Iterator[pd.DataFrame] = (
            df.iloc[i : i + CHUNK_ROWS] for i in range(0, len(df), CHUNK_ROWS)
        )
    else:
        codes = list(catalogue().kommune_codes)
        parts = (
            full_table(table, codes[i : i + CHUNK_KOMMUNER], scenario)
            for i in range(0, len(codes), CHUNK_KOMMUNER)
        )
    for n, part in enumerate(parts):
        data = to_csv_bytes(part, variant)
        if n:
            data = data.split(b"\r\n", 1)[1]  # header (and BOM) only once
        yield data


def cache_dir() -> Path:
    """Where the all-kommuner files live (shared by the workers of one machine)."""
    root = os.environ.get(CACHE_ENV)
    base = Path(root) if root else Path(tempfile.gettempdir()) / "kommunefram-cache"
    return base / "downloads" / data_version()


def data_version() -> str:
    """A token that changes when the data or the code version changes (cache key)."""
    try:
        code_version = version("kommunefram")
    except PackageNotFoundError:
        code_version = "dev"
    metas = {name: table_meta(name) for name in ("population", "care_panel")}
    text = json.dumps([code_version, metas], sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _lock(key: str) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault(key, threading.Lock())


def all_kommuner_file(table: str, scenario: str, variant: str) -> Path:
    """Path of the gzip-compressed all-kommuner CSV, written on first use (atomically)."""
    if table not in TABLES or variant not in VARIANTS:
        raise ValueError("unknown table or variant")
    scenario = model.check_scenario(scenario)
    folder = cache_dir()
    path = folder / f"{table}_{scenario}_{variant}.csv.gz"
    if path.exists():
        return path
    with _lock(str(path)):
        if path.exists():
            return path
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".gz")
        try:
            with (
                os.fdopen(fd, "wb") as raw,
                gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, compresslevel=GZIP_LEVEL) as gz,
            ):
                for chunk in all_kommuner_chunks(table, scenario, variant):
                    gz.write(chunk)
            os.replace(tmp, path)  # another worker may win the race: same bytes
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        log.info("wrote download cache %s (%.1f MB)", path.name, path.stat().st_size / 1e6)
    return path


def iter_gunzip(path: Path, block: int = 1 << 16) -> Iterator[bytes]:
    """The decompressed bytes of a cached file, in blocks (for clients without gzip)."""
    with gzip.open(path, "rb") as f:
        while data := f.read(block):
            yield data


def iter_file(path: Path, block: int = 1 << 16) -> Iterator[bytes]:
    with open(path, "rb") as f:
        while data := f.read(block):
            yield data
