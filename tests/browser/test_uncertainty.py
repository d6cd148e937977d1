"""Prediction intervals in the browser: a large (Oslo) and a tiny kommune (Utsira 1151).

Fan chart on Befolkning (total and a chosen age group), key-card intervals on Oversikt, track
record, CSV with interval columns, intervals on the Tjenester charts, summary on Om.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from .conftest import shot, wait_ready
from .test_dashboard import plot_data

pytestmark = pytest.mark.browser

BAND_80 = "80 %-intervall"
BAND_95 = "95 %-intervall"


def _number(text: str) -> float:
    return float(re.sub(r"[\s\u00a0\u202f]", "", text).replace("−", "-").replace(",", "."))


def _fan_width(traces: list[dict], year: int, level_name: str) -> float:
    """Relative width (upper - lower) / midpoint of a fan band in ``year``, from the chart."""
    by_name = {t["name"]: t for t in traces}
    lo, hi = by_name[level_name], by_name[f"{level_name} hi"]
    i = lo["x"].index(year)
    return (hi["y"][i] - lo["y"][i]) / ((hi["y"][i] + lo["y"][i]) / 2)


def _befolkning(page, app_url: str, code: str) -> dict[str, float]:
    page.goto(app_url + f"/kommune/{code}/befolkning")
    wait_ready(page)
    traces = plot_data(page, "pop-chart")
    names = {t["name"] for t in traces}
    assert {BAND_80, BAND_95} <= names
    assert any("Scenarioer" in str(n) for n in names)  # the band is labelled as scenarios
    w80, w95 = _fan_width(traces, 2040, BAND_80), _fan_width(traces, 2040, BAND_95)
    assert 0 < w80 < w95
    # track record: three origins, this kommune beside the national figures
    page.wait_for_selector("#track-record-table table tbody tr")  # Markdown renders lazily
    rows = page.locator("#track-record-table table tbody tr")
    assert rows.count() == 3
    assert "2010" in rows.nth(0).inner_text() and "2019" in rows.nth(2).inner_text()
    head = page.locator("#track-record-table thead").inner_text()
    assert "Hele landet" in head and "Alle kommuner" in head
    assert page.locator("#unc-sentence").is_visible()
    # the chosen age group gets its own fan
    page.click("#pop-group")
    page.locator("[role=option]", has_text="80 år og eldre").first.click()
    page.wait_for_function(
        "(w) => { const d = document.querySelector('#pop-chart .js-plotly-plot')._fullData;"
        " const lo = d.find(t => t.name === '80 %-intervall');"
        " const hi = d.find(t => t.name === '80 %-intervall hi');"
        " const i = Array.from(lo.x).indexOf(2040);"
        " return Math.abs((hi.y[i] - lo.y[i]) / ((hi.y[i] + lo.y[i]) / 2) - w) > 1e-6; }",
        arg=w80,
    )
    old = plot_data(page, "pop-chart")
    w80_old = _fan_width(old, 2040, BAND_80)
    # the chart's CSV carries the interval columns
    with page.expect_download() as dl:
        page.locator("#pop-block a.chart-download").first.click()
    df = pd.read_csv(dl.value.path())
    assert {"lower_80", "upper_80", "lower_95", "upper_95"} <= set(df.columns)
    future = df[df["year"] >= 2027]
    assert (future["lower_95"] < future["lower_80"]).all()
    assert (future["upper_80"] < future["upper_95"]).all()
    shot(page, f"befolkning_fan_{code}")
    return {"total": w80, "80p": w80_old}


def _oversikt(page, app_url: str, code: str) -> float:
    page.goto(app_url + f"/kommune/{code}")
    wait_ready(page)
    card = page.locator("#card-total")
    intervals = card.locator(".keyfig-interval")
    assert intervals.count() == 3  # 2030, 2040, 2050
    row = card.locator("tbody tr").nth(1)  # 2040
    assert row.locator("th").inner_text() == "2040"
    cell = row.locator("td").first.inner_text()
    m = re.match(
        r"\s*([\d\s\u00a0\u202f]+)\s*\(80 %:\s*([\d\s\u00a0\u202f]+)–([\d\s\u00a0\u202f]+)\)", cell
    )
    assert m, cell
    value, lo, hi = (_number(x) for x in m.groups())
    assert lo < value < hi
    shot(page, f"oversikt_intervals_{code}")
    return (hi - lo) / value


def test_large_and_tiny_kommune_intervals(page, app_url):
    oslo = _befolkning(page, app_url, "0301")
    assert page.locator("#unc-small-note").count() == 0
    utsira = _befolkning(page, app_url, "1151")
    assert page.locator("#unc-small-note").count() == 1
    # the tiny kommune's relative interval is visibly wider
    assert utsira["total"] > 1.5 * oslo["total"], (utsira, oslo)
    assert utsira["80p"] > 1.5 * oslo["80p"], (utsira, oslo)

    card_oslo = _oversikt(page, app_url, "0301")
    card_utsira = _oversikt(page, app_url, "1151")
    assert card_utsira > 1.5 * card_oslo, (card_utsira, card_oslo)
    assert card_oslo == pytest.approx(oslo["total"], rel=0.05)  # the same numbers on both pages


def test_services_and_pressure_intervals(page, app_url):
    page.goto(app_url + "/kommune/1151/tjenester")
    wait_ready(page)
    names = [t["name"] for t in plot_data(page, "svc-arsverk")]
    assert any(str(n).startswith("80 %-intervall") for n in names)
    err = page.evaluate(
        "() => { const d = document.querySelector('#pressure-chart .js-plotly-plot')._fullData[0];"
        " return d.error_y && Array.from(d.error_y.array || []); }"
    )
    assert err and err[0] == 0 and max(err) > 0  # none in the base year, then growing
    shot(page, "tjenester_intervals_1151")


def test_om_summarises_uncertainty(page, app_url):
    page.goto(app_url + "/om")
    page.wait_for_selector("#unc-om")
    assert "80 %" in page.locator("#unc-om").inner_text()
