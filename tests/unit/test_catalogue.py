"""Kommune catalogue: 357 kommuner, 15 fylker, name search with Sami forms, harmonisation."""

from __future__ import annotations

import pandas as pd
import pytest

from data_sources import UnknownRegionError, catalogue


def test_counts_and_population():
    cat = catalogue()
    assert len(cat.kommuner) == 357
    assert len(cat.fylker) == 15
    assert cat.norway.population_2026 == 5_627_400
    assert cat.get("03").population_2026 == 728_714
    assert sum(f.population_2026 for f in cat.fylker) == 5_627_400


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("oslo", "0301"),
        ("TROMSØ", "5501"),
        ("karasjok", "5610"),
        ("kárášjohka", "5610"),
        ("porsangu", "5622"),
        ("evenassi", "1853"),
        ("5001", "5001"),
        ("bodo", "1804"),
    ],
)
def test_search_is_case_and_accent_insensitive(query, code):
    assert code in [r.code for r in catalogue().search(query)]


def test_unknown_code_gives_suggestions():
    with pytest.raises(UnknownRegionError) as err:
        catalogue().get("Trondhem")
    assert "5001" in str(err.value)
    with pytest.raises(UnknownRegionError, match="9999"):
        catalogue().get("9999")


def test_harmonise_merges_historic_codes():
    cat = catalogue()
    # Old Stavanger (1103), Finnøy (1141) and Rennesøy (1142) became 1103 in 2020.
    df = pd.DataFrame(
        {"kommune_code": ["1103", "1141", "1142", "0301"], "year": 2015, "persons": [10, 20, 30, 5]}
    )
    out = cat.harmonise(df, ["persons"]).set_index("kommune_code")["persons"]
    assert out.to_dict() == {"0301": 5, "1103": 60}
    # A split kommune is shared by weight: old Ålesund 1504 (2010) -> 1508 and 1580, 50/50.
    split = cat.harmonise(
        pd.DataFrame({"kommune_code": ["1504"], "year": [2010], "persons": [100]}), ["persons"]
    )
    assert split.set_index("kommune_code")["persons"].to_dict() == {"1508": 50.0, "1580": 50.0}


def test_kommuner_in_region():
    cat = catalogue()
    assert cat.kommuner_in("0301") == ["0301"]
    assert len(cat.kommuner_in("0")) == 357
    assert sum(len(cat.kommuner_in(f.code)) for f in cat.fylker) == 357
