"""Tjenester page in headless Chromium: usage path choice, finer age groups, CSV per path."""

from __future__ import annotations

import pandas as pd
import pytest

from .conftest import shot, wait_ready

pytestmark = pytest.mark.browser

AGE_LABELS = ["0–66 år", "67–79 år", "80–89 år", "90 år og eldre"]
TODAY, TREND = "Alle aldre, dagens standard", "Alle aldre, lavere dekning som 2015–2025"
BAND = "Spennet mellom de to bruksbanene (valg, ikke usikkerhet)"


def _series(page) -> dict[str, list[float]]:
    page.wait_for_function(
        "() => { const g = document.querySelector('#needs-age-chart .js-plotly-plot');"
        " return g && g._fullData && g._fullData.length === 7; }"
    )
    data = page.evaluate(
        "() => document.querySelector('#needs-age-chart .js-plotly-plot')._fullData"
        ".map(t => ({name: t.name, y: Array.from(t.y || [])}))"
    )
    return {d["name"].replace("<br>", " "): d["y"] for d in data}  # long names break in two


def _download(page) -> pd.DataFrame:
    with page.expect_download() as dl:
        page.locator("#needs-age-block a.chart-download").first.click()
    return pd.read_csv(dl.value.path())


def test_usage_path_switch_changes_chart_and_csv(page, app_url):
    page.set_default_timeout(120_000)  # first use computes both usage paths and the backtest
    page.goto(app_url + "/kommune/0301/tjenester")
    wait_ready(page)
    # choose the kommune as a person would: click the picker and type
    page.click("#region-picker")
    page.fill("input.dash-dropdown-search", "Tromsø")
    page.locator("[role=option]", has_text="Tromsø (5501)").first.click()
    page.wait_for_function("() => location.pathname === '/kommune/5501/tjenester'")
    wait_ready(page)
    page.locator("#needs-usage-title").scroll_into_view_if_needed()
    assert "dagens standard" in page.locator("#needs-age-chart-title").inner_text()
    today = _series(page)
    # the finer old-age groups, then both paths' totals with the span between them hatched
    assert list(today) == [*AGE_LABELS, TREND, BAND, TODAY]
    assert "usikkerhetsintervall" in page.locator("#needs-intensity").inner_text()
    csv_today = _download(page)
    assert set(csv_today["usage"]) == {"today"} and set(csv_today["service"]) == {"institusjon"}
    assert list(csv_today.columns) == [
        "usage",
        "service",
        "year",
        "0_66",
        "67_79",
        "80_89",
        "90p",
        "brukere",
        "brukere_today",
        "brukere_trend",
    ]
    # the chart shows exactly the CSV's numbers, the two paths' totals included
    assert today["90 år og eldre"] == pytest.approx(csv_today["90p"].tolist())
    assert today[TODAY] == pytest.approx(csv_today["brukere"].tolist())
    assert today[TREND] == pytest.approx(csv_today["brukere_trend"].tolist())
    shot(page, "needs-today")

    page.locator("#needs-usage label", has_text="Lavere dekning som 2015–2025").click()
    page.wait_for_function(
        "() => document.querySelector('#needs-age-chart-title').innerText.includes('lavere dekning')"
    )
    wait_ready(page)
    trend = _series(page)
    csv_trend = _download(page)
    assert set(csv_trend["usage"]) == {"trend"}
    # same base-year rates; institution use of the old has been falling, so the trend is lower
    assert trend["80–89 år"][-1] < today["80–89 år"][-1]
    assert csv_trend["brukere"].iloc[-1] < csv_today["brukere"].iloc[-1]
    assert trend["90 år og eldre"] == pytest.approx(csv_trend["90p"].tolist())
    # the paths themselves do not move with the choice: only which one is drawn solid
    assert trend[TODAY] == pytest.approx(today[TODAY])
    assert csv_trend["brukere_today"].tolist() == pytest.approx(csv_today["brukere"].tolist())
    summary = page.locator("#needs-age-chart-summary").inner_text()
    assert "lavere dekning som 2015–2025" in summary and "dagens standard" in summary
    shot(page, "needs-trend")

    # another service keeps the chosen path
    page.locator("#needs-service label", has_text="Hjemmetjenester").click()
    page.wait_for_function(
        "() => document.querySelector('#needs-age-chart-title').innerText"
        ".startsWith('Hjemmetjenester')"
    )
    wait_ready(page)
    home = _download(page)
    assert set(home["service"]) == {"hjemmetjenester"} and set(home["usage"]) == {"trend"}

    # both choices are in the address: a reload (or a shared link) shows the same chart
    page.wait_for_function("() => location.search.includes('bruk=trend')")
    assert "tjeneste=hjemmetjenester" in page.url
    page.reload()
    wait_ready(page)
    assert page.locator("#needs-usage input[value=trend]").is_checked()
    assert page.locator("#needs-age-chart-title").inner_text().startswith("Hjemmetjenester")
    assert _download(page).equals(home)

    # back to institutions on the radio (the address changes in the browser only), then an
    # edited assumption: the radios' choices stay, and the usage chart follows the edit
    page.locator("#needs-service label", has_text="Institusjon").click()
    page.wait_for_function("() => !location.search.includes('tjeneste=')")
    wait_ready(page)
    before = _download(page)
    page.click('input[id*="institution_coverage_multiplier"]')
    page.keyboard.press("Control+A")
    page.keyboard.type("80", delay=60)
    page.keyboard.press("Tab")
    page.wait_for_function("() => location.search.includes('inst_dek=80')")
    wait_ready(page)
    assert "bruk=trend" in page.url
    assert page.locator("#needs-usage input[value=trend]").is_checked()
    after = _download(page)
    assert set(after["usage"]) == {"trend"} and set(after["service"]) == {"institusjon"}
    ratio = after["brukere_today"].to_numpy() / before["brukere_today"].to_numpy()
    assert ratio == pytest.approx([0.8] * len(ratio), rel=1e-6)  # 80 % of today's use
    assert _series(page)[TREND] == pytest.approx(after["brukere"].tolist())


def test_om_page_reports_the_needs_backtest(page, app_url):
    page.set_default_timeout(120_000)
    page.goto(app_url + "/om")
    wait_ready(page)
    block = page.locator("#needs-backtest")
    block.scroll_into_view_if_needed()
    text = block.inner_text()
    assert "Lavere dekning som 2015–2025" in text and "Dagens standard" in text
    assert "Sykepleierårsverk" in text  # the backtest scores årsverk as well as users
    # 2 origins x 2 paths x (3 services' users + the nurse årsverk)
    assert block.locator("tbody tr").count() == 16
    shot(page, "needs-om")


def test_costs_and_recruitment_csvs_equal_the_cli(page, app_url, capsys):
    """Tjenester's Kostnader and Rekrutteringsbehov: their CSV downloads carry the numbers
    ``python -m projections costs`` and ``needs`` give for the same kommune."""
    import io

    import numpy as np

    from projections.cli import main

    page.goto(app_url + "/kommune/1804/tjenester?lang=nn")
    wait_ready(page)
    assert "Demografikostnader" in page.locator("#costs-chart-title").inner_text()

    def download(block: str) -> pd.DataFrame:
        with page.expect_download() as dl:
            page.locator(f"#{block} a.chart-download").first.click()
        return pd.read_csv(dl.value.path()).set_index("year")

    costs, rec = download("costs-block"), download("recruitment-block")
    assert main(["costs", "--kommune", "1804"]) == 0
    cli = pd.read_csv(io.StringIO(capsys.readouterr().out))
    for (sector, measure), rows in cli.groupby(["sector", "measure"]):
        want = rows.set_index("year")["value"]
        np.testing.assert_allclose(costs[f"{sector}_{measure}"], want.loc[costs.index], rtol=1e-9)
    assert main(["needs", "--kommune", "1804"]) == 0
    cli = pd.read_csv(io.StringIO(capsys.readouterr().out))
    for sector in ("barnehage", "grunnskole", "pleie_og_omsorg"):
        for measure in ("arsverk", "arsverk_avgang", "arsverk_rekruttering"):
            rows = cli[(cli["sector"] == sector) & (cli["measure"] == measure)]
            want = rows.set_index("year")["value"]
            got = rec[f"{sector}_{measure}"]
            np.testing.assert_allclose(got, want.loc[got.index], rtol=1e-9)
