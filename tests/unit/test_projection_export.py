"""The shared CSV writer."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from projections.export import to_csv


@pytest.fixture
def frame():
    return pd.DataFrame(
        {
            "kommune": ["0301", '=HYPERLINK("x")', "+1", "-2", "@SUM(A1)", "\tx", "\rx", "Ås"],
            "persons": [1.5, 2.25, 3.0, 4.0, 5.0, 6.0, 7.0, 1234.75],
        }
    )


def test_standard_variant_round_trips(frame):
    text = to_csv(frame)
    assert not text.startswith("\ufeff")
    assert text.splitlines()[0] == "kommune,persons"
    back = pd.read_csv(io.StringIO(text), dtype={"kommune": str})
    assert list(back["persons"]) == list(frame["persons"])
    assert back["kommune"].iloc[0] == "0301"  # leading zero kept
    assert back["kommune"].iloc[-1] == "Ås"


def test_excel_variant_uses_semicolon_decimal_comma_and_bom(frame):
    text = to_csv(frame, "excel_no")
    assert text.startswith("\ufeff")
    lines = text.lstrip("\ufeff").splitlines()
    assert lines[0] == "kommune;persons"
    assert lines[1] == "0301;1,5"
    assert "1234,75" in text
    back = pd.read_csv(io.StringIO(text.lstrip("\ufeff")), sep=";", decimal=",", dtype=str)
    assert back["persons"].iloc[-1] == "1234.75" or back["persons"].iloc[-1] == "1234,75"


@pytest.mark.parametrize("variant", ["standard", "excel_no"])
def test_formula_injection_is_neutralised(frame, variant):
    sep = "," if variant == "standard" else ";"
    back = pd.read_csv(
        io.StringIO(to_csv(frame, variant).lstrip("\ufeff")),
        sep=sep,
        dtype=str,
        keep_default_na=False,
    )
    cells = list(back["kommune"])
    for raw, cell in zip(frame["kommune"], cells, strict=True):
        if raw[0] in "=+-@\t\r":
            assert cell.startswith("'") and cell[1:] == raw
        else:
            assert cell == raw
    # numbers are never prefixed, even negative ones
    neg = pd.DataFrame({"x": [-1.5]})
    assert to_csv(neg).splitlines()[1] == "-1.5"


def test_unknown_variant():
    with pytest.raises(ValueError, match="Ukjent CSV-variant"):
        to_csv(pd.DataFrame({"a": [1]}), "tsv")
