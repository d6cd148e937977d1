"""Norwegian number formatting: space thousands separator, decimal comma, real minus sign."""

from __future__ import annotations

import math

from dashboard.text.formatting import (
    PLOTLY_SEPARATORS,
    fmt_change,
    fmt_int,
    fmt_number,
    fmt_percent,
    pct_change,
)

NBSP = "\u00a0"


def test_thousands_and_decimals_nb():
    assert fmt_int(1234567) == f"1{NBSP}234{NBSP}567"
    assert fmt_number(12.345, "nb", 1) == "12,3"
    assert fmt_number(1234.5, "nn", 1) == f"1{NBSP}234,5"


def test_english():
    assert fmt_number(1234.5, "en", 1) == "1,234.5"
    assert fmt_percent(62, "en") == "62%"


def test_percent_and_change():
    assert fmt_percent(62.4) == f"62{NBSP}%"
    assert fmt_percent(12, sign=True) == f"+12{NBSP}%"
    assert fmt_percent(-3.2, sign=True) == f"−3{NBSP}%"
    assert fmt_percent(0.2, sign=True) == f"±0{NBSP}%"
    assert fmt_change(162, 100) == f"+62{NBSP}%"
    assert pct_change(150, 100) == 50


def test_negative_uses_minus_sign_and_no_negative_zero():
    assert fmt_number(-1500) == f"−1{NBSP}500"
    assert fmt_number(-0.01, "nb", 1) == "0,0"


def test_missing_values_render_as_dash():
    assert fmt_number(None) == "–"
    assert fmt_number(math.nan) == "–"
    assert fmt_percent(math.nan) == "–"
    assert math.isnan(pct_change(5, 0))


def test_plotly_separators():
    assert PLOTLY_SEPARATORS["nb"][0] == ","
    assert PLOTLY_SEPARATORS["en"] == ".,"
