"""Old kommune numbers and names in links lead to today's kommune (real mapping data)."""

from __future__ import annotations

import pytest
from layout_text import text as page_text

import app as dash_app
from dashboard.state import old_codes
from dashboard.ui import ux_notices


@pytest.fixture(scope="module")
def client():
    return dash_app.server.test_client()


def test_renumbered_merged_and_split_from_the_mapping():
    baerum = old_codes.old_code("0219")
    assert baerum.targets == ("3201",) and not baerum.merged and baerum.since == 2020
    assert old_codes.old_code("3024").targets == ("3201",)  # Viken number, 2020-2023
    mandal = old_codes.old_code("1002")
    assert mandal.targets == ("4205",) and mandal.merged
    tysfjord = old_codes.old_code("1850")
    assert tysfjord.split and set(tysfjord.targets) == {"1806", "1875"}
    assert old_codes.old_code("1804") is None  # current numbers are not "old"


def test_every_old_number_since_2005_leads_to_todays_kommuner():
    from data_sources import catalogue

    cat = catalogue()
    m = cat.mapping
    old = set(m[(m["last_year"] >= 2005) & (m["original_code"] != m["code_2024"])]["original_code"])
    old -= set(cat.kommune_codes)
    assert len(old) > 150
    for code in old:
        oc = old_codes.old_code(code)
        assert oc is not None, code
        assert all(t in cat.kommune_codes for t in oc.targets)


@pytest.mark.parametrize(
    ("path", "location"),
    [
        ("/kommune/0219", "/kommune/3201?fra=0219"),
        ("/kommune/0219/befolkning?lang=nn", "/kommune/3201/befolkning?lang=nn&fra=0219"),
        ("/kommune/1002/tjenester", "/kommune/4205/tjenester?fra=1002"),
        ("/kommune/bod%C3%B8", "/kommune/1804"),
        ("/kommune/B%C3%A6rum/data", "/kommune/3201/data"),
        ("/kommune/oslo", "/kommune/0301"),
    ],
)
def test_old_numbers_and_names_redirect(client, path, location):
    resp = client.get(path)
    assert resp.status_code == 302
    assert resp.headers["Location"].endswith(location)


@pytest.mark.parametrize("path", ["/kommune/1850", "/kommune/1804/foo", "/kommune/Her%C3%B8y"])
def test_no_guessing_for_split_unknown_subpage_or_ambiguous_name(client, path):
    assert client.get(path).status_code == 404


def test_notice_texts():
    text = ux_notices.old_code_notice("0219", "3201", "nb")[0].children
    assert (
        text == "Kommunenummer 0219 er nå 3201 Bærum. Det gamle nummeret ble brukt til og med 2019."
    )
    merged = ux_notices.old_code_notice("1002", "4205", "nb")[0].children
    assert "slått sammen" in merged and "4205 Lindesnes" in merged
    assert ux_notices.old_code_notice("0219", "1804", "nb") == []  # crafted link: no text


def test_not_found_pages_say_what_is_wrong():
    sub = page_text(ux_notices.not_found_special("1804/foo", "MMMM", "nb"))
    assert "Bodø finnes, men har ingen side som heter «foo»" in sub
    split = page_text(ux_notices.not_found_special("1850", "MMMM", "nb"))
    assert "1806 Narvik og 1875 Hábmer - Hamarøy" in split  # as SSB writes it
    herøy = page_text(ux_notices.not_found_special("Her%C3%B8y", "MMMM", "nb"))
    assert "Flere kommuner heter «Herøy»" in herøy
    from dashboard.ui import context

    decoded = page_text(context.not_found("xyz%C3%B8", "MMMM", "nb"))
    assert "«xyzø»" in decoded and "%C3" not in decoded
