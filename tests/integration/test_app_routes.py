"""Routing, deep links, HTTP status codes and page layouts without a browser."""

from __future__ import annotations

import json
import re

import pytest
from layout_text import text as page_text

import app as dash_app
from dashboard.data import model
from dashboard.state import routes
from dashboard.text.i18n import t
from dashboard.ui import shell_callbacks
from data_sources import catalogue


@pytest.fixture(scope="module")
def client():
    return dash_app.server.test_client()


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/", 200),
        ("/kommune/0301", 200),
        ("/kommune/0301/befolkning?scenario=LLML&lang=nn", 200),
        ("/kommune/03/tjenester", 200),
        ("/kommune/0/data", 200),
        ("/sammenlign?k=0301,1804", 200),
        ("/kart", 200),
        ("/om?lang=en", 200),
        ("/kommune/9999", 404),
        ("/kommune/0301/ukjent", 404),
        ("/kommune/0301/befolkning/mer", 404),
        ("/finnes-ikke", 404),
    ],
)
def test_status_codes(client, path, status):
    resp = client.get(path)
    assert resp.status_code == status
    assert b"_dash-config" in resp.data  # always the app, never a bare error page


def test_html_lang_attribute(client):
    assert b'<html lang="en">' in client.get("/om?lang=en").data
    assert b'<html lang="nb">' in client.get("/om?lang=xx").data


def test_url_helpers_roundtrip():
    href = routes.href("befolkning", "1804", "LLML", "nn")
    assert href == "/kommune/1804/befolkning?scenario=LLML&lang=nn"
    assert routes.section_of("/kommune/1804/befolkning") == ("befolkning", "1804")
    assert routes.section_of("/kommune/1804") == ("oversikt", "1804")
    assert routes.section_of("/sammenlign") == ("sammenlign", None)
    assert routes.parse_search("?scenario=MMMM&lang=en") == {"scenario": "MMMM", "lang": "en"}


def test_shell_callback_notices_bad_values():
    out = shell_callbacks.update_shell("/kommune/0301", "?scenario=ZZZZ&lang=xx")
    assert out[7] == model.DEFAULT_SCENARIO
    notices = str(out[10])
    assert "ZZZZ" in notices and "xx" in notices
    assert out[3] == "0301"


@pytest.mark.parametrize("module", ["oversikt", "befolkning", "tjenester", "data"])
def test_kommune_pages_render_and_handle_unknown_codes(module):
    mod = __import__(f"pages.{module}", fromlist=["layout"])
    ok = str(mod.layout(code="1804", scenario="MMMM", lang="nb"))
    assert "Bodø" in ok
    assert t("notice.render_error", "nb") not in ok
    missing = str(mod.layout(code="9999", lang="nb"))
    assert "not-found" in missing


def test_global_pages_render():
    from pages import home, kart, om, sammenlign

    for mod in (home, kart, om, sammenlign):
        text = str(mod.layout(lang="nb"))
        assert t("notice.render_error", "nb") not in text, mod.__name__


def test_region_aggregates_are_sums():
    fylke = model.series("MMMM", "18").set_index("year")["total"]
    members = sum(
        model.series("MMMM", c).set_index("year")["total"] for c in catalogue().kommuner_in("18")
    )
    assert (fylke - members).abs().max() < 1e-6


def test_layout_request_uses_the_language_of_the_page(client):
    client.get("/")
    english = client.get("/_dash-layout", headers={"Referer": "http://x/kommune/0301?lang=en"})
    assert "Population, services and staffing" in english.get_data(as_text=True)
    default = client.get("/_dash-layout")
    assert "Befolkning, tjenester og bemanning" in default.get_data(as_text=True)


def test_table_download_route(client):
    ok = client.get("/last-ned/components.csv?region=1804&scenario=LLML&variant=standard")
    assert ok.status_code == 200
    assert "kommunefram_components_1804_LLML.csv" in ok.headers["Content-Disposition"]
    assert ok.data.startswith(b"scenario,year,kommune,population,births")
    excel = client.get("/last-ned/services.csv?region=03&variant=excel_no")
    # the Excel variant is for people: Norwegian headers (tests/integration/test_ux_csv.py has the details)
    assert excel.data.decode("utf-8").startswith(
        "\ufeffFramskrivingsalternativ;Bruksbane;År;Regionnummer"
    )
    assert client.get("/last-ned/population.csv?region=9999").status_code == 404
    assert client.get("/last-ned/population.csv?scenario=XXXX").status_code == 404
    assert client.get("/last-ned/secrets.csv").status_code == 404


@pytest.mark.parametrize(
    ("query", "usage", "service"),
    [
        ({"bruk": "trend", "tjeneste": "hjemmetjenester"}, "trend", "hjemmetjenester"),
        ({"bruk": "<b>x</b>", "tjeneste": ["a"]}, "today", "institusjon"),  # fall back quietly
        ({}, "today", "institusjon"),
    ],
)
def test_usage_chart_choices_come_from_the_url(query, usage, service):
    from pages import tjenester

    layout = tjenester.layout(code="1804", scenario="MMMM", lang="nb", **query)
    found = {}

    def walk(node):
        if getattr(node, "id", None) in ("needs-usage", "needs-service"):
            found[node.id] = node.value
        children = getattr(node, "children", None)
        for child in children if isinstance(children, list | tuple) else [children]:
            if child is not None and not isinstance(child, str | int | float):
                walk(child)

    walk(layout)
    assert found == {"needs-usage": usage, "needs-service": service}
    assert "<b>" not in str(layout)


def _nav_hrefs(nav: list) -> dict[str, str]:
    """Menu item -> href, from the navigation's element JSON."""
    text = json.dumps(nav, default=lambda o: o.to_plotly_json())
    return {
        k: v
        for v, k in re.findall(
            r'"href": "([^"]+)", "className": "nav-link[^"]*", "id": "nav-(\w+)"', text
        )
    }


def test_the_kommune_survives_sammenlign_kart_and_om():
    """From Karasjok's Tjenester page every menu link keeps Karasjok: the global pages carry
    it as kommune=, and their own menu links lead back to /kommune/5610/..."""
    from pages import sammenlign

    out = shell_callbacks.update_shell("/kommune/5610/tjenester", "?lang=nb&po_bem=110", "nb")
    links = _nav_hrefs(out[1])
    assert links["sammenlign"].startswith("/sammenlign?") and "kommune=5610" in links["sammenlign"]
    assert "kommune=5610" in links["kart"] and "kommune=5610" in links["om"]
    assert (
        links["befolkning"].startswith("/kommune/5610/befolkning?")
        and "po_bem=110" in links["befolkning"]
    )
    back = shell_callbacks.update_shell("/om", "?lang=nb&kommune=5610", "nb")
    assert back[3] == "5610"  # the picker still shows Karasjok
    links = _nav_hrefs(back[1])
    assert links["tjenester"].startswith("/kommune/5610/tjenester?")
    page = sammenlign.layout(kommune="5610")
    picker = next(c for c in _walk(page) if getattr(c, "id", None) == "compare-picker")
    assert picker.value == ["5610", "56", "0"]  # Karasjok, Finnmark and Norway


def _walk(component):
    yield component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children]:
        if hasattr(child, "to_plotly_json"):
            yield from _walk(child)


def test_comparing_one_region_says_what_it_shows_not_a_ranking():
    """With one region chosen, Sammenlign no longer says 'Hele landet har høyest verdi (110)
    og Hele landet lavest (110)'."""
    from pages import sammenlign

    one = page_text(sammenlign.layout(lang="nb"))
    assert "og Hele landet lavest" not in one and "vokse mest av de valgte" not in one
    assert "Velg flere kommuner over for å sammenligne" in one
    two = page_text(sammenlign.layout(k="0301,1804", lang="nb"))
    assert "høyest verdi" in two and "Velg flere kommuner" not in two
