"""Serving: bounded requests, malformed input, security headers, compression, downloads, caches.

Callback requests replay real payloads recorded from a Chromium session
(benchmarks/fixtures/callback_traffic.json, written by benchmarks/capture_traffic.py) and
then break them the way a crafted request would.
"""

from __future__ import annotations

import copy
import gzip
import json
import re
from pathlib import Path

import pytest

import app as dash_app
from dashboard.data import history, model, needs_cache
from dashboard.files import downloads
from dashboard.server import serving
from projections import cli, export

ROOT = Path(__file__).resolve().parents[2]
TRAFFIC = json.loads(
    (ROOT / "benchmarks" / "fixtures" / "callback_traffic.json").read_text(encoding="utf-8")
)
DISPATCH = "/_dash-update-component"
# `python -m projections project ...`, run in-process (the same main(), no new interpreter)
CLI_ALL = ["project", "--kommune", "all", "--scenario", "HHMH"]


def _unique_bodies() -> list[dict]:
    seen: dict[str, dict] = {}
    for rec in TRAFFIC:
        seen.setdefault(rec["step"] + rec["body"]["output"], rec["body"])
    return list(seen.values())


BODIES = _unique_bodies()


@pytest.fixture(scope="module")
def client():
    return dash_app.server.test_client()


def _post(client, body):
    return client.post(DISPATCH, data=json.dumps(body), content_type="application/json")


def test_recorded_traffic_replays_cleanly(client):
    # the shell, the page router and every page's own callbacks (navigation, downloads and
    # view choices no longer call the server: 27 bodies where 46 were recorded before)
    outputs = {b["output"].split("@")[0] for b in BODIES}
    for needed in ("pyramid-block.children", "pop-block.children", "map-block.children"):
        assert needed in outputs, needed
    assert any("_pages_content" in o for o in outputs)
    for body in BODIES:
        resp = _post(client, body)
        assert resp.status_code in (200, 204), (body["output"], resp.status_code)


def _values(body: dict) -> list[dict]:
    """The value-carrying items of inputs and state (pattern-matching inputs are lists)."""
    out = []
    for item in [*body["inputs"], *body.get("state", [])]:
        out.extend(item if isinstance(item, list) else [item])
    return out


BAD_VALUES = ["abc", [], None, {}, -1, 10**12, "x" * 5000, {"code": []}]


@pytest.mark.parametrize("bad", BAD_VALUES, ids=[repr(b)[:12] for b in BAD_VALUES])
def test_malformed_callback_values_never_500(client, bad):
    for body in BODIES:
        for i in range(len(_values(body))):
            broken = copy.deepcopy(body)
            _values(broken)[i]["value"] = copy.deepcopy(bad)
            resp = _post(client, broken)
            assert resp.status_code != 500, (body["output"], i, bad)
            assert resp.status_code in (200, 204, 400)
            text = resp.get_data(as_text=True)
            assert "Traceback" not in text
            assert "x" * 200 not in text  # raw input is never echoed at length


def test_clear_messages_for_bad_values(client):
    pyramid = next(b for b in BODIES if b["output"] == "pyramid-block.children")
    broken = copy.deepcopy(pyramid)
    broken["inputs"][0]["value"] = "abc"
    resp = _post(client, broken)
    assert resp.status_code == 200
    assert "Ugyldig valg" in resp.get_data(as_text=True)
    broken["inputs"][0]["value"] = 2040
    broken["state"][0]["value"] = None
    assert "Ugyldig valg" in _post(client, broken).get_data(as_text=True)


@pytest.mark.parametrize(
    "body",
    [b"not json", b"[]", b'{"output": 1}', b'{"output": "x", "inputs": "y", "outputs": {}}'],
)
def test_malformed_callback_bodies_are_400(client, body):
    resp = client.post(DISPATCH, data=body, content_type="application/json")
    assert resp.status_code == 400
    assert len(resp.data) < 100


def test_unknown_callback_output_is_400(client):
    body = copy.deepcopy(BODIES[0])
    body["output"] = "nope.children"
    body["outputs"] = {"id": "nope", "property": "children"}
    assert _post(client, body).status_code == 400


def test_chart_download_with_many_regions_is_refused_fast(client):
    many = ",".join(["0301"] * 120_000)
    resp = client.get(f"/last-ned/graf/compare-index.csv?k={many}")
    assert resp.status_code in (413, 414)  # refused before any work
    seven = "0301,1804,4601,5001,1103,3301,5610"
    resp = client.get(f"/last-ned/graf/compare-index.csv?k={seven}")
    assert resp.status_code == 200  # the page's limit: the first six regions
    assert resp.get_data(as_text=True).splitlines()[0] == "year,0301,1804,4601,5001,1103,3301"


def test_chart_download_of_a_real_link(client):
    resp = client.get("/last-ned/graf/compare-index.csv?k=0301,1804&scenario=MMMM")
    assert resp.status_code == 200
    assert "kommunefram_compare-index_alle_MMMM.csv" in resp.headers["Content-Disposition"]


def test_body_and_query_caps(client):
    big = b'{"output": "' + b"a" * (serving.MAX_BODY_BYTES + 10) + b'"}'
    assert client.post(DISPATCH, data=big, content_type="application/json").status_code == 413
    assert client.get("/kommune/0301?x=" + "a" * 3000).status_code == 414
    assert client.get("/kommune/" + "1" * 600).status_code == 414
    assert dash_app.server.config["MAX_CONTENT_LENGTH"] == serving.MAX_BODY_BYTES


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("region=0301%0a", 400),
        ("region=%200301", 400),
        ("region=0301%00", 400),
        ("region=abc", 400),
        ("region=" + "9" * 500, 400),
        ("region=9999", 404),
        ("scenario=XXXX", 404),
        ("variant=pdf", 404),
        ("region=0301&scenario=LLML", 200),
    ],
)
def test_table_download_parameters(client, query, status):
    resp = client.get(f"/last-ned/population.csv?{query}")
    assert resp.status_code == status
    if status != 200:
        assert len(resp.data) < 120 and b"9999999999" not in resp.data
    else:
        assert resp.headers["Content-Type"] == "text/csv; charset=utf-8"
        assert b" 0301" not in resp.data


@pytest.mark.parametrize(
    "path",
    [
        "/kommune/0301%0a",
        "/kommune/%200301",
        "/kommune/0301?scenario=" + "Z" * 500,
        "/kommune/0301?lang=" + "q" * 500,
        "/sammenlign?k=" + ",".join(["0301"] * 400),
        "/kart?year=abc&ind=[]",
    ],
)
def test_odd_urls_are_answered(client, path):
    resp = client.get(path)
    assert resp.status_code in (200, 404)
    assert b"Z" * 100 not in resp.data and b"q" * 100 not in resp.data


def test_security_headers_on_pages_and_assets(client):
    page = client.get("/kommune/0301")
    csp = page.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "default-src 'self'" in csp
    hashes = re.findall(r"'sha256-[^']+'", csp)
    inline = [
        m.group(2)
        for m in re.finditer(rb"<script([^>]*)>(.*?)</script>", page.data, re.DOTALL)
        if b"src=" not in m.group(1) and b"application/json" not in m.group(1)
    ]
    assert len(hashes) == len({*inline})  # every inline script, nothing else
    assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    for resp in (page, client.get("/assets/style.css"), client.get("/geo/kommuner.geojson")):
        assert resp.headers["X-Content-Type-Options"] == "nosniff"
        assert resp.headers["X-Frame-Options"] == "DENY"
        assert resp.headers["Referrer-Policy"] == "same-origin"


def test_no_version_strings_and_no_dev_endpoints(client):
    import platform

    page = client.get("/kommune/0301").get_data(as_text=True)
    config = json.loads(re.search(r'id="_dash-config"[^>]*>(.*?)</script>', page, re.S).group(1))
    assert "python_version" not in config and "dash_version" not in config
    assert platform.python_version() not in page
    assert client.get("/_reload-hash").status_code == 404


def _script_urls(client) -> list[str]:
    page = client.get("/kommune/0301").get_data(as_text=True)
    return re.findall(r'<script src="([^"]+)"', page)


def test_fingerprinted_assets_are_compressed_and_cached(client):
    urls = _script_urls(client)
    assert urls
    for url in urls[:3]:
        plain = client.get(url)
        zipped = client.get(url, headers={"Accept-Encoding": "gzip, br"})
        assert zipped.headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(zipped.data) == plain.data
        assert zipped.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert "Accept-Encoding" in zipped.headers["Vary"]
    css = client.get("/kommune/0301").get_data(as_text=True)
    style = re.search(r'href="(/assets/style\.css\?m=[^"]+)"', css).group(1)
    assert "immutable" in client.get(style).headers["Cache-Control"]


def test_plotly_bundle_compressed_once(client):
    from dash import dcc

    deps = client.get("/_dash-component-suites/plotly/package_data/plotly.min.js")
    assert deps.status_code in (200, 404)
    if deps.status_code == 200:
        z = client.get(
            "/_dash-component-suites/plotly/package_data/plotly.min.js",
            headers={"Accept-Encoding": "gzip"},
        )
        assert len(z.data) < len(deps.data) / 3
    assert dcc is not None


def test_callback_responses_are_compressed(client):
    router = next(b for b in BODIES if "_pages_content" in b["output"])
    resp = client.post(
        DISPATCH,
        data=json.dumps(router),
        content_type="application/json",
        headers={"Accept-Encoding": "gzip"},
    )
    assert resp.headers["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(resp.data))["response"]


def test_shell_layout_compressed_once_per_language(client):
    from dashboard.server import serving

    bodies = {}
    for lang in ("nb", "en"):
        page = {"Referer": f"http://localhost/kommune/0301?lang={lang}"}
        plain = client.get("/_dash-layout", headers=page)
        first = client.get("/_dash-layout", headers={**page, "Accept-Encoding": "gzip"})
        again = client.get("/_dash-layout", headers={**page, "Accept-Encoding": "gzip"})
        assert first.headers["Content-Encoding"] == "gzip"
        assert first.data == again.data  # the cached compressed body
        assert gzip.decompress(first.data) == plain.data
        bodies[lang] = plain.data
    assert bodies["nb"] != bodies["en"]  # one cached body per language, found by content
    assert 2 <= sum(k.startswith("layout:") for k in serving.STATIC._items) <= 3


# -- downloads -----------------------------------------------------------------------------
@pytest.mark.parametrize("table", downloads.TABLES)
@pytest.mark.parametrize("variant", downloads.VARIANTS)
def test_fast_csv_is_byte_identical(table, variant):
    df = downloads.full_table(table, ["0301", "1804", "5001"], "LLML")
    assert export.to_csv_bytes(df, variant) == downloads.to_csv(df, variant).encode("utf-8")


def test_fast_csv_edge_cases():
    import numpy as np
    import pandas as pd

    df = pd.DataFrame(
        {
            "text": ["=1+1", "-x", "ok", None, "@a"],
            "f": [1.0, np.nan, -0.0, 2.5, 1e-7],
            "big": [1e16, 3.0, 0.1 + 0.2, 1 / 3, 12.0],
            "i": [1, 2, 3, 4, 5],
        }
    )
    for variant in downloads.VARIANTS:
        assert export.to_csv_bytes(df, variant) == downloads.to_csv(df, variant).encode()
    quoted = pd.DataFrame({"a": ['say "hi"', "a,b"], "b": [1, 2]})
    assert export.to_csv_bytes(quoted) == downloads.to_csv(quoted).encode()


@pytest.mark.slow
def test_all_kommuner_download_equals_the_cli(client, tmp_path, monkeypatch):
    monkeypatch.setenv(downloads.CACHE_ENV, str(tmp_path))
    out = tmp_path / "cli.csv"
    assert cli.main([*CLI_ALL, "--components", "--out", str(out)]) == 0
    zipped = client.get(
        "/last-ned/components.csv?region=alle&scenario=HHMH", headers={"Accept-Encoding": "gzip"}
    )
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.data) == out.read_bytes()
    plain = client.get("/last-ned/components.csv?region=alle&scenario=HHMH")
    assert plain.data == out.read_bytes()
    assert plain.headers["Content-Type"] == "text/csv; charset=utf-8"
    out_pop = tmp_path / "pop.csv"
    assert cli.main([*CLI_ALL, "--csv-variant", "excel_no", "--out", str(out_pop)]) == 0
    # The dashboard's Excel variant is for people (Norwegian headers, rounded); the CLI's
    # excel_no keeps the machine codes. Same rows, same order.
    pop = client.get("/last-ned/population.csv?region=alle&scenario=HHMH&variant=excel_no")
    assert pop.data.decode("utf-8").startswith("\ufeffFramskrivingsalternativ;År;Regionnummer")
    assert pop.data.count(b"\n") == out_pop.read_bytes().count(b"\n")
    assert len(list(tmp_path.rglob("*.csv.gz"))) == 1  # the standard variant is cached
    assert not list(tmp_path.rglob(".tmp-*"))


# -- caches --------------------------------------------------------------------------------
def test_base_year_never_projects(monkeypatch):
    def fail(*_a, **_k):
        raise AssertionError("base_year ran a projection")

    monkeypatch.setattr(model, "project", fail)
    assert model.base_year("HHMH") == int(history.history_array()[0][-1])


def test_every_scenario_is_served_from_aggregates(monkeypatch):
    model.warm_all_scenarios()
    calls = []
    real = model.project
    monkeypatch.setattr(model, "project", lambda s: calls.append(s) or real(s))
    for scenario in model.scenario_codes():
        model.series.cache_clear()
        model.series_arrays.cache_clear()
        model.key_figures.cache_clear()
        model.components.cache_clear()
        needs_cache.pressure_series.cache_clear()
        needs_cache.pressure_arrays.cache_clear()
        model.key_figures(scenario, "1804")
        model.components(scenario, "1804")
        needs_cache.pressure_series(scenario, "1804")
        model.pyramid(scenario, "1804", 2040)
    assert calls == []  # no projection re-run for any scenario the picker offers
    assert model.aggregates.cache_info().currsize >= len(model.scenario_codes())


def test_aggregates_match_the_projection_api():
    import numpy as np

    res = model.projection("LHML")
    agg = model.aggregates("LHML")
    api = res.components_frame("18").dropna()
    ours = model.components("LHML", "18")
    for col in ("population", "births", "deaths", "net_migration"):
        assert np.allclose(ours[col].to_numpy(), api[col].to_numpy(), atol=0.02)
    assert np.allclose(agg.groups["total"].sum(axis=1), res.total("0"))
    pyr = model.pyramid("LHML", "0301", 2040)
    assert np.allclose(pyr[["male", "female"]].to_numpy().T, res.region("0301")[14])


def test_user_assumption_caches_are_bounded():
    for i in range(needs_cache.USER_NEEDS_CACHE + 5):
        a = needs_cache.make_assumptions({"care_staffing_multiplier": 1.0 + (i + 1) / 100})
        needs_cache.pressure_series("MMMM", "1804", a)
        needs_cache.needs_frame("MMMM", "1804", a)
    assert needs_cache._needs_user.cache_info().currsize <= needs_cache.USER_NEEDS_CACHE
    assert needs_cache._needs_frame_user.cache_info().currsize <= needs_cache.USER_FRAME_CACHE
    assert needs_cache._needs_frame_default.cache_info().maxsize == needs_cache.NEEDS_FRAME_CACHE


@pytest.mark.parametrize(
    "values",
    [{"care_staffing_multiplier": "abc"}, {"nope": 1.0}, {"care_staffing_multiplier": [1]}],
)
def test_bad_assumptions_raise_a_clear_error(values):
    from projections.needs import NeedsAssumptionError

    with pytest.raises(NeedsAssumptionError):
        needs_cache.make_assumptions(values)
