"""The kommune report and printing, as a person does it in Chromium: click "Last ned rapport
(PDF)", open the downloaded file and read it; print every page and look at the paper."""

from __future__ import annotations

import re
import subprocess

import pytest
from pypdf import PdfReader

from .conftest import ROOT, SCREENSHOTS, shot, wait_ready
from .test_dashboard import PAGES

pytestmark = pytest.mark.browser

# the pages whose print layout differs: charts redrawn at the paper's width, the map as a
# picture, wide tables (the rest are text pages that print as they are)
PRINT_PAGES = {name: PAGES[name] for name in ("oversikt", "befolkning", "tjenester", "kart")}
A4_CSS_PX = (794, 1123)  # A4 at 96 dpi
PRINTABLE_PX = (210 - 24) / 25.4 * 96  # A4 less the 12 mm side margins of @page: 703 px


def _pdf_text(path: str) -> tuple[int, str]:
    reader = PdfReader(path)
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    return len(reader.pages), text


def _download_report(page) -> tuple[str, str]:
    link = page.get_by_role("link", name=re.compile(r"rapport \(PDF\)|report \(PDF\)"))
    with page.expect_download() as dl:
        link.click()
    download = dl.value
    return download.suggested_filename, download.path()


def test_report_button_on_oversikt_gives_the_pages_numbers(page, app_url):
    page.goto(app_url + "/kommune/1804?scenario=LHML")
    wait_ready(page)
    total_now = page.locator("#card-total .keyfig-value").inner_text()
    total_rows = page.locator("#card-total .keyfig-table td:first-child").all_inner_texts()
    old80 = page.locator("#card-80p .keyfig-value").inner_text()
    name, path = _download_report(page)
    assert name == "kommunefram_rapport_1804_LHML_nb.pdf"
    pages, text = _pdf_text(path)
    assert pages == 1
    assert "Bodø" in text and "Kilde: Statistisk sentralbyrå (SSB)" in text
    assert "Sterk aldring (LHML)" in text
    for shown in (total_now, *total_rows, old80):
        assert " ".join(shown.split()) in text, shown
    page.locator("#report-link").scroll_into_view_if_needed()
    shot(page, "report-oversikt-button", full_page=False)


def test_report_in_english_from_the_language_switch(page, app_url):
    page.goto(app_url + "/kommune/0301")
    wait_ready(page)
    page.click("#lang-en")
    page.wait_for_url(re.compile(r"lang=en"))
    page.wait_for_function(
        "() => (document.querySelector('#report-link') || {}).textContent"
        " === 'Download report (PDF)'"
    )
    wait_ready(page)
    shown = page.locator("#card-total .keyfig-value").inner_text()
    name, path = _download_report(page)
    assert name.endswith("_0301_MMMM_en.pdf")
    _, text = _pdf_text(path)
    assert "Municipality report" in text and "Oslo" in text and "728,714" in text
    assert shown in text and "Source: Statistics Norway (SSB)" in text


def test_edited_assumption_on_tjenester_reaches_the_report(page, app_url):
    page.goto(app_url + "/kommune/1804/tjenester")
    wait_ready(page)
    before = page.locator("#pressure-chart-summary").inner_text()
    box = page.locator("input[id*='care_staffing_multiplier']")
    box.click()
    box.press("Control+a")
    box.type("120")
    box.press("Enter")
    page.wait_for_function(
        "(b) => document.querySelector('#pressure-chart-summary').innerText !== b", arg=before
    )
    page.wait_for_function(
        "() => document.querySelector('#report-link').href.includes('po_bem=120')"
    )
    # The staffing-pressure values the page shows in its table, for the edited assumption.
    cells = page.locator("#pressure-chart-table tbody tr td:nth-child(2)").all_text_contents()
    assert len(cells) == 4
    _, path = _download_report(page)
    _, text = _pdf_text(path)
    assert "Endrede forutsetninger: Bemanning i pleie og omsorg 120 %" in text
    for value in cells:
        assert " ".join(value.split()) in text, value


def test_bad_report_link_shows_a_clear_message(page, app_url, console):
    console.allowed.append("status of 400")  # the answer is meant to be 400
    console.allowed.append("status of 404")  # a plain-text answer: the browser tries /favicon.ico
    resp = page.goto(app_url + "/kommune/1804/rapport.pdf?scenario=QQQQ")
    assert resp.status == 400
    assert "Ukjent framskrivingsalternativ «QQQQ»" in page.locator("body").inner_text()


@pytest.mark.parametrize("name", list(PRINT_PAGES))
def test_every_page_prints_cleanly(page, app_url, console, name):
    page.set_viewport_size({"width": A4_CSS_PX[0], "height": A4_CSS_PX[1]})
    page.goto(app_url + PRINT_PAGES[name])
    wait_ready(page)
    page.emulate_media(media="print")
    # print.js redraws the charts at the paper's width: wait for that, not for a fixed time
    page.wait_for_function(
        """(paper) => Array.from(document.querySelectorAll('.js-plotly-plot .main-svg'))
            .map(s => s.getBoundingClientRect().width)
            .every(x => x === 0 || (x <= paper && x >= paper * 0.8))""",
        arg=PRINTABLE_PX,
    )
    if name == "kart":  # WebGL prints blank: the map's copied picture stands in for it
        page.wait_for_function(
            """() => { const img = document.querySelector('#map-chart .map-print-image');
                return img && img.complete && img.naturalWidth > 300
                    && getComputedStyle(img).display === 'block'
                    && img.src.length > 30000; }"""  # a blank picture compresses to a few kB
        )
        canvas = page.locator("#map-chart .maplibregl-canvas")
        assert canvas.evaluate("c => getComputedStyle(c).visibility") == "hidden"
    hidden = page.evaluate(
        """() => ['#site-nav', '.picker', '.lang-switch', '.modebar-container', '.chart-tools',
                  '#report-link']
            .flatMap(s => Array.from(document.querySelectorAll(s)))
            .filter(el => getComputedStyle(el).display !== 'none').map(el => el.outerHTML.slice(0, 80))"""
    )
    assert hidden == [], hidden
    colours = page.evaluate(
        """() => Array.from(document.querySelectorAll('h1, h2, p, li, td, th'))
            .map(el => getComputedStyle(el).color)
            .filter(c => !/^rgb\\((0|34), (0|34), (0|34)\\)$/.test(c))"""
    )
    assert colours == [], sorted(set(colours))[:5]
    overflow = page.evaluate(
        """(paper) => Array.from(document.querySelectorAll('.js-plotly-plot .main-svg'))
            .map(s => s.getBoundingClientRect().width)
            .filter(x => x > 0 && (x > paper || x < paper * 0.8))""",
        PRINTABLE_PX,
    )
    assert overflow == [], f"charts not drawn at the paper's width: {overflow}"
    scenario = page.locator(".scenario-picker").inner_text()
    assert "Hovedalternativet" in scenario  # the printed page says which projection it shows
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pdf = SCREENSHOTS / f"print-{name}.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    pages, text = _pdf_text(str(pdf))
    assert pages >= 1 and "Statistisk sentralbyrå" in text
    if name in ("oversikt", "tjenester"):  # one page rendered to an image, to look at
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(pdf)[:-4]],
            check=False,
            cwd=ROOT,
        )
