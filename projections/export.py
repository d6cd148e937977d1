"""The one CSV writer shared by the CLI and the dashboard (so their files are identical).

``standard``: comma separator, dot decimal, UTF-8 without BOM; both variants use CRLF
line ends (RFC 4180), which also makes the csv writer quote cells containing CR or LF.
``excel_no``: semicolon separator, decimal comma, UTF-8 with BOM (what Norwegian Excel opens
correctly by double-click).
Text cells starting with = + - @ tab or CR get a leading apostrophe so a spreadsheet does not
evaluate them as formulas (CSV/formula injection).
"""

from __future__ import annotations

import io

import pandas as pd

VARIANTS = ("standard", "excel_no")
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """Prefix an apostrophe to text that a spreadsheet would treat as a formula."""
    if isinstance(value, str) and value.startswith(_DANGEROUS):
        return "'" + value
    return value


def _text_columns(df: pd.DataFrame) -> list[str]:
    return [
        c
        for c in df.columns
        if pd.api.types.is_object_dtype(df[c]) or pd.api.types.is_string_dtype(df[c])
    ]


def to_csv(df: pd.DataFrame, variant: str = "standard") -> str:
    """Serialise ``df`` as CSV text in one of ``VARIANTS``; numbers are written as given.

    Returns a ``str``; for ``excel_no`` it starts with the BOM character (U+FEFF), so writing
    it with ``encoding="utf-8"`` yields a UTF-8-with-BOM file.
    """
    if variant not in VARIANTS:
        raise ValueError(f"Ukjent CSV-variant {variant!r}; gyldige: {', '.join(VARIANTS)}")
    out = df.copy()
    for c in _text_columns(out):
        # map the distinct values only: a 2-million-row frame has a few hundred of them
        values = out[c].dropna().unique()
        risky = {
            v: neutralise(v) for v in values if isinstance(v, str) and v.startswith(_DANGEROUS)
        }
        if risky:
            out[c] = out[c].replace(risky)
    # column names can be user-controlled too (e.g. pivoted region names)
    out.columns = [neutralise(str(c)) for c in out.columns]
    buf = io.StringIO()
    if variant == "standard":
        out.to_csv(buf, index=False, sep=",", decimal=".", lineterminator="\r\n")
        return buf.getvalue()
    out.to_csv(buf, index=False, sep=";", decimal=",", lineterminator="\r\n")
    return "\ufeff" + buf.getvalue()


def to_parquet_bytes(df: pd.DataFrame) -> bytes:
    """Parquet bytes for ``--format parquet`` (text cells left as they are: not a spreadsheet)."""
    buf = io.BytesIO()
    df.to_parquet(buf, index=False)
    return buf.getvalue()


__all__ = ["VARIANTS", "neutralise", "to_csv", "to_parquet_bytes"]
