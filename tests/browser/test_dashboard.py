"""End-to-end tests of the dashboard in headless Chromium (one app per session)."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pandas as pd
import pytest
from interval_contract import INTERVAL_COLUMNS

from .conftest import EXPECTED_404, ROOT, open_picker, shot, wait_ready

pytestmark = pytest.mark.browser

PAGES = {
    "forside": "/",
    "oversikt": "/kommune/1804",
    "befolkning": "/kommune/1804/befolkning",
    "tjenester": "/kommune/1804/tjenester",
    "sammenlign": "/sammenlign?k=1804,0301,4601",
    "kart": "/kart",
    "data": "/kommune/1804/data",
    "om": "/om",
}


def pick_region(page, text: str, option_text: str) -> None:
    """Click the kommune picker, type like a person and choose the option with ``option_text``."""
    open_picker(page)
    page.keyboard.type(text)  # focus lands in the search field (assets/picker_focus.js)
    page.locator("[role=option]", has_text=option_text).first.click()


def plot_data(page, graph_id: str) -> list[dict]:
    page.wait_for_function(
        "(id) => { const g = document.querySelector('#' + id + ' .js-plotly-plot');"
        " return g && g._fullData && g._fullData.length > 0; }",
        arg=graph_id,
    )
    return page.evaluate(
        "(id) => document.querySelector('#' + id + ' .js-plotly-plot')._fullData"
        ".map(t => ({name: t.name, x: Array.from(t.x || []), y: Array.from(t.y || [])}))",
        graph_id,
    )


def http_status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as resp:
            return int(resp.status)
    except urllib.error.HTTPError as err:
        return int(err.code)


def test_choose_kommune_in_dropdown_shows_its_numbers(page, app_url):
    from data_sources import catalogue

    page.goto(app_url + "/kommune/0301")
    wait_ready(page)
    pick_region(page, "Bodø", "Bodø (1804)")
    page.wait_for_function("() => location.pathname === '/kommune/1804'")
    page.wait_for_function("() => document.querySelector('#page-title').innerText === 'Bodø'")
    wait_ready(page)
    expected = f"{catalogue().get('1804').population_2026:,}".replace(",", "\u00a0")
    assert page.locator("#card-total .keyfig-value").inner_text().replace(" ", "\u00a0") == expected
    assert "Nordland" in page.locator(".kicker").inner_text()
    # Browser back returns to Oslo.
    page.go_back()
    page.wait_for_function("() => document.querySelector('#page-title').innerText === 'Oslo'")


def test_picker_finds_sami_names_both_ways(page, app_url):
    page.goto(app_url + "/kommune/0301")
    wait_ready(page)
    page.click("#region-picker")
    for text in ("karasjok", "Kárášjohka", "5610"):
        page.fill("input.dash-dropdown-search", text)
        assert page.locator("[role=option]", has_text="Karasjok").count() >= 1, text
    page.keyboard.press("Escape")


def test_switch_scenario_changes_chart_data(page, app_url):
    page.goto(app_url + "/kommune/1804/befolkning?scenario=MMMM&lang=nb")
    wait_ready(page)
    before = {t["name"]: t for t in plot_data(page, "pop-chart")}
    projected = next(n for n in before if "MMMM" in str(n))
    page.click("#scenario-select")
    page.locator("[role=option]", has_text="(HHMH)").first.click()
    page.wait_for_url(re.compile(r"scenario=HHMH"))
    page.wait_for_function(
        "() => Array.from(document.querySelector('#pop-chart .js-plotly-plot')._fullData)"
        ".some(t => String(t.name).includes('HHMH'))"
    )
    after = {t["name"]: t for t in plot_data(page, "pop-chart")}
    new = next(n for n in after if "HHMH" in str(n))
    assert before[projected]["y"][-1] != pytest.approx(after[new]["y"][-1], rel=1e-6)
    assert after[new]["y"][-1] > before[projected]["y"][-1]  # high growth beats main scenario


def _cli_frame(code: str, variant: str = "standard") -> pd.DataFrame:
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "projections",
            "project",
            "--kommune",
            code,
            "--csv-variant",
            variant,
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout
    return out


def test_csv_download_equals_cli_output(page, app_url):
    page.goto(app_url + "/kommune/1804/data")
    wait_ready(page)
    with page.expect_download() as dl:
        page.click("#dl-standard")
    raw = Path(dl.value.path()).read_bytes()
    cli = _cli_frame("1804")
    got = pd.read_csv(io.BytesIO(raw), dtype={"kommune": str})
    want = pd.read_csv(io.BytesIO(cli), dtype={"kommune": str})
    pd.testing.assert_frame_equal(got, want)
    assert raw == cli  # the very same bytes: one writer for both

    with page.expect_download() as dl2:
        page.click("#dl-excel")
    raw_xl = Path(dl2.value.path()).read_bytes()
    assert raw_xl.startswith(b"\xef\xbb\xbf")
    assert dl2.value.suggested_filename.endswith(".csv")
    xl = pd.read_csv(io.BytesIO(raw_xl), sep=";", decimal=",", encoding="utf-8-sig")
    # the Excel variant is for people (issue 12): Norwegian headers, whole persons
    assert list(xl.columns)[-1] == "Personer 1. januar (antall)"
    assert xl["Personer 1. januar (antall)"].tolist() == want["persons"].round(0).tolist()


def test_choosing_all_kommuner_points_the_download_at_every_kommune(page, app_url):
    page.goto(app_url + "/kommune/1804/data")
    wait_ready(page)
    assert "region=1804" in page.get_attribute("#dl-standard", "href")
    page.get_by_text("Alle 357 kommuner").click()
    page.wait_for_function(
        "() => document.querySelector('#dl-standard').href.includes('region=alle')"
    )
    assert "_alle_" in page.get_attribute("#dl-standard", "download")
    assert "region=alle" in page.get_attribute("#dl-excel", "href")


def test_chart_csv_and_table_alternative(page, app_url):
    page.goto(app_url + "/kommune/1804")
    wait_ready(page)
    page.locator("#overview-index-title").scroll_into_view_if_needed()
    page.locator(".table-details summary").first.click()
    assert page.locator("#overview-index-table table tbody tr").count() >= 20
    with page.expect_download() as dl:
        page.locator("a.chart-download").first.click()
    df = pd.read_csv(dl.value.path())
    assert {"year", "80p"} <= set(df.columns)
    assert df["year"].iloc[0] == 2026


def test_deep_link_opens_directly(page, app_url):
    page.goto(app_url + "/kommune/5001/tjenester?scenario=LLML&lang=en")
    wait_ready(page)
    assert "Trondheim" in page.locator("#page-title").inner_text()
    assert "Services and staffing" in page.locator("#site-nav").inner_text()
    assert "(LLML)" in page.locator("#scenario-select").inner_text()
    assert page.evaluate("document.documentElement.lang") == "en"
    shot(page, "tjenester_en_deeplink")


def test_unknown_kommune_gives_not_found_and_404(page, console, app_url):
    console.allowed.append(EXPECTED_404)
    assert http_status(app_url + "/kommune/9999") == 404
    assert http_status(app_url + "/kommune/9999/befolkning") == 404
    assert http_status(app_url + "/ingen-slik-side") == 404
    assert http_status(app_url + "/kommune/0301") == 200
    page.goto(app_url + "/kommune/bodx")  # ("/kommune/bodo" now leads to Bodø by name)
    wait_ready(page)
    assert page.locator("#not-found").is_visible()
    assert "Fant ikke siden" in page.locator("#page-title").inner_text()
    assert page.locator(".suggestion-list a", has_text="Bodø").count() == 1
    shot(page, "fant_ikke")


def test_bad_scenario_and_language_fall_back_with_notice(page, app_url):
    page.goto(app_url + "/kommune/0301?scenario=XXXX&lang=de")
    wait_ready(page)
    notice = page.locator("#url-notice").inner_text()
    assert "XXXX" in notice and "de" in notice
    assert "Hovedalternativet" in page.locator("#scenario-select").inner_text()


def test_switch_language(page, app_url):
    page.goto(app_url + "/kommune/4601/befolkning")
    wait_ready(page)
    page.click("#lang-nn")
    page.wait_for_url(re.compile(r"lang=nn"))
    page.wait_for_function(
        "() => document.querySelector('#page-title').innerText.startsWith('Folketalet')"
    )
    # header, navigation and page content are separate callbacks: wait for each, as the
    # person sees them arrive
    page.wait_for_function(
        "() => document.querySelector('#site-nav').innerText.includes('Folketal')"
    )
    assert page.evaluate("document.documentElement.lang") == "nn"
    page.click("#lang-en")
    page.wait_for_url(re.compile(r"lang=en"))
    page.wait_for_function(
        "() => document.querySelector('#page-title').innerText.startsWith('Population')"
    )
    page.wait_for_function(
        "() => document.querySelector('#site-nav').innerText.includes('Compare')"
    )
    page.wait_for_function(
        "() => document.querySelector('#site-footer').innerText.includes('Source: Statistics Norway')"
    )
    assert page.evaluate("document.documentElement.lang") == "en"


def test_assumptions_recompute_and_reset(page, app_url):
    page.goto(app_url + "/kommune/1804/tjenester")
    wait_ready(page)
    before = page.locator("#pressure-chart-summary").inner_text()
    box = page.locator("input[id*='care_staffing_multiplier']")
    box.fill("150")
    box.press("Enter")
    page.wait_for_function(
        "(b) => document.querySelector('#pressure-chart-summary').innerText !== b", arg=before
    )
    page.click("#asm-reset")
    page.wait_for_function(
        "(b) => document.querySelector('#pressure-chart-summary').innerText === b", arg=before
    )


def test_compare_and_map_pages(page, app_url):
    page.goto(app_url + "/sammenlign?k=1804,0301")
    wait_ready(page)
    assert page.locator("#compare-table tbody tr").count() == 2
    page.locator(".suggest-row a.chip").first.click()
    page.wait_for_function(
        "() => document.querySelectorAll('#compare-table tbody tr').length === 3"
    )
    page.goto(app_url + "/kart?ind=share_80p&year=2050")
    wait_ready(page)
    assert "2050" in page.locator("#map-chart-title").inner_text()
    plot_data(page, "map-chart")
    # A click on a kommune (as Plotly reports it) opens that kommune's page. dcc.Graph binds
    # its click handler after the first draw, so re-send the click until the page changes.
    page.wait_for_function(
        "() => { if (location.pathname === '/kommune/1804') return true;"
        " const g = document.querySelector('#map-chart .js-plotly-plot');"
        " if (g && g.emit) g.emit('plotly_click',"
        " {points: [{location: '1804', curveNumber: 0, pointNumber: 0, z: 1}]});"
        " return false; }",
        polling=700,
    )
    page.wait_for_function("() => document.querySelector('#page-title').innerText === 'Bodø'")


def test_mobile_width(browser, app_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1)
    pg = context.new_page()
    pg.goto(app_url + "/kommune/1804")
    wait_ready(pg)
    width = pg.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"horizontal scroll on mobile: {width}px"
    shot(pg, "oversikt_mobil")
    context.close()


def test_intervals_table_from_the_data_page(page, app_url):
    """Choose the uncertainty table and download it: the numbers the fan chart is drawn from."""
    page.goto(app_url + "/kommune/1151/data")
    wait_ready(page)
    page.get_by_text("Usikkerhet (80 % og 95 % prediksjonsintervall)").click()
    page.wait_for_function(
        "() => document.querySelector('#dl-standard').href.includes('/last-ned/intervals.csv')"
    )
    with page.expect_download() as dl:
        page.click("#dl-standard")
    df = pd.read_csv(dl.value.path())
    assert list(df.columns) == INTERVAL_COLUMNS
    total = df[(df["age_group"] == "total") & (df["year"] == 2026)]
    assert (total["median"] == 219).all()  # Utsira, 1 January 2026
    later = df[(df["age_group"] == "total") & (df["year"] == 2040)].set_index("level")
    assert (
        later.at[95, "lower"]
        < later.at[80, "lower"]
        < later.at[80, "upper"]
        < later.at[95, "upper"]
    )
