"""A chart's CSV is the chart for the state in the URL: non-default assumptions, view choices
and languages reach the download, checked against the projections API directly."""

from __future__ import annotations

import io

import pandas as pd
import pytest

import app as dash_app
from dashboard.data import model
from projections import project
from projections.needs import Assumptions, compute_needs


@pytest.fixture(scope="module")
def client():
    return dash_app.server.test_client()


def _csv(client, url: str) -> pd.DataFrame:
    resp = client.get(url)
    assert resp.status_code == 200, resp.data[:200]
    return pd.read_csv(io.BytesIO(resp.data))


def _engine_arsverk(assumptions: Assumptions, sector: str) -> pd.Series:
    f = compute_needs(project("MMMM"), assumptions).frame("1804")
    f = f[(f["sector"] == sector) & (f["measure"] == "arsverk")]
    return f.set_index("year")["value"]


def test_teacher_preset_reaches_the_arsverk_csv_and_its_bounds(client):
    """/kommune/1804/tjenester?laerer=lovkrav once gave the default 497.5 in the CSV."""
    df = _csv(client, "/last-ned/graf/services-arsverk.csv?kommune=1804&laerer=lovkrav")
    want = _engine_arsverk(Assumptions(teacher_preset="lovkrav"), "grunnskole")
    got = df.set_index("year")["grunnskole"]
    assert (got - want.reindex(got.index)).abs().max() < 1e-6
    assert got[2026] == pytest.approx(323.85, abs=0.01)  # 15/20 pupils per teacher
    lo, hi = df["grunnskole_lower_80"], df["grunnskole_upper_80"]
    assert (lo <= df["grunnskole"] + 1e-9).all() and (df["grunnskole"] <= hi + 1e-9).all()
    assert lo.iloc[0] == pytest.approx(df["grunnskole"].iloc[0])  # the base year is known
    default = _csv(client, "/last-ned/graf/services-arsverk.csv?kommune=1804")
    assert default.set_index("year")["grunnskole"][2026] == pytest.approx(497.5, abs=0.1)


def test_edited_care_staffing_reaches_the_pressure_csv(client):
    df = _csv(client, "/last-ned/graf/pressure.csv?kommune=1804&po_bem=120")
    base = _csv(client, "/last-ned/graf/pressure.csv?kommune=1804")
    assert (df["per_1000"] / base["per_1000"]).round(9).eq(1.2).all()
    assert (df["per_1000_upper_80"] > base["per_1000_upper_80"]).iloc[1:].all()


def test_view_choices_reach_the_population_csv(client):
    df = _csv(client, "/last-ned/graf/pop.csv?kommune=1804&gruppe=80p&vis=LLML&scenario=HHMH")
    assert {"HHMH", "LLML"} <= set(df.columns)
    s = model.series("HHMH", "1804").set_index("year")["80p"]
    row = df.set_index("year")
    assert row.at[2040, "HHMH"] == pytest.approx(s[2040])
    assert row.at[2026, "observed"] == pytest.approx(s[2026])


def test_excel_variant_has_the_page_headers_in_the_language(client):
    resp = client.get(
        "/last-ned/graf/pressure.csv?kommune=1804&po_bem=120&lang=nn&variant=excel_no"
    )
    assert resp.status_code == 200
    assert "endrede-forutsetninger_excel.csv" in resp.headers["Content-Disposition"]
    text = resp.data.decode("utf-8")
    df = pd.read_csv(io.StringIO(text[1:]), sep=";", decimal=",")
    assert df.columns[0] == "År" and len(df.columns) == 5
    base = _csv(client, "/last-ned/graf/pressure.csv?kommune=1804&po_bem=120")
    assert df.iloc[:, 1].tolist() == base["per_1000"].round(1).tolist()


@pytest.mark.parametrize(
    ("query", "status", "needle"),
    [
        ("pop.csv?kommune=1804&po_bem=9999", 400, "mellom 10"),
        ("pop.csv?kommune=9999", 400, "«kommune»"),
        ("pop.csv", 400, "kommune="),
        ("nope.csv?kommune=1804", 404, "Fant ikke figuren"),
        ("map.csv?ind=xx&lang=en", 400, "“ind”"),
        ("pop.csv?kommune=1804&variant=zz", 404, "Fant ikke"),
    ],
)
def test_bad_chart_requests_get_one_clear_line(client, query, status, needle):
    resp = client.get("/last-ned/graf/" + query)
    body = resp.data.decode("utf-8")
    assert resp.status_code == status and needle in body, body
    assert "Traceback" not in body


def test_old_long_parameter_names_redirect_to_the_canonical_url(client):
    resp = client.get("/kommune/1804/tjenester?care_staffing_multiplier=120&lang=nn")
    assert resp.status_code == 301
    assert resp.headers["Location"].endswith("/kommune/1804/tjenester?po_bem=120&lang=nn")
