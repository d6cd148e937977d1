"""The Om page's tables as data: where every store table comes from (publisher, SSB tables,
update and fetch dates, licence) and the population backtest by origin."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dashboard.text import backtest_readable, fmt_date, licence_text, t
from data_sources import TableNotFoundError, table_meta

ROOT = Path(__file__).resolve().parents[2]
BACKTEST_COLUMNS = (
    "base_year",
    "horizon",
    "method",
    "measure",
    "n_kommuner",
    "mape",
    "medape",
    "wape",
    "within_5pct",
    "norway_error_pct",
)
SOURCE_TABLES = (
    "population",
    "kommuner",
    "care_panel",
    "home_care_hours",
    "service_figures",
    "ssb_projection_fylke",
    "ssb_projection_national",
    "ssb_projection_kommune",
    "ssb_projection_national_agegroup",
    "hmd_mx",
    "hfd_asfr",
    "geo_kommuner",
)


def source_rows(lang: str) -> list[tuple[str, str, str, str, str, str]]:
    """(data, publisher, SSB tables, SSB's update, fetched, licence) per table in the store."""
    rows = []
    for name in SOURCE_TABLES:
        try:
            meta = table_meta(name)
        except TableNotFoundError:
            continue  # a table this store does not have (e.g. an optional SSB table)
        tables = ", ".join(meta.get("ssb_tables") or []) or "–"
        updated = meta.get("ssb_updated") or {}
        upd = (
            ", ".join(fmt_date(v, lang) for v in sorted({str(v)[:10] for v in updated.values()}))
            if isinstance(updated, dict)
            else fmt_date(updated, lang)
        )
        rows.append(
            (
                t(f"om.src.{name}", lang),
                meta.get("publisher", "–"),
                tables,
                upd or "–",
                fmt_date(meta.get("fetched_at", ""), lang) or "–",
                licence_text(meta.get("licence", "–"), lang),
            )
        )
    return rows


def backtest_frame(lang: str) -> pd.DataFrame | None:
    """The backtest by origin (``python -m projections backtest``), in words; None without."""
    path = ROOT / "projections" / "data" / "backtest_results.csv"
    if not path.is_file():
        return None
    df = pd.read_csv(path)
    df = df[[c for c in BACKTEST_COLUMNS if c in df.columns]]
    return backtest_readable(df, lang)  # Norwegian method and age-group names
