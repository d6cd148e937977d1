"""CSV downloads, always written by ``projections.export.to_csv``.

Using the projection package's writer for every download means a dashboard CSV and the CLI's
``python -m projections project ...`` output are byte-for-byte the same format, and formula
injection is neutralised in one place.
"""

from __future__ import annotations

import importlib
from typing import Any

import pandas as pd
from dash import dcc

from dashboard import chartdata, model

VARIANTS = ("standard", "excel_no")


def to_csv(df: pd.DataFrame, variant: str = "standard") -> str | bytes:
    export = importlib.import_module("projections.export")
    return export.to_csv(df, variant=variant)


def send(df: pd.DataFrame, stem: str, variant: str = "standard") -> dict[str, Any]:
    data = to_csv(df, variant)
    suffix = "_excel" if variant == "excel_no" else ""
    filename = f"{stem}{suffix}.csv"
    if isinstance(data, bytes):
        return dcc.send_bytes(data, filename)
    if variant == "excel_no" and not data.startswith("\ufeff"):
        data = "\ufeff" + data
    return dcc.send_bytes(data.encode("utf-8"), filename)


def chart_download(key: str, variant: str = "standard") -> dict[str, Any]:
    stem, df = chartdata.from_key(key)
    return send(df, stem, variant)


# -- full tidy tables ------------------------------------------------------------------------
TABLES = ("population", "components", "services", "indicators")


def filename(table: str, region: str, scenario: str, variant: str) -> str:
    suffix = "_excel" if variant == "excel_no" else ""
    return f"kommunefram_{table}_{region}_{scenario}{suffix}.csv"


def table_href(table: str, region: str, scenario: str, variant: str) -> str:
    """URL of the full-table download served by app.py."""
    from urllib.parse import urlencode

    from dash import get_relative_path

    query = urlencode({"region": region, "scenario": scenario, "variant": variant})
    return get_relative_path(f"/last-ned/{table}.csv") + "?" + query


def full_table(table: str, code: str | None, scenario: str) -> pd.DataFrame:
    """A full tidy table for one region, or for every kommune when ``code`` is None.

    Built by the projection/needs APIs themselves, so the population table equals the CLI's
    ``python -m projections project --kommune <code> --scenario <scenario>`` output.
    """
    region = code or "all"
    if table == "population":
        return model.projection(scenario).to_frame(region)
    if table == "components":
        return model.projection(scenario).components_frame(region)
    if table == "services":
        return model.needs(scenario).frame(region)
    if table == "indicators":
        return model.needs(scenario).indicators(region)
    raise ValueError(f"unknown table {table!r}")
