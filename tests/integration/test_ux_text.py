"""Computed titles, dates, badges, colours and axis ticks."""

from __future__ import annotations

import app  # noqa: F401
from dashboard.text import ux_text
from dashboard.text.i18n import t
from dashboard.ui import figures, modebar
from dashboard.views import chartdata


def test_components_title_follows_the_signs():
    assert ux_text.components_title_key(100, 500) == "comp.title_mig"
    assert ux_text.components_title_key(500, 100) == "comp.title_nat"
    assert ux_text.components_title_key(-71, 4313) == "ux.comp.mig_offsets"
    assert ux_text.components_title_key(-276, 29) == "ux.comp.deficit_wins"
    assert ux_text.components_title_key(300, -100) == "ux.comp.nat_offsets"
    assert ux_text.components_title_key(-1, -1) == "ux.comp.both_down"


def test_a_kommune_with_more_deaths_than_births_gets_no_birth_surplus_title():
    import numpy as np

    from projections import project

    res = project("MMMM")
    natural_all = res.births.sum(axis=(0, 2), dtype=np.float64) - res.deaths.sum(
        axis=(0, 2, 3), dtype=np.float64
    )
    code = res.kommuner[int(np.argmin(natural_all))]  # the strongest birth deficit
    df = chartdata.components_table(code, "MMMM")
    natural = float((df["births"] - df["deaths"]).sum())
    key = ux_text.components_title_key(natural, float(df["net_migration"].sum()))
    assert natural < 0
    assert "fødselsoverskuddet" not in t(key, "nb")


def test_dates_norwegian():
    assert ux_text.fmt_date("2026-02-25T08:00:00", "nb") == "25.02.2026"
    assert ux_text.fmt_date("2026-02-25", "en") == "25 Feb 2026"
    assert ux_text.fmt_date("–", "nb") == "–"


def test_rising_pressure_is_a_warning():
    assert ux_text.pressure_class(24.0) == "chg-warn"
    assert ux_text.pressure_class(-3.0) == "chg-down"
    assert ux_text.pressure_change(124, 100, "nb") == "\u26a0\u00a0+24\u00a0%"


def test_group_and_sector_colours_distinct():
    g = figures.GROUP_COLOURS
    assert len(set(g.values())) == len(g)
    s = figures.SECTOR_COLOURS
    assert len(set(s.values())) == len(s)
    users = figures.lines_figure(
        chartdata.services_table("1804", "MMMM", "brukere"),
        "year",
        [("hjemmetjenester", "h")],
        "nb",
        colours=s,
    )
    staff = figures.lines_figure(
        chartdata.services_table("1804", "MMMM", "arsverk"),
        "year",
        [("pleie_og_omsorg", "p")],
        "nb",
        colours=s,
    )
    assert users["data"][0]["line"]["color"] != staff["data"][0]["line"]["color"]


def test_year_axis_labels_2050():
    ticks = figures.year_ticks(range(2026, 2051))["tickvals"]
    assert ticks[-1] == 2050 and 2030 in ticks


def test_scenario_lines_named_in_words():
    assert figures.scenario_name("HHMH", "nb") == "Høy nasjonal vekst (HHMH)"


def test_modebar_norwegian_and_offline():
    cfg = modebar.graph_config("nb")
    assert "sendChartToCloud" in cfg["modeBarButtonsToRemove"]
    assert cfg["locales"][cfg["locale"]]["dictionary"]["Download plot as a PNG"].startswith(
        "Last ned"
    )
    assert "locale" not in modebar.graph_config("en")
