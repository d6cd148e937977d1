"""Query helpers: v2 parameters, v0 bodies and splitting under the cell limit."""

from __future__ import annotations

import itertools
import json
import math
import random
from pathlib import Path

import pytest

from data_sources.ssb import query
from data_sources.ssb.tables import AGES_0_105, TABLES

FIX = Path(__file__).parents[1] / "fixtures" / "jsonstat"


def test_v2_data_url_and_params():
    sel = {"Region": ["0301", "4601"], "Kjonn": ["1", "2"], "Tid": ["2026"]}
    assert query.v2_data_url("07459") == "https://data.ssb.no/api/pxwebapi/v2/tables/07459/data"
    assert query.v2_data_params(sel) == {
        "lang": "no",
        "outputFormat": "json-stat2",
        "valueCodes[Region]": "0301,4601",
        "valueCodes[Kjonn]": "1,2",
        "valueCodes[Tid]": "2026",
    }


def test_v0_body_matches_a_real_recorded_query():
    """The Fram tool's 07459 query (all filters "item") is exactly what v0_body builds."""
    recorded = json.loads((FIX / "ssb_v0_query_07459_region_3101.json").read_text())
    selection = {q["code"]: q["selection"]["values"] for q in recorded["query"]}
    assert selection["Alder"] == list(AGES_0_105)
    assert query.v0_body(selection) == recorded
    assert query.v0_table_url("07459") == "https://data.ssb.no/api/v0/no/table/07459"


def cells(selection: dict[str, list[str]]) -> set[tuple[str, ...]]:
    return set(itertools.product(*selection.values()))


def assert_partition(selection: dict[str, list[str]], max_cells: int) -> list[dict]:
    chunks = query.split_selection(selection, max_cells)
    assert all(query.cell_count(c) <= max_cells for c in chunks)
    assert all(list(c) == list(selection) for c in chunks)  # dimension order kept
    assert sum(query.cell_count(c) for c in chunks) == query.cell_count(selection)
    covered = set().union(*(cells(c) for c in chunks))
    assert covered == cells(selection)  # with the count above: every cell exactly once
    return chunks


def test_small_query_is_not_split():
    sel = {"A": ["1", "2"], "B": ["x"]}
    assert query.split_selection(sel, 2) == [sel]


def test_split_cuts_one_dimension_evenly_when_enough():
    sel = {"Region": [f"{i:04d}" for i in range(10)], "Tid": ["2025", "2026"]}
    chunks = assert_partition(sel, 8)  # 20 cells -> 3 chunks of Region 4/3/3
    assert [len(c["Region"]) for c in chunks] == [4, 3, 3]


def test_split_recurses_when_no_single_dimension_suffices():
    sel = {"A": list("abcd"), "B": list("xyz"), "C": list("123")}
    chunks = assert_partition(sel, 2)
    assert len(chunks) == 4 * 3 * 2


def test_full_07459_refresh_splits_under_ssb_limit():
    recorded = json.loads((FIX / "ssb_v0_query_07459_municip_bysex_2026.json").read_text())
    regions = recorded["query"][0]["selection"]["values"]  # 951 real codes
    sel = {
        "Region": regions,
        "Kjonn": ["1", "2"],
        "Alder": list(AGES_0_105),
        "ContentsCode": ["Personer1"],
        "Tid": [str(y) for y in range(2005, 2027)],
    }
    chunks = query.split_selection(sel, query.DEFAULT_MAX_CELLS)
    assert query.cell_count(sel) == 951 * 2 * 106 * 22
    assert len(chunks) == math.ceil(query.cell_count(sel) / query.DEFAULT_MAX_CELLS)
    assert all(query.cell_count(c) <= query.DEFAULT_MAX_CELLS for c in chunks)
    assert sum(query.cell_count(c) for c in chunks) == query.cell_count(sel)


def test_split_property_many_random_shapes():
    rng = random.Random(20261123)
    for _ in range(400):
        n_dims = rng.randint(1, 5)
        sel = {f"D{d}": [f"v{i}" for i in range(rng.randint(1, 7))] for d in range(n_dims)}
        limit = rng.randint(1, query.cell_count(sel) + 3)
        assert_partition(sel, limit)


def test_split_rejects_impossible_requests():
    with pytest.raises(ValueError, match="at least 1"):
        query.split_selection({"A": ["1"]}, 0)
    with pytest.raises(ValueError, match="no values"):
        query.split_selection({"A": ["1"], "B": []}, 10)


def test_declared_07459_selection_from_metadata():
    offered = {
        "Region": ["0", "03", "0301", "1201", "2111", "Rest"],
        "Kjonn": ["1", "2"],
        "Alder": list(AGES_0_105),
        "ContentsCode": ["Personer1", "Personer"],
        "Tid": [str(y) for y in range(1986, 2027)],
    }
    sel = TABLES["07459"].selection(offered)
    assert sel["Region"] == ["0301", "1201", "2111"]  # kommune codes only, historic kept
    assert sel["Tid"][0] == "2005" and sel["Tid"][-1] == "2026"
    assert sel["ContentsCode"] == ["Personer1"] and len(sel["Alder"]) == 106
    with pytest.raises(ValueError, match="Personer1"):
        TABLES["07459"].selection({**offered, "ContentsCode": ["Personer"]})


def test_split_for_url_keeps_every_get_short_and_covers_the_query():
    recorded = json.loads((FIX / "ssb_v0_query_07459_municip_bysex_2026.json").read_text())
    sel = {
        "Region": recorded["query"][0]["selection"]["values"],
        "Kjonn": ["1", "2"],
        "Alder": list(AGES_0_105),
        "ContentsCode": ["Personer1"],
        "Tid": ["2025", "2026"],
    }
    assert query.query_length(sel) > query.MAX_QUERY_CHARS
    parts = query.split_for_url(sel)
    assert all(query.query_length(p) <= query.MAX_QUERY_CHARS for p in parts)
    assert sorted(r for p in parts for r in p["Region"]) == sorted(sel["Region"])
    assert all(p["Alder"] == sel["Alder"] for p in parts)  # only Region needed cutting
    rng = random.Random(7)
    for _ in range(100):
        shape = {f"D{d}": [f"c{i}" for i in range(rng.randint(1, 6))] for d in range(3)}
        parts = query.split_for_url(shape, max_chars=rng.randint(60, 160))
        assert sum(query.cell_count(p) for p in parts) == query.cell_count(shape)
        assert set().union(*(cells(p) for p in parts)) == cells(shape)
