"""`refresh 14746` against a fake SSB built from the recorded 14746 metadata and query.

Recorded (real): the v0 variable metadata (373 region codes, sexes, 106 ages, nine
alternatives, 2026-2050) and a real v0 query body (Region 0301), both from
../shared/data/fram, copied to tests/fixtures/jsonstat. The fake answers in json-stat2
with those codes and labels. Numbers: the snapshot's registered 1 January 2026 population
per kommune, sex and age, grown by a small synthetic factor per alternative and year, and
Norway's row the sum of the kommuner; only two years (2026-2027) are served to keep the test
small. So the base-year figures (Norway 5 627 400, Oslo 728 714) are real; later ones not.
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
from data_sources.projection_14746 import AGE_GROUPS, combine, reduce_piece
from data_sources.refresh import refresh
from data_sources.refresh_guard import ShrinkError
from data_sources.ssb import SSBClient, Transport, query
from data_sources.ssb.errors import SSBUnavailableError, SSBValidationError
from data_sources.ssb.tables import PROJECTION_ALTERNATIVES_14746, TABLES
from data_sources.store import MANIFEST, Store, snapshot_store

FIX = Path(__file__).parents[1] / "fixtures" / "jsonstat"
V2 = "https://data.ssb.no/api/pxwebapi/v2"
V0 = "https://data.ssb.no/api/v0/no/table/14746"
YEARS = ["2026", "2027"]
MAX_CELLS = 150_000
GROWTH = {"Personer": 0.004, "Personer1": 0.001, "Personer2": 0.008}  # synthetic, per year
UPDATED = "2026-06-10T06:00:00Z"


def recorded_metadata() -> dict:
    return json.loads((FIX / "ssb_v0_table_14746_metadata.json").read_text(encoding="utf-8"))


def served_metadata(years: list[str] = YEARS, drop: tuple[str, ...] = ()) -> dict:
    """The recorded metadata with only ``years`` (and without region codes ``drop``)."""
    meta = recorded_metadata()
    for var in meta["variables"]:
        keep = [
            i
            for i, code in enumerate(var["values"])
            if not (var["code"] == "Tid" and code not in years)
            and not (var["code"] == "Region" and code in drop)
        ]
        var["values"] = [var["values"][i] for i in keep]
        var["valueTexts"] = [var["valueTexts"][i] for i in keep]
    return meta


def as_jsonstat2(meta: dict, values: list | None = None, status: dict | None = None) -> str:
    """A json-stat2 dataset (v2 metadata when ``values`` is None) over the given codes."""
    variables = meta["variables"]
    return json.dumps(
        {
            "version": "2.0",
            "class": "dataset",
            "label": meta.get("title", "14746"),
            "source": "Statistisk sentralbyrå",
            "updated": UPDATED,
            "id": [v["code"] for v in variables],
            "size": [len(v["values"]) for v in variables],
            "dimension": {
                v["code"]: {
                    "label": v["text"],
                    "category": {
                        "index": {c: i for i, c in enumerate(v["values"])},
                        "label": dict(zip(v["values"], v["valueTexts"], strict=True)),
                    },
                }
                for v in variables
            },
            "value": values if values is not None else [],
            "status": status or {},
            "role": {"time": ["Tid"], "metric": ["ContentsCode"]},
        },
        ensure_ascii=False,
    )


@functools.cache
def base_2026() -> tuple[tuple[str, ...], np.ndarray]:
    """Registered 1.1.2026 persons as (kommune codes, array[kommune, sex 1/2, age 0-105])."""
    pop = snapshot_store().read("population")
    pop = pop[pop["year"] == 2026]
    codes = tuple(sorted(pop["kommune_code"].unique()))
    arr = np.zeros((len(codes), 2, 106))
    k = pd.Index(codes).get_indexer(pop["kommune_code"])
    arr[k, pop["sex"].to_numpy() - 1, pop["age"].to_numpy()] = pop["persons"].to_numpy()
    return codes, arr


class Fake14746:
    """Serves 14746 table info, metadata (v2 and v0), config and data (v2 GET, v0 POST)."""

    def __init__(self, rsps: responses.RequestsMock, meta: dict | None = None) -> None:
        self.meta = meta or served_metadata()
        self.requests: list[dict[str, list[str]]] = []
        self.tweak: dict[tuple[str, str, str, str, str], float | None] = {}
        self.norway_factor = 1.0
        codes, arr = base_2026()
        self.index = {c: i for i, c in enumerate(codes)}
        self.arr = arr
        info = {
            "id": "14746",
            "label": recorded_metadata()["title"],
            "updated": UPDATED,
            "firstPeriod": "2026",
            "lastPeriod": "2050",
            "variableNames": [v["text"] for v in self.meta["variables"]],
        }
        rsps.get(f"{V2}/tables/14746", json=info)
        rsps.get(f"{V2}/tables/14746/metadata", body=as_jsonstat2(self.meta))
        rsps.get(f"{V2}/config", json={"apiVersion": "2.0.0", "maxDataCells": MAX_CELLS})
        rsps.get(V0, json=self.meta)
        rsps.add_callback(responses.GET, f"{V2}/tables/14746/data", callback=self.v2)
        rsps.add_callback(responses.POST, V0, callback=self.v0)

    def v2(self, request: requests.PreparedRequest):
        params = parse_qs(urlsplit(request.url).query)
        dims = [v["code"] for v in self.meta["variables"]]
        return self.answer({d: params[f"valueCodes[{d}]"][0].split(",") for d in dims})

    def v0(self, request: requests.PreparedRequest):
        body = json.loads(request.body)
        assert body["response"] == {"format": "json-stat2"}
        return self.answer({q["code"]: q["selection"]["values"] for q in body["query"]})

    def cells(self, sel: dict[str, list[str]]) -> np.ndarray:
        """Values in json-stat row-major order over Region, Kjonn, Alder, ContentsCode, Tid:
        whole persons per kommune, and Norway the sum of those (times ``norway_factor``)."""
        ages = [int(a.rstrip("+")) for a in sel["Alder"]]
        sexes = [int(s) - 1 for s in sel["Kjonn"]]
        factor = np.array(
            [
                [1 + GROWTH.get(c, 0.002) * (int(y) - 2026) for y in sel["Tid"]]
                for c in sel["ContentsCode"]
            ]
        )  # (C, T)
        base = self.arr[:, sexes][:, :, ages]  # (K, S, A)
        kommuner = np.round(base[:, :, :, None, None] * factor[None, None, None])
        national = kommuner.sum(axis=0) * self.norway_factor
        unknown = [r for r in sel["Region"] if r != "0" and r not in self.index]
        if unknown:
            raise AssertionError(f"asked for regions the fake does not know: {unknown}")
        rows = [national if r == "0" else kommuner[self.index[r]] for r in sel["Region"]]
        return np.stack(rows).ravel()

    def answer(self, sel: dict[str, list[str]]):
        self.requests.append(sel)
        values: list = [float(v) for v in self.cells(sel)]
        status = {}
        shape = [len(v) for v in sel.values()]
        for key, value in self.tweak.items():
            pos = [sel[d].index(c) if c in sel[d] else -1 for d, c in zip(sel, key, strict=True)]
            if min(pos) < 0:
                continue
            i = int(np.ravel_multi_index(pos, shape))
            values[i] = value
            if value is None:
                status[str(i)] = ".."
        meta = {"title": self.meta["title"], "variables": []}
        for var in self.meta["variables"]:
            codes = sel[var["code"]]
            texts = dict(zip(var["values"], var["valueTexts"], strict=True))
            meta["variables"].append(
                {**var, "values": codes, "valueTexts": [texts[c] for c in codes]}
            )
        return 200, {"Content-Type": "application/json"}, as_jsonstat2(meta, values, status)


@pytest.fixture
def live(tmp_path, monkeypatch) -> Store:
    """A live store holding earlier, smaller projection tables (the guard compares with them)."""
    root = tmp_path / "store"
    monkeypatch.setenv("KOMMUNEFRAM_STORE", str(root))
    store = Store(root)
    store.write_many(
        [
            (
                "ssb_projection_kommune",
                pd.DataFrame(
                    {
                        "kommune_code": ["0301"],
                        "alternative": ["MMMM"],
                        "year": [2026],
                        "persons": [1.0],
                    }
                ).astype({"year": "int16"}),
                {"source": "live", "ssb_tables": ["14288"]},
            ),
            (
                "ssb_projection_national_agegroup",
                pd.DataFrame(
                    {"alternative": ["MMMM"], "year": [2026], "age_group": ["0"], "persons": [1.0]}
                ).astype({"year": "int16"}),
                {"source": "live", "ssb_tables": ["14746"]},
            ),
        ]
    )
    return store


def client(api: str = "v2") -> SSBClient:
    return SSBClient(Transport(limiter=None, retries=1), api=api)


# -- the recorded query and metadata -----------------------------------------------------------


def test_request_shape_matches_the_recorded_14746_query():
    """Our v0 body for Oslo equals the real recorded one (codes, order, format)."""
    recorded = json.loads((FIX / "ssb_v0_query_14746_region_0301.json").read_text())
    offered = {v["code"]: v["values"] for v in recorded_metadata()["variables"]}
    selection = TABLES["14746"].selection(offered)
    ours = query.v0_body({**selection, "Region": ["0301"], "Kjonn": ["1", "2"]})
    assert ours == recorded


def test_selection_on_the_real_metadata_is_norway_and_the_357_kommuner():
    offered = {v["code"]: v["values"] for v in recorded_metadata()["variables"]}
    selection = TABLES["14746"].selection(offered)
    regions = selection["Region"]
    assert regions[0] == "0" and len(regions) == 358
    assert set(regions[1:]) == set(catalogue().kommune_codes)  # 14746 uses the 2024 structure
    assert [PROJECTION_ALTERNATIVES_14746[c] for c in selection["ContentsCode"]] == [
        "MMMM",
        "LLML",
        "HHMH",
    ]
    assert selection["Tid"] == [str(y) for y in range(2026, 2051)]
    assert query.cell_count(selection) == 5_692_200
    chunks = query.split_selection(selection, query.DEFAULT_MAX_CELLS)
    assert len(chunks) == 8 and all(query.cell_count(c) <= 800_000 for c in chunks)
    urls = [part for c in chunks for part in query.split_for_url(c)]
    assert all(query.query_length(u) <= query.MAX_QUERY_CHARS for u in urls)


# -- a successful refresh -----------------------------------------------------------------------


@pytest.mark.parametrize("api", ["v2", "v0"])
@responses.activate
def test_refresh_14746_writes_both_tables_in_one_write(live, api):
    fake = Fake14746(responses.mock)
    generation = live.generation()
    done = refresh(["14746"], client=client(api))
    assert [p.name for p in done] == ["ssb_projection_kommune", "ssb_projection_national_agegroup"]

    # split under the limit; Norway and the 357 kommuner, no fylker, each asked for once
    assert len(fake.requests) > 1 and all(query.cell_count(s) <= MAX_CELLS for s in fake.requests)
    asked = sorted(r for s in fake.requests for r in s["Region"])
    assert asked == sorted(["0", *catalogue().kommune_codes])

    # one write: one new generation, both files from it
    store = Store(live.root)
    assert store.generation() == generation + 1
    manifest = json.loads((live.root / MANIFEST).read_text())
    gens = {f.split(".")[1].split("-")[0] for f in manifest["tables"].values()}
    assert gens == {f"g{generation + 1:06d}"}

    kommune = read_table("ssb_projection_kommune")
    assert list(kommune.columns) == ["kommune_code", "alternative", "year", "persons"]
    assert kommune.dtypes["persons"] == "float64" and kommune.dtypes["year"] == "int16"
    assert kommune["kommune_code"].nunique() == 357 and len(kommune) == 357 * 3 * 2
    assert set(kommune["alternative"]) == {"MMMM", "LLML", "HHMH"}
    k26 = kommune[(kommune["year"] == 2026) & (kommune["alternative"] == "MMMM")]
    assert k26["persons"].sum() == 5_627_400  # real: 14746 starts at the registered population
    assert k26.loc[k26["kommune_code"] == "0301", "persons"].item() == 728_714

    national = read_table("ssb_projection_national_agegroup")
    assert list(national.columns) == ["alternative", "year", "age_group", "persons"]
    assert len(national) == 3 * 2 * 10
    assert list(national["age_group"][:10]) == [g for g, _, _ in AGE_GROUPS]
    # the two tables agree exactly (both from the same cells)
    per_alt_year = kommune.groupby(["alternative", "year"])["persons"].sum()
    pd.testing.assert_series_equal(
        national.groupby(["alternative", "year"])["persons"].sum(), per_alt_year
    )
    pop = snapshot_store().read("population")
    infants = pop[(pop["year"] == 2026) & (pop["age"] == 0)]["persons"].sum()
    n26 = national[(national["year"] == 2026) & (national["alternative"] == "HHMH")]
    assert n26.set_index("age_group").loc["0", "persons"] == infants
    assert n26["persons"].sum() == 5_627_400

    for name in ("ssb_projection_kommune", "ssb_projection_national_agegroup"):
        meta = table_meta(name)
        assert meta["source"] == "live" and meta["ssb_tables"] == ["14746"]
        assert meta["ssb_updated"] == {"14746": UPDATED}
        assert meta["alternatives"] == ["HHMH", "LLML", "MMMM"]
        assert meta["cells"] == 358 * 2 * 106 * 3 * 2 and meta["licence"].startswith("NLOD")


@responses.activate
def test_cli_refresh_14746_prints_both_tables(live, capsys):
    from data_sources.__main__ import main

    Fake14746(responses.mock)
    assert main(["refresh", "14746"]) == 0
    assert capsys.readouterr().out.strip().splitlines() == [
        f"Oppdatert ssb_projection_kommune: 2 142 rader fra SSB (14746 {UPDATED})",
        f"Oppdatert ssb_projection_national_agegroup: 60 rader fra SSB (14746 {UPDATED})",
    ]


# -- failures: one line, nothing written --------------------------------------------------------


def arrange(kind: str, fake: Fake14746) -> str:
    """Break the fake one way; returns the message expected."""
    if kind == "negative":
        fake.tweak[("0301", "2", "030", "Personer", "2027")] = -3
        return "negative persontall"
    if kind == "missing-cell":
        fake.tweak[("5501", "1", "090", "Personer2", "2026")] = None
        return "celler uten tall"
    if kind == "sums-inconsistent":
        fake.norway_factor = 1.02
        return "kommunene summerer ikke til landet"
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", ["negative", "missing-cell", "sums-inconsistent"])
@responses.activate
def test_invalid_data_is_refused_and_the_store_is_byte_identical(live, kind):
    fake = Fake14746(responses.mock)
    message = arrange(kind, fake)
    before = tree_hash(live.root)
    with pytest.raises(SSBValidationError, match=message) as err:
        refresh(["14746"], client=client())
    assert "\n" not in str(err.value)
    assert tree_hash(live.root) == before


@pytest.mark.parametrize(
    ("meta", "message"),
    [
        (served_metadata(drop=("5501",)), r"tilbyr ikke alle kommuner \(f\.eks\. \['5501'\]\)"),
        (served_metadata(years=["2026", "2028"]), "årene henger ikke sammen"),
    ],
    ids=["kommune-missing-from-table", "years-not-contiguous"],
)
@responses.activate
def test_wrong_table_shape_is_refused(live, meta, message):
    Fake14746(responses.mock, meta)
    before = tree_hash(live.root)
    with pytest.raises(SSBValidationError, match=message):
        refresh(["ssb_projection_kommune"], client=client())
    assert tree_hash(live.root) == before


@responses.activate
def test_a_shorter_horizon_than_the_store_is_refused(live):
    longer = pd.DataFrame(
        {"kommune_code": "0301", "alternative": "MMMM", "year": range(2026, 2051), "persons": 1.0}
    ).astype({"year": "int16"})
    live.write("ssb_projection_kommune", longer, {"source": "live"})
    Fake14746(responses.mock)  # serves 2026-2027
    before = tree_hash(live.root)
    with pytest.raises(ShrinkError, match="siste år 2027, lageret har 2050"):
        refresh(["14746"], client=client())
    assert tree_hash(live.root) == before


def test_offline_refresh_14746_is_one_line_and_the_store_byte_identical(live, capsys, monkeypatch):
    from data_sources.__main__ import EXIT_SSB, main

    def offline(self, method, url, **kwargs):
        raise requests.exceptions.ConnectionError("Temporary failure in name resolution")

    monkeypatch.setattr(requests.Session, "request", offline)
    before = tree_hash(live.root)
    assert main(["refresh", "14746"]) == EXIT_SSB
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.strip().splitlines() == [
        "Kunne ikke nå SSB (data.ssb.no): ingen nettverkstilgang. Lageret er uendret."
    ]
    assert tree_hash(live.root) == before
    with pytest.raises(SSBUnavailableError):
        refresh(["14746"])


# -- the per-piece reduction ---------------------------------------------------------------------


def test_pieces_cut_anywhere_combine_to_the_whole():
    """A key split across two responses (e.g. ages cut) sums to the same aggregates."""
    rng = np.random.default_rng(14746)
    regions, sexes, ages = ["0", "0301", "4601"], ["1", "2"], ["000", "045", "090", "105+"]
    rows = [
        (r, s, a, c, y)
        for r in regions
        for s in sexes
        for a in ages
        for c in ("Personer", "Personer2")
        for y in ("2026", "2027")
    ]
    raw = pd.DataFrame(rows, columns=["Region", "Kjonn", "Alder", "ContentsCode", "Tid"])
    raw["value"] = rng.integers(0, 1000, len(raw)).astype(float)
    raw["status"] = np.nan
    whole = reduce_piece(raw)
    cut = combine([reduce_piece(raw.iloc[:37]), reduce_piece(raw.iloc[37:])])
    for a, b in zip(whole, cut, strict=True):
        keys = [c for c in a.columns if c != "persons"]
        pd.testing.assert_frame_equal(
            a.sort_values(keys, ignore_index=True), b.sort_values(keys, ignore_index=True)
        )
    kommune, national, norway = whole
    assert set(kommune["kommune_code"]) == {"0301", "4601"}
    assert national["persons"].sum() == raw.loc[raw["Region"] != "0", "value"].sum()
    assert (
        norway.set_index(["alternative", "year", "age_group"]).loc[("HHMH", 2026, "90+"), "persons"]
        == raw.query("Region == '0' and ContentsCode == 'Personer2' and Tid == '2026'")
        .query("Alder in ['090', '105+']")["value"]
        .sum()
    )
