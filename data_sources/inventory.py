"""What the store holds: one line per table for ``python -m data_sources info``.

Reads only Parquet footers (row counts, ``year`` min/max statistics, provenance metadata),
so listing every table costs milliseconds; the check line reads three population columns.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow.parquet as pq

from data_sources.store import (
    Store,
    StoreCorruptError,
    TableNotFoundError,
    live_store,
    snapshot_store,
)
from data_sources.store_read import read_table, resolve


@dataclass(frozen=True)
class TableLine:
    name: str
    rows: int
    years: str
    ssb_tables: str
    ssb_updated: str
    source: str
    fetched_at: str


def norwegian_int(n: int) -> str:
    """5627400 -> '5 627 400' (Norwegian thousands separator)."""
    return f"{n:,}".replace(",", " ")


def _year_range(path: str) -> str:
    md = pq.ParquetFile(path).metadata
    names = [md.schema.column(i).name for i in range(md.num_columns)]
    if "year" not in names:
        return "-"
    col = names.index("year")
    lo, hi = [], []
    for rg in range(md.num_row_groups):
        stats = md.row_group(rg).column(col).statistics
        if stats is None or not stats.has_min_max:
            return "?"
        lo.append(stats.min)
        hi.append(stats.max)
    return f"{min(lo)}-{max(hi)}" if lo else "-"


def table_lines() -> list[TableLine]:
    """Every table in use: the live store's version where it has one, else the snapshot's."""
    live, snap = live_store(), snapshot_store()
    lines = []
    try:
        live_names = set(live.tables())
    except StoreCorruptError:  # damaged manifest: everything is served from the snapshot
        live_names = set()
    for name in sorted(live_names | set(snap.tables())):
        try:
            store: Store = resolve(name)  # an unreadable live table: the snapshot's (warned)
        except TableNotFoundError:
            continue
        info = store.info(name)
        meta = info.meta
        updated = meta.get("ssb_updated") or {}
        if isinstance(updated, dict):
            updated = ", ".join(sorted({str(v)[:10] for v in updated.values()}))
        lines.append(
            TableLine(
                name=name,
                rows=info.rows,
                years=_year_range(str(info.path)),
                ssb_tables=", ".join(meta.get("ssb_tables") or []) or "-",
                ssb_updated=str(updated or "-"),
                source=str(meta.get("source", "?")),
                fetched_at=str(meta.get("fetched_at") or "-")[:19],
            )
        )
    return lines


def check_line() -> str:
    """Known published totals, recomputed from whatever population table is in use."""
    try:
        pop = read_table("population", columns=["year", "kommune_code", "persons"])
    except TableNotFoundError:
        return "Ingen befolkningstabell i lageret (no population table)."
    year = int(pop["year"].max())
    latest = pop[pop["year"] == year]
    total = int(latest["persons"].sum())
    oslo = int(latest.loc[latest["kommune_code"] == "0301", "persons"].sum())
    n = latest["kommune_code"].nunique()
    return (
        f"Norge 1.1.{year}: {norwegian_int(total)}, Oslo (0301): {norwegian_int(oslo)}, "
        f"{n} kommuner"
    )


def render() -> str:
    header = ("tabell", "rader", "år", "SSB-tabell", "SSB oppdatert", "kilde", "hentet")
    rows = [header] + [
        (
            t.name,
            norwegian_int(t.rows),
            t.years,
            t.ssb_tables,
            t.ssb_updated,
            t.source,
            t.fetched_at,
        )
        for t in table_lines()
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    text = [
        "  ".join(
            cell.rjust(w) if i == 1 else cell.ljust(w)
            for i, (cell, w) in enumerate(zip(r, widths, strict=True))
        ).rstrip()
        for r in rows
    ]
    return "\n".join([*text, "", check_line()])
