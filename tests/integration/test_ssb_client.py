"""SSBClient against recorded SSB responses: info, metadata, config, v2 GET and v0 POST data."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import responses

from data_sources.ssb import SSBClient, Transport
from data_sources.ssb.errors import SSBFormatError
from data_sources.ssb.query import DEFAULT_MAX_CELLS

FIX = Path(__file__).parents[1] / "fixtures" / "jsonstat"
V2 = "https://data.ssb.no/api/pxwebapi/v2"
V0 = "https://data.ssb.no/api/v0/no/table"


def fixture(name: str) -> str:
    return (FIX / name).read_text(encoding="utf-8")


def client(**kw) -> SSBClient:
    return SSBClient(Transport(limiter=None), **kw)


@responses.activate
def test_table_info_from_recorded_v2_record():
    responses.get(f"{V2}/tables/05300", body=fixture("ssb_v2_table_05300_info.json"))
    info = client().table_info("05300")
    assert info.id == "05300" and info.updated == "2026-03-05T07:00:00Z"
    assert info.first_period == "1991" and info.last_period == "2025"
    assert info.variables == ("avstand", "kulturtilbud", "statistikkvariabel", "år")
    assert parse_qs(urlsplit(responses.calls[0].request.url).query) == {"lang": ["no"]}


@responses.activate
def test_max_cells_from_config_and_fallback():
    responses.get(f"{V2}/config", json={"apiVersion": "2.0.0", "maxDataCells": 150000})
    assert client().max_cells() == 150000
    responses.replace(responses.GET, f"{V2}/config", status=404)
    assert client().max_cells() == DEFAULT_MAX_CELLS


@responses.activate
def test_v2_data_resolves_star_from_metadata_and_checks_cell_count():
    responses.get(f"{V2}/config", json={"maxDataCells": 800000})
    responses.get(f"{V2}/tables/05300/metadata", body=fixture("ssb_v2_table_05300_metadata.json"))
    responses.get(f"{V2}/tables/05300/data", body=fixture("ssb_v0_table_05300_jsonstat2.json"))
    df = client().data(
        "05300",
        {"Avstand1": ["*"], "Kulturtilbud": ["*"], "ContentsCode": ["Avstand"], "Tid": ["*"]},
    )
    assert len(df) == 432 and df["status"].notna().sum() == 28
    params = parse_qs(urlsplit(responses.calls[-1].request.url).query)
    assert params["valueCodes[Avstand1]"] == ["01,02,03,04,05,06"]
    assert params["outputFormat"] == ["json-stat2"]
    # SSB answering fewer cells than asked for is an error, not a silent gap
    with pytest.raises(SSBFormatError, match="ba om 1 celler fra 05300, fikk 432"):
        one = {"Avstand1": ["01"], "Kulturtilbud": ["01"], "ContentsCode": ["Avstand"]}
        client(max_cells=800000).data("05300", {**one, "Tid": ["1991"]})


@responses.activate
def test_v0_post_splits_and_reassembles():
    """Each v0 POST asks for one Avstand1 value; the fake answers with that slice of 05300."""
    full = json.loads(fixture("ssb_v0_table_05300_jsonstat2.json"))
    codes = list(full["dimension"]["Avstand1"]["category"]["index"])

    def answer(request):
        body = json.loads(request.body)
        assert body["response"] == {"format": "json-stat2"}
        wanted = body["query"][0]["selection"]["values"]
        part = json.loads(fixture("ssb_v0_table_05300_jsonstat2.json"))
        block = 8 * 9
        part["value"] = [v for i, v in enumerate(full["value"]) if codes[i // block] in wanted]
        part["status"] = {
            str(i - codes.index(wanted[0]) * block): s
            for i, s in ((int(k), s) for k, s in full["status"].items())
            if codes[i // block] in wanted
        }
        part["size"] = [len(wanted), 8, 1, 9]
        part["dimension"]["Avstand1"]["category"]["index"] = {c: i for i, c in enumerate(wanted)}
        return 200, {}, json.dumps(part)

    responses.add_callback(responses.POST, f"{V0}/05300", callback=answer)
    selection = {
        "Avstand1": codes,
        "Kulturtilbud": [f"{i:02d}" for i in range(1, 9)],
        "ContentsCode": ["Avstand"],
        "Tid": list(full["dimension"]["Tid"]["category"]["index"]),
    }
    df = client(api="v0", max_cells=72).data("05300", selection)
    assert len(responses.calls) == 6
    whole = client(api="v0", max_cells=800000)
    responses.calls.reset()
    ref = whole.data("05300", selection)
    assert len(responses.calls) == 1
    assert df.equals(ref)  # six chunks give exactly the one-request table
