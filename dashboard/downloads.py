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


def table_csv(df: pd.DataFrame, variant: str = "standard", lang: str = "nb") -> str | bytes:
    """A full table: standard keeps machine codes, the Excel variant is for people."""
    if variant == "excel_no":
        from dashboard import excel_csv

        return to_csv(excel_csv.plain_table(df, lang), variant)
    return to_csv(df, variant)


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
    from urllib.parse import urlencode

    from dash import get_relative_path

    params = {"region": region, "scenario": scenario, "variant": variant, **(extra or {})}
    return get_relative_path(f"/last-ned/{table}.csv") + "?" + urlencode(params)


def full_table(
    table: str, code: str | None, scenario: str, assumptions: Any = None
) -> pd.DataFrame:
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
        return model.needs(scenario, assumptions).frame(region)
    if table == "indicators":
        return model.needs(scenario, assumptions).indicators(region)
    raise ValueError(f"unknown table {table!r}")
