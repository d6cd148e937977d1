""" "CSV for Excel (norsk)": the same rows as the standard CSV, made readable for a person.

The standard CSV keeps machine-friendly codes (``persons``, ``sex`` = 1/2, ``forsorgerbrok_...``)
for R and Python. The Excel variant has column names in the user's language with the unit in
the header, codes spelled out (Menn/Kvinner, sector and measure names) and sensible rounding:
persons in whole numbers, ratios and årsverk to one decimal. Written by the same
``projections.export.to_csv`` (semicolon, decimal comma, UTF-8 with BOM).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.data import regions
from dashboard.text.i18n import t
from projections.needs import label

# columns counted in persons: whole numbers
PERSON_COLUMNS = (
    "persons",
    "population",
    "births",
    "deaths",
    "net_migration",
    "change",
    "lower",
    "median",
    "upper",
)
# columns whose values are codes that get a readable name
_LABEL_KIND = {"sector": "sector", "measure": "measure", "indicator": "indicator"}


def _needs_label(kind: str, key: str, lang: str) -> str:
    return str(label(kind, key, lang))


def _round_value(df: pd.DataFrame) -> pd.Series:
    """The tidy ``value`` column rounded by its unit: persons whole, everything else 1 decimal.

    The column mixes units, so whole persons are written as "2386,0" there; columns that hold
    only persons are written as whole numbers ("2386").
    """
    v = df["value"].astype(float)
    if "unit" not in df:
        return v.round(1)
    whole = df["unit"].astype(str).isin(["personer", "persons"])
    return pd.Series(np.where(whole, v.round(0), v.round(1)), index=df.index)


def plain_table(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A full tidy table (population, components, services, indicators) for people."""
    out = df.copy()
    if "value" in out:
        out["value"] = _round_value(out)
    for c in PERSON_COLUMNS:
        if c in out and out[c].dtype.kind == "f":
            out[c] = whole(out[c])
    if "sex" in out:
        names = {0: t("ux.csv.both", lang), 1: t("sex.male", lang), 2: t("sex.female", lang)}
        out["sex"] = out["sex"].map(lambda s: names.get(int(s), str(s)))
    for col, kind in _LABEL_KIND.items():
        if col in out:
            codes = out[col].unique()
            out[col] = out[col].map({c: _needs_label(kind, str(c), lang) for c in codes})
    if "usage" in out:  # usage path of the needs tables: "today" / "trend" spelled out
        out["usage"] = out["usage"].map(lambda u: t(f"needs.usage.{u}", lang))
    if "kommune" in out:
        codes = out["kommune"].unique()
        names = {c: regions.region_name(str(c), lang) for c in codes}
        out.insert(list(out.columns).index("kommune") + 1, "name", out["kommune"].map(names))
    return out.rename(columns={c: column_title(c, lang) for c in out.columns})


def whole(values: pd.Series) -> pd.Series:
    """Rounded to whole numbers and written without ",0" (missing values stay empty)."""
    return values.round(0).astype("Int64")


def column_title(col: str, lang: str) -> str:
    """Column header with its unit, e.g. "Personer (antall)"; unknown columns keep their name."""
    for key in (f"ux.csv.col.{col}", f"needs.col.{col}", f"unc.col.{col}"):
        text = t(key, lang)
        if text != key:
            return text
    return col


def plain_chart(
    df: pd.DataFrame,
    lang: str,
    headers: dict[str, str] | None = None,
    decimals: dict[str, int] | None = None,
) -> pd.DataFrame:
    """A chart's frame with the same headers as its table on the page and the same rounding."""
    headers = headers or {}
    decimals = decimals or {}
    out = df.copy()
    for c in out.columns:
        if "year" in str(c) or out[c].dtype.kind != "f":
            continue
        d = decimals.get(c, 0)
        out[c] = whole(out[c]) if d == 0 else out[c].round(d)
    return out.rename(columns={c: headers.get(c, column_title(str(c), lang)) for c in out.columns})
