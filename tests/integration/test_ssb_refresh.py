"""Live refresh of `population` from 07459 against a fake SSB, and all-or-nothing failures.

The fake SSB answers from the real 07459 structure: the table record is the recorded v2
response, the 951 region codes are those of a real recorded 07459 query (historic codes,
Svalbard 2111 and "Rest" 9999 included), and the numbers for 2024-structure kommuner are the
snapshot's published 2025-2026 figures. Cells for codes not in use get null with status ".",
as SSB does. Only two years are served, to keep the test small; that part is synthetic.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pandas as pd
import pytest
import requests
import responses
from store_hashes import tree_hash

from data_sources import catalogue, read_table, table_meta
from data_sources.refresh import population_from_07459, refresh
from data_sources.ssb import SSBClient, Transport
from data_sources.ssb.errors import (
    SSBFormatError,
    SSBHTTPError,
    SSBTimeoutError,
    SSBUnavailableError,
    SSBValidationError,
)
from data_sources.ssb.query import cell_count
from data_sources.ssb.tables import AGES_0_105
from data_sources.store import Store, snapshot_store

FIX = Path(__file__).parents[1] / "fixtures" / "jsonstat"
V2 = "https://data.ssb.no/api/pxwebapi/v2"
YEARS = ["2025", "2026"]
MAX_CELLS = 150_000


def real_region_codes() -> list[str]:
    recorded = json.loads((FIX / "ssb_v0_query_07459_municip_bysex_2026.json").read_text())
    return ["0", "03", *recorded["query"][0]["selection"]["values"]]


def dims_07459() -> dict[str, list[str]]:
    return {
        "Region": real_region_codes(),
        "Kjonn": ["1", "2"],
        "Alder": list(AGES_0_105),
        "ContentsCode": ["Personer1"],
        "Tid": YEARS,
    }


def jsonstat2(selection: dict[str, list[str]], values: list, status: dict[str, str]) -> str:
    return json.dumps(
        {
            "version": "2.0",
            "class": "dataset",
            "label": "07459: Befolkning, etter region, kjønn, alder, statistikkvariabel og år",
            "source": "Statistisk sentralbyrå",
            "updated": "2026-02-25T07:00:00Z",
            "id": list(selection),
            "size": [len(v) for v in selection.values()],
            "dimension": {
                dim: {
                    "label": dim.lower(),
                    "category": {
                        "index": {c: i for i, c in enumerate(codes)},
                        "label": {c: c for c in codes},
                    },
                }
                for dim, codes in selection.items()
            },
            "value": values,
            "status": status,
            "role": {"time": ["Tid"], "metric": ["ContentsCode"]},
        }
    )


@functools.cache
def published() -> dict[tuple[str, str, str, int], int]:
    """Snapshot persons for the served years, keyed like the fake's cells."""
    pop = snapshot_store().read("population")
    pop = pop[pop["year"].astype(str).isin(YEARS)]
    nat = snapshot_store().read("population_national")
    nat = nat[nat["year"].astype(str).isin(YEARS) & (nat["sex"] > 0)]
    return {
        (str(r.year), r.kommune_code, str(r.sex), r.age): int(r.persons)
        for r in pop.itertuples(index=False)
    } | {(str(r.year), "0", str(r.sex), r.age): int(r.persons) for r in nat.itertuples(index=False)}


class FakeSSB:
    """Serves 07459 info, metadata, config and data (split requests built per query)."""

    def __init__(self, rsps: responses.RequestsMock) -> None:
        self.known = dict(published())
        self.tweak: dict[tuple[str, str, str, int], int | None] = {}
        self.data_requests: list[dict[str, list[str]]] = []
        info = (FIX / "ssb_v2_table_07459_info.json").read_text(encoding="utf-8")
        rsps.get(f"{V2}/tables/07459", body=info)
        rsps.get(f"{V2}/tables/07459/metadata", body=jsonstat2(dims_07459(), [], {}))
        rsps.get(f"{V2}/config", json={"apiVersion": "2.0.0", "maxDataCells": MAX_CELLS})
        rsps.add_callback(responses.GET, f"{V2}/tables/07459/data", callback=self.data)

    def data(self, request: requests.PreparedRequest):
        params = parse_qs(urlsplit(request.url).query)
        sel = {
            dim: params[f"valueCodes[{dim}]"][0].split(",")
            for dim in ("Region", "Kjonn", "Alder", "ContentsCode", "Tid")
        }
        self.data_requests.append(sel)
        values, status = [], {}
        for i, (region, sex, age, _, year) in enumerate(
            (r, s, a, c, y)
            for r in sel["Region"]
            for s in sel["Kjonn"]
            for a in sel["Alder"]
            for c in sel["ContentsCode"]
            for y in sel["Tid"]
        ):
            key = (year, region, sex, int(age.rstrip("+")))
            if key in self.tweak:
                values.append(self.tweak[key])
            elif key in self.known:
                values.append(self.known[key])
            elif region in ("2111", "9999"):
                values.append(0)
            else:
                values.append(None)
                status[str(i)] = "."
        return 200, {"Content-Type": "application/json"}, jsonstat2(sel, values, status)


@pytest.fixture
def live(tmp_path, monkeypatch) -> Store:
    """A live store in tmp holding earlier tables (so 'unchanged' means something).

    They hold 2025 only: the fake serves 2025-2026, and a refresh may not drop years the
    store has (that case is tested below against 2005-2026).
    """
    root = tmp_path / "store"
    monkeypatch.setenv("KOMMUNEFRAM_STORE", str(root))
    store = Store(root)
    national = pd.DataFrame({"year": [2025], "sex": [0], "age": [0], "persons": [1]})
    store.write("population_national", national, {"source": "live"})
    earlier = pd.DataFrame(
        {
            "year": [2025],
            "kommune_code": ["0301"],
            "sex": [1],
            "age": [0],
            "persons": [1],
            "exact": [True],
        }
    )
    store.write("population", earlier, {"source": "live", "fetched_at": "2026-01-01T00:00:00"})
    return store


def client() -> SSBClient:
    return SSBClient(Transport(limiter=None, retries=2))


@responses.activate
def test_refresh_writes_live_population_readable_by_read_table(live):
    fake = FakeSSB(responses.mock)
    done = refresh(["population"], client=client())
    assert [p.name for p in done] == ["population"]

    # split under SSB's limit, and the pieces together asked for the whole query once
    assert len(fake.data_requests) > 1
    assert all(cell_count(s) <= MAX_CELLS for s in fake.data_requests)
    asked = [r for s in fake.data_requests for r in s["Region"]]
    kommune_codes = [c for c in real_region_codes() if len(c) == 4]
    assert sorted(asked) == sorted(kommune_codes)  # "0" and fylke "03" were not requested

    pop = read_table("population")
    meta = table_meta("population")
    assert meta["source"] == "live" and meta["ssb_tables"] == ["07459"]
    assert meta["ssb_updated"] == {"07459": "2026-02-25T07:00:00Z"}
    assert meta["fetched_at"].startswith("20") and "Personer1" in meta["query"]

    y26 = pop[pop["year"] == 2026]
    assert y26["persons"].sum() == 5_627_400
    assert y26.loc[y26["kommune_code"] == "0301", "persons"].sum() == 728_714
    assert y26["kommune_code"].nunique() == 357
    snap = snapshot_store().read("population")
    snap = snap[snap["year"] >= 2025].reset_index(drop=True)
    pd.testing.assert_frame_equal(pop, snap)  # same schema, dtypes and numbers as the snapshot


def failing(kind: str):
    """Arrange one kind of failure on the fake SSB; returns the error and message expected."""

    def arrange(fake: FakeSSB) -> tuple[type[Exception], str]:
        url = f"{V2}/tables/07459/data"
        if kind == "offline":
            responses.mock.reset()
            for u in (f"{V2}/tables/07459", f"{V2}/tables/07459/metadata", f"{V2}/config", url):
                responses.get(u, body=requests.exceptions.ConnectionError("no route to host"))
            return SSBUnavailableError, "Ingen nettverkstilgang til data.ssb.no"
        if kind == "timeout":
            responses.replace(responses.GET, url, body=requests.exceptions.ReadTimeout())
            return SSBTimeoutError, "svarte ikke innen"
        if kind in ("429", "503"):
            responses.mock.remove(responses.GET, url)
            responses.get(url, status=int(kind), headers={"Retry-After": "1"})
            return SSBHTTPError, f"SSB svarte {kind} .* etter 3 forsøk"
        if kind == "malformed":
            responses.mock.remove(responses.GET, url)
            responses.get(url, body='{"version": "2.0", "class": "dataset", "id": ["Region"]}')
            return SSBFormatError, "mangler 'dimension'"
        if kind == "truncated-second-chunk":
            original = fake.data
            calls = []

            def second_truncated(request):
                status, headers, body = original(request)
                calls.append(1)
                return status, headers, body[: len(body) // 3] if len(calls) == 2 else body

            responses.mock.remove(responses.GET, url)
            responses.add_callback(responses.GET, url, callback=second_truncated)
            return SSBFormatError, "ikke gyldig JSON"
        if kind == "negative":
            fake.tweak[("2026", "0301", "1", 30)] = -5
            return SSBValidationError, "negative persontall"
        if kind == "people-outside-2024-structure":
            fake.tweak[("2026", "9999", "2", 40)] = 3
            return SSBValidationError, "utenfor 2024-strukturen: \\['9999'\\]"
        if kind == "suppressed-cell":
            fake.tweak[("2026", "0301", "2", 50)] = None  # null without status "."
            return SSBValidationError, "celler uten tall"
        if kind == "missing-kommune":
            for sex in ("1", "2"):
                for age in range(106):
                    fake.known.pop(("2026", "5501", sex, age))
            return SSBValidationError, "151156 rader, forventet 151368"
        raise AssertionError(kind)

    return arrange


@pytest.mark.parametrize(
    "kind",
    [
        "offline",
        "timeout",
        "429",
        "503",
        "malformed",
        "truncated-second-chunk",
        "negative",
        "people-outside-2024-structure",
        "suppressed-cell",
        "missing-kommune",
    ],
)
@responses.activate
def test_any_failure_leaves_the_store_byte_identical(live, kind):
    fake = FakeSSB(responses.mock)
    expected, message = failing(kind)(fake)
    before = tree_hash(live.root)
    with pytest.raises(expected, match=message) as err:
        refresh(["population"], client=client())
    assert "\n" not in str(err.value)
    assert tree_hash(live.root) == before
    assert read_table("population")["persons"].tolist() == [1]  # still the earlier table


def test_historic_codes_are_harmonised_with_exact_flag():
    """Unit test on a hand-made 07459 slice (synthetic numbers, real codes and mapping)."""
    cat = catalogue()
    raw = pd.DataFrame(
        {
            "Region": ["1201", "1504", "2111", "1201"],
            "Kjonn": ["1", "2", "1", "1"],
            "Alder": ["030", "105+", "000", "030"],
            "ContentsCode": "Personer1",
            "Tid": ["2019", "2019", "2019", "2026"],
            "value": [100.0, 10.0, 0.0, np.nan],
            "status": [np.nan, np.nan, np.nan, "."],
        }
    )
    out = population_from_07459(raw, cat).set_index(["year", "kommune_code", "sex", "age"])
    assert out.loc[(2019, "4601", 1, 30), "persons"] == 100  # Bergen 1201 -> 4601
    assert bool(out.loc[(2019, "4601", 1, 30), "exact"])
    # old Ålesund 1504 was split 50/50 into 1508 and 1580: approximate, flagged
    assert out.loc[(2019, "1508", 2, 105), "persons"] == 5
    assert not out.loc[(2019, "1580", 2, 105), "exact"]
    assert len(out) == 3  # Svalbard zero and the "." cell are not rows


def test_unknown_refresh_target_is_refused_before_any_request(live):
    with pytest.raises(ValueError, match="Kan ikke oppdatere 'care_panel'"):
        refresh(["care_panel"], client=SSBClient(transport=None))


@responses.activate
def test_cli_refresh_reports_one_line_per_table(live, capsys):
    from data_sources.__main__ import main

    FakeSSB(responses.mock)
    assert main(["refresh", "07459"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert out == [
        "Oppdatert population: 151 368 rader fra SSB (07459 2026-02-25T07:00:00Z)",
        "Oppdatert population_national: 636 rader fra SSB (07459 2026-02-25T07:00:00Z)",
    ]
    assert table_meta("population")["source"] == "live"


@responses.activate
def test_refresh_national_adds_both_sexes_and_matches_snapshot(live):
    fake = FakeSSB(responses.mock)
    refresh(["population_national"], client=client())
    assert [s["Region"] for s in fake.data_requests] == [["0"]]
    nat = read_table("population_national")
    snap = snapshot_store().read("population_national")
    snap = snap[snap["year"] >= 2025].reset_index(drop=True)
    pd.testing.assert_frame_equal(nat, snap)
    assert nat[(nat["year"] == 2026) & (nat["sex"] == 0)]["persons"].sum() == 5_627_400
    assert table_meta("population_national")["source"] == "live"


@responses.activate
def test_failure_while_writing_the_second_table_leaves_the_store_identical(live, monkeypatch):
    import pyarrow.parquet as pq

    FakeSSB(responses.mock)
    real_write = pq.write_table
    calls = []

    def disk_full_on_second(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise OSError("No space left on device")
        return real_write(*args, **kwargs)

    monkeypatch.setattr(pq, "write_table", disk_full_on_second)
    before = tree_hash(live.root)
    with pytest.raises(OSError, match="No space left"):
        refresh(["07459"], client=client())  # population and population_national together
    assert len(calls) == 2
    assert tree_hash(live.root) == before  # the first, complete table was not swapped in


@responses.activate
def test_changed_table_shape_is_a_validation_error(live):
    """If SSB drops ContentsCode Personer1 from 07459, refresh refuses before fetching data."""
    fake = FakeSSB(responses.mock)
    dims = dims_07459() | {"ContentsCode": ["Personer2"]}
    responses.replace(responses.GET, f"{V2}/tables/07459/metadata", body=jsonstat2(dims, [], {}))
    before = tree_hash(live.root)
    with pytest.raises(SSBValidationError, match="Personer1"):
        refresh(["population"], client=client())
    assert fake.data_requests == [] and tree_hash(live.root) == before


# -- a refresh may not shrink the store; every failure is one line and a non-zero exit -------


def write_history(store: Store, years: range) -> None:
    """Oslo age 0, one row per year: enough for the year check (it reads year and kommune)."""
    frame = pd.DataFrame(
        {
            "year": list(years),
            "kommune_code": "0301",
            "sex": 1,
            "age": 0,
            "persons": 1,
            "exact": True,
        }
    )
    store.write("population", frame, {"source": "live"})


@responses.activate
def test_refresh_with_fewer_years_than_the_store_is_refused(live):
    from data_sources.refresh_guard import ShrinkError

    write_history(live, range(2005, 2027))
    fake = FakeSSB(responses.mock)  # serves 2025-2026 only
    before = tree_hash(live.root)
    with pytest.raises(ShrinkError) as err:
        refresh(["population"], client=client())
    message = str(err.value)
    assert "\n" not in message and "krympe lageret" in message
    assert "år 2005–2024 mangler (lageret har 2005–2026, SSB ga 2025–2026)" in message
    assert fake.data_requests  # it fetched and validated, then refused before writing
    assert tree_hash(live.root) == before
    assert sorted(read_table("population")["year"]) == list(range(2005, 2027))


@responses.activate
def test_refresh_is_compared_with_the_snapshot_when_the_store_is_empty(tmp_path, monkeypatch):
    from data_sources.refresh_guard import ShrinkError

    root = tmp_path / "empty"
    monkeypatch.setenv("KOMMUNEFRAM_STORE", str(root))
    FakeSSB(responses.mock)
    with pytest.raises(ShrinkError, match="snapshotet har 2005–2026"):
        refresh(["population"], client=client())
    assert not root.exists()


@responses.activate
def test_cli_shrinking_refresh_is_one_line_and_exit_3(live, capsys):
    from data_sources.__main__ import EXIT_DATA, main

    write_history(live, range(2005, 2027))
    FakeSSB(responses.mock)
    before = tree_hash(live.root)
    assert main(["refresh", "population"]) == EXIT_DATA
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and captured.out == ""
    assert lines[0].startswith("Oppdateringen av 'population' er avvist")
    assert lines[0].endswith("Lageret er uendret.")
    assert tree_hash(live.root) == before


def test_shrink_check_on_kommuner_alternatives_and_horizon():
    from data_sources.refresh_guard import ShrinkError, check_not_shrinking

    old = pd.DataFrame({"year": [2025] * 3, "kommune_code": ["0301", "1508", "1580"]})
    new = pd.DataFrame({"year": [2025, 2026], "kommune_code": ["0301", "0301"]})
    with pytest.raises(ShrinkError, match=r"kommuner 2 \(1508, 1580\) mangler"):
        check_not_shrinking("population", new, old, "lageret")
    check_not_shrinking("population", old, new.iloc[:1], "lageret")  # growing is fine

    # projections replace each other: a later start is fine, a shorter horizon is not
    p14288 = pd.DataFrame(
        {"kommune_code": "0301", "alternative": "MMMM", "year": list(range(2024, 2051))}
    )
    p14746 = pd.DataFrame(
        {
            "kommune_code": "0301",
            "alternative": ["MMMM", "LLML", "HHMH"] * 25,
            "year": [y for y in range(2026, 2051) for _ in range(3)],
        }
    )
    check_not_shrinking("ssb_projection_kommune", p14746, p14288, "snapshotet")
    with pytest.raises(ShrinkError, match="siste år 2040, snapshotet har 2050"):
        check_not_shrinking(
            "ssb_projection_kommune", p14746[p14746["year"] <= 2040], p14288, "snapshotet"
        )
    with pytest.raises(ShrinkError, match=r"alternativer 2 \(HHMH, LLML\) mangler"):
        check_not_shrinking("ssb_projection_kommune", p14288, p14746, "lageret")


@responses.activate
def test_cli_disk_full_is_one_line_exit_4_and_the_store_identical(live, capsys, monkeypatch):
    import errno
    import os

    import pyarrow.parquet as pq

    from data_sources.__main__ import EXIT_STORE, main

    FakeSSB(responses.mock)

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(pq, "write_table", disk_full)
    before = tree_hash(live.root)
    assert main(["refresh", "07459"]) == EXIT_STORE
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"Kunne ikke skrive til lageret ({live.root}): disken er full")
    assert lines[0].endswith("Lageret er uendret.")
    assert tree_hash(live.root) == before


def test_cli_unexpected_error_is_one_line_and_debug_shows_it(live, capsys, monkeypatch):
    import data_sources.refresh as refresh_module
    from data_sources.__main__ import EXIT_BUG, main

    def bug(*args, **kwargs):
        raise RuntimeError("something we did not foresee\nsecond line")

    monkeypatch.setattr(refresh_module, "catalogue", bug)
    assert main(["refresh", "07459"]) == EXIT_BUG
    lines = capsys.readouterr().err.strip().splitlines()
    assert lines == [
        "Uventet feil under oppdatering (RuntimeError: something we did not foresee). "
        "Lageret er uendret. Kjør med --debug for detaljer."
    ]
    with pytest.raises(RuntimeError):
        main(["refresh", "07459", "--debug"])
