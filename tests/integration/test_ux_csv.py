"""CSV for Excel (norsk): Norwegian headers with units, spelled-out codes, sensible rounding;
assumptions flow into the downloads (real data: Oslo 1 Jan 2026 = 728 714)."""

from __future__ import annotations

import io

import pandas as pd
import pytest

import app as dash_app
from dashboard.data import model
from dashboard.files import excel_csv
from dashboard.views import chartdata


@pytest.fixture(scope="module")
def client():
    return dash_app.server.test_client()


def _read_excel_csv(data: bytes) -> pd.DataFrame:
    text = data.decode("utf-8")
    assert text.startswith("\ufeff")
    return pd.read_csv(io.StringIO(text[1:]), sep=";", decimal=",")


def test_population_excel_csv_is_for_people(client):
    resp = client.get("/last-ned/population.csv?region=0301&scenario=MMMM&variant=excel_no")
    df = _read_excel_csv(resp.data)
    assert list(df.columns) == [
        "Framskrivingsalternativ",
        "År",
        "Regionnummer",
        "Region",
        "Kjønn",
        "Alder (år)",
        "Personer 1. januar (antall)",
    ]
    assert set(df["Kjønn"]) == {"Menn", "Kvinner"}
    first = df[df["År"] == 2026]
    assert first["Personer 1. januar (antall)"].sum() == 728_714
    assert (df["Personer 1. januar (antall)"] % 1 == 0).all()  # persons whole
    assert "persons" not in resp.data.decode("utf-8")


def test_standard_csv_keeps_machine_codes(client):
    resp = client.get("/last-ned/population.csv?region=0301&scenario=MMMM&variant=standard")
    head = resp.data.decode("utf-8").splitlines()[0]
    assert head == "scenario,year,kommune,sex,age,persons"


def test_services_excel_rounds_by_unit_and_names_sectors(client):
    resp = client.get("/last-ned/services.csv?region=1804&scenario=MMMM&variant=excel_no&lang=nb")
    df = _read_excel_csv(resp.data)
    assert "Barnehage" in set(df["Tjeneste"]) and "Årsverk" in set(df["Mål"])
    persons = df[df["Enhet"] == "personer"]["Verdi"]
    assert (persons % 1 == 0).all()
    others = df[df["Enhet"] != "personer"]["Verdi"]
    assert ((others * 10).round(6) % 1 == 0).all()  # one decimal


def test_changed_assumptions_flow_into_the_table_download(client):
    base = client.get("/last-ned/indicators.csv?region=1804&scenario=MMMM&variant=standard")
    changed = client.get(
        "/last-ned/indicators.csv?region=1804&scenario=MMMM&variant=standard&po_bem=120"
    )
    assert "endrede-forutsetninger" in changed.headers["Content-Disposition"]
    assert "endrede-forutsetninger" not in base.headers["Content-Disposition"]
    b = pd.read_csv(io.BytesIO(base.data))
    c = pd.read_csv(io.BytesIO(changed.data))
    key = "bemanningspress_pleie_og_omsorg"
    vb = b[b["indicator"] == key].set_index("year")["value"]
    vc = c[c["indicator"] == key].set_index("year")["value"]
    assert (vc / vb).round(9).eq(1.2).all()  # care årsverk per user x 1.2
    bad = client.get("/last-ned/indicators.csv?region=1804&po_bem=0")
    assert bad.status_code == 400 and "mellom 10" in bad.data.decode("utf-8")


def test_plain_chart_whole_numbers_for_persons():
    df = chartdata.index_table("0301", "MMMM")
    out = excel_csv.plain_chart(df[["year", "80p"]], "nb", {"year": "År", "80p": "80 år og eldre"})
    assert str(out["80 år og eldre"].dtype) == "Int64"
    assert out["80 år og eldre"].iloc[0] == round(
        float(model.series("MMMM", "0301").set_index("year").at[2026, "80p"])
    )


def test_nynorsk_excel_csv_names_services_and_measures_in_nynorsk(client):
    resp = client.get("/last-ned/services.csv?region=1804&scenario=MMMM&variant=excel_no&lang=nn")
    text = resp.data.decode("utf-8")
    df = _read_excel_csv(resp.data)
    services = set(df["Teneste"])
    assert {"Grunnskule", "Heimetenester"} <= services, sorted(services)
    assert "Brukarar" in text and "Brukere" not in text and "Hjemmetjenester" not in text
    ind = client.get("/last-ned/indicators.csv?region=1804&scenario=MMMM&variant=excel_no&lang=nn")
    assert "Endring i bemanningspress, grunnskule, frå basisåret" in ind.data.decode("utf-8")
