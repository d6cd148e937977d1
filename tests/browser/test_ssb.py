"""SSB's projection beside ours in the browser: the SSB line and CSV column on Befolkning,
"Vår framskriving og SSBs" on Oversikt, the assumption numbers on Om, scenario SSB-nivå."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from .conftest import shot, wait_ready
from .test_dashboard import pick_region
from .test_dashboard import plot_data as traces

pytestmark = pytest.mark.browser


def test_ssb_line_on_befolkning_and_its_csv_column(page, app_url):
    from projections.ssb_reference import ssb_figure

    page.goto(app_url + "/kommune/0301?lang=nb")
    wait_ready(page)
    pick_region(page, "Bodø", "Bodø (1804)")
    page.wait_for_function("() => location.pathname === '/kommune/1804'")
    wait_ready(page)
    page.locator("a[href^='/kommune/1804/befolkning']:visible").first.click()
    page.wait_for_function("() => location.pathname === '/kommune/1804/befolkning'")
    wait_ready(page)
    want = ssb_figure("1804").set_index("year")["persons"]
    line = next(t for t in traces(page, "pop-chart") if "SSB" in str(t["name"]))
    assert "14288" in line["name"]
    assert dict(zip(line["x"], line["y"], strict=True)) == pytest.approx(want.to_dict())
    shot(page, "ssb-befolkning-1804")

    with page.expect_download() as dl:
        page.locator("#pop-block a.chart-download").first.click()
    df = pd.read_csv(dl.value.path())
    assert "ssb" in df.columns
    got = df.dropna(subset=["ssb"]).set_index("year")["ssb"]
    assert got.to_dict() == pytest.approx(want.to_dict())
    # the stated assumptions of the chosen scenario are on the page too
    table = page.locator("#ssb-assumptions-table").inner_text()
    assert "1,44" in table and "ikke i våre data" in table


def test_comparison_table_on_oversikt(page, app_url):
    from projections.ssb_decomposition import decompose

    page.goto(app_url + "/kommune/0301?lang=nb")
    wait_ready(page)
    pick_region(page, "Tromsø", "Tromsø")
    page.wait_for_function("() => location.pathname === '/kommune/5501'")
    wait_ready(page)
    section = page.locator("#ssb-compare")
    section.scroll_into_view_if_needed()
    assert "Vår framskriving og SSBs" in section.inner_text()
    rows = page.locator("#ssb-compare-table tbody tr")
    assert rows.count() == 3
    f = decompose().frame("5501").set_index("year")
    cells = rows.nth(2).locator("td").all_inner_texts()  # 2050
    assert cells[0] == "2050"
    fmt = f"{round(f.loc[2050, 'ssb']):,}".replace(",", "\u00a0")
    assert cells[2].replace(" ", "\u00a0") == fmt
    why = page.locator("#ssb-compare-why").inner_text()
    assert "2050" in why and "innvandringsnivå" in why and "fruktbarhet" in why
    shot(page, "ssb-oversikt-5501")


def test_norway_comparison_uses_14746_by_age_group(page, app_url):
    page.goto(app_url + "/kommune/0?lang=nb")
    wait_ready(page)
    assert "14746" in page.locator("#ssb-compare").inner_text()
    page.locator("#ssb-compare summary").click()
    assert page.locator("#ssb-compare-groups tbody tr").count() == 10
    assert "6\u00a0195\u00a0859" in page.locator("#ssb-compare-table").inner_text().replace(
        " ", "\u00a0"
    )


def test_assumption_numbers_on_om_for_chosen_scenario(page, app_url):
    from projections import scenario_assumptions

    page.goto(app_url + "/om?scenario=SSB&lang=nb")
    wait_ready(page)
    box = page.locator("#om-assumptions")
    box.scroll_into_view_if_needed()
    assert "SSB-nivå" in box.inner_text()
    a = scenario_assumptions("SSB")
    text = page.locator("#om-assumptions-table").inner_text()
    assert f"{a.tfr_end:.2f}".replace(".", ",") in text
    assert f"{a.e0_female_end:.1f}".replace(".", ",") in text
    imm = f"{round(a.net_immigration_mean):,}".replace(",", "\u00a0")
    assert imm in text.replace(" ", "\u00a0")
    assert "ikke i våre data" in text
    shot(page, "ssb-om")


def test_scenario_ssb_in_picker_and_compare_page(page, app_url):
    page.goto(app_url + "/kommune/1804/befolkning?scenario=MMMM&lang=nb")
    wait_ready(page)
    page.click("#scenario-select")
    page.locator("[role=option]", has_text="(SSB)").first.click()
    page.wait_for_url(re.compile(r"scenario=SSB"))
    page.wait_for_function(
        "() => Array.from(document.querySelector('#pop-chart .js-plotly-plot')._fullData)"
        ".some(t => String(t.name).includes('(SSB)') || String(t.name).endsWith('SSB'))"
    )
    page.goto(app_url + "/sammenlign?k=1804,0301&scenario=SSB&lang=nb")
    wait_ready(page)
    assert page.locator("#compare-table tbody tr").count() == 2
    page.goto(app_url + "/kart?scenario=SSB&ind=share_80p&year=2050&lang=nb")
    wait_ready(page)
    traces(page, "map-chart")
