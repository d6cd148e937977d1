"""User journeys with a non-default view state: what the page shows, every chart CSV and the
report PDF agree, an invalid value is named, and a scenario change costs at most two requests."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader

from dashboard.text.formatting import fmt_number

from .conftest import wait_ready

pytestmark = pytest.mark.browser


def _cells(page, table_id: str, year: int) -> list[str]:
    """The text of one row of a chart's "Vis som tabell" table (the row of ``year``)."""
    return page.evaluate(
        "([id, year]) => Array.from(document.querySelectorAll('#' + id + ' table tbody tr'))"
        ".map(r => Array.from(r.children).map(c => c.textContent.trim()))"
        ".find(cells => cells[0] === String(year))",
        [table_id, year],
    )


def _download(page, selector: str) -> bytes:
    with page.expect_download() as dl:
        page.locator(selector).first.click()
    return Path(dl.value.path()).read_bytes()


def test_edited_state_gives_the_same_numbers_on_page_in_csv_and_in_report(page, app_url):
    """Nynorsk, scenario LHML, teachers at the legal norm, then care staffing edited to 120 %."""
    page.goto(app_url + "/kommune/1804/tjenester?laerer=lovkrav&scenario=LHML&lang=nn")
    wait_ready(page)
    box = page.locator("input[id*='care_staffing_multiplier']")
    box.fill("120")
    box.press("Enter")
    page.wait_for_url(re.compile(r"po_bem=120"))
    page.wait_for_function("() => document.querySelector('#asm-changed')")
    wait_ready(page)
    assert "laerer=lovkrav" in page.url and "scenario=LHML" in page.url

    raw = _download(page, "#svc-arsverk-block a.chart-download")
    arsverk = pd.read_csv(io.BytesIO(raw)).set_index("year")
    row = _cells(page, "svc-arsverk-table", 2030)  # year, barnehage, grunnskole, pleie ...
    assert row[2] == fmt_number(arsverk.at[2030, "grunnskole"], "nn", 0)
    assert row[3] == fmt_number(arsverk.at[2030, "pleie_og_omsorg"], "nn", 0)

    pressure = pd.read_csv(io.BytesIO(_download(page, "#pressure-block a.chart-download")))
    pressure = pressure.set_index("year")
    assert _cells(page, "pressure-chart-table", 2040)[1] == fmt_number(
        pressure.at[2040, "per_1000"], "nn", 1
    )

    pdf = _download(page, "#report-link")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    text = text.replace("\u00a0", " ")
    assert "LHML" in text
    for year in (2030, 2040):
        assert fmt_number(pressure.at[year, "per_1000"], "nn", 1).replace("\u00a0", " ") in text


def test_invalid_value_is_named_and_the_rest_is_kept(page, app_url):
    """On Tjenester, whose assumption fields fire when drawn: they must not rewrite the
    address, or the refused value and its notice would vanish."""
    page.goto(app_url + "/kommune/1804/tjenester?po_bem=9999&scenario=HHMH&lang=en")
    wait_ready(page)
    assert "po_bem=9999" in page.url
    notice = page.locator("#url-notice").inner_text()
    assert "Staffing in health and care" in notice or "9,999" in notice, notice
    assert "(HHMH)" in page.locator("#scenario-select").inner_text()  # the rest is kept


def test_the_kommune_survives_the_global_pages_and_back(page, app_url):
    page.goto(app_url + "/kommune/5610/tjenester")
    wait_ready(page)
    page.click("#nav-sammenlign")
    page.wait_for_url(re.compile(r"/sammenlign\?.*kommune=5610"))
    wait_ready(page)
    assert "Karasjok" in page.locator("#compare-table").inner_text()
    page.click("#nav-om")
    page.wait_for_url(re.compile(r"/om\?.*kommune=5610"))
    page.click("#nav-tjenester")
    page.wait_for_url(re.compile(r"/kommune/5610/tjenester"))
    wait_ready(page)
    assert "Karasjok" in page.locator("#page-title").inner_text()


def test_a_scenario_change_costs_at_most_two_requests(page, app_url):
    page.goto(app_url + "/kommune/1804/befolkning?pyramide=2030")
    wait_ready(page)
    posts: list[str] = []
    page.on(
        "request",
        lambda r: posts.append(r.url) if r.method == "POST" and "_dash-update" in r.url else None,
    )
    page.click("#scenario-select")
    page.locator("[role=option]", has_text="(LLML)").first.click()
    page.wait_for_url(re.compile(r"scenario=LLML"))
    wait_ready(page)
    assert "pyramide=2030" in page.url  # the view choice survives the switch
    assert len(posts) <= 2, posts
    posts.clear()
    males = (
        "() => Array.from(document.querySelector('#pyramid-chart .js-plotly-plot')._fullData[0].x)"
    )
    before = page.evaluate(males)
    handle = page.locator("#pyramid-year [role=slider]").first
    handle.focus()
    page.keyboard.press("End")
    page.wait_for_function(
        "() => document.querySelector('#pyramid-chart-title').innerText.includes('2050')"
    )
    wait_ready(page)
    assert len(posts) == 1, posts  # the slider: the chart's own request only
    assert page.evaluate(males) != before  # the pyramid of 2050, not of 2030
