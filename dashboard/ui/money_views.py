"""Tjenester's "Kostnader" and "Rekrutteringsbehov" sections: the demographic cost in kroner
(TBU's method, national unit costs) and the årsverk to recruit (growth plus departures of
today's staff, national age profiles), each a chart with its table and downloads."""

from __future__ import annotations

from typing import Any

from dashboard import views
from dashboard.state import ViewState
from dashboard.text import fmt_number, t
from dashboard.ui import components
from dashboard.ui.figures import SECTOR_COLOURS, lines_figure

SHOWN_COST_SECTORS = ("barnehage", "grunnskole", "pleie_og_omsorg")


def _end_row(years: Any) -> tuple[int, int]:
    """(row of the base year, row of 2040 or the last year)."""
    row = {int(y): i for i, y in enumerate(years)}
    return 0, row.get(2040, len(years) - 1)


def costs_block(state: ViewState) -> Any:
    """Demographic cost per sector (millions of kroner a year, each in its own price year)."""
    lang = state.lang
    chart = views.chart_table("costs", state)
    df = chart.frame
    years = df["year"].to_numpy()
    million = {s: df[f"{s}_demografikostnad"].to_numpy() / 1e6 for s in SHOWN_COST_SECTORS}
    price = views.chartdata.cost_price_years(state.scenario)
    series = [
        (s, t("cost.legend", lang, sector=t(f"sector.{s}", lang), year=price[s])) for s in million
    ]
    fig = lines_figure(
        {"year": years, **million},
        "year",
        series,
        lang,
        yaxis_title=t("cost.axis", lang),
        rangemode="normal",
        colours=SECTOR_COLOURS,
    )
    by, end = _end_row(years)
    parts = "; ".join(
        t(
            "cost.part",
            lang,
            sector=t(f"sector.{s}", lang).lower() if lang != "en" else t(f"sector.{s}", lang),
            value=fmt_number(million[s][end], lang, 1),
            year=price[s],
        )
        for s in SHOWN_COST_SECTORS
    )
    summary = t("cost.summary", lang, by=int(years[by]), end=int(years[end]), parts=parts)
    return components.chart_block(
        "costs-chart",
        fig,
        t("cost.title", lang, end=int(years[end])),
        summary,
        df,
        lang,
        downloads=views.download_links(chart.name, state),
        headers=chart.headers,
        source=t("cost.source", lang),
    )


def recruitment_block(state: ViewState) -> Any:
    """Årsverk to recruit from the base year: growth plus departures, per sector."""
    lang = state.lang
    chart = views.chart_table("recruitment", state)
    df = chart.frame
    years = df["year"].to_numpy()
    sectors = views.chartdata.RECRUIT_SECTORS
    cols = {s: df[f"{s}_arsverk_rekruttering"].to_numpy() for s in sectors}
    series = [(s, t(f"sector.{s}", lang)) for s in sectors]
    fig = lines_figure(
        {"year": years, **cols},
        "year",
        series,
        lang,
        yaxis_title=t("rec.axis", lang),
        colours=SECTOR_COLOURS,
    )
    by, end = _end_row(years)
    care_now = df["pleie_og_omsorg_arsverk"].to_numpy()
    left = df["pleie_og_omsorg_arsverk_avgang"].to_numpy()[end]
    summary = t(
        "rec.summary",
        lang,
        end=int(years[end]),
        care=fmt_number(cols["pleie_og_omsorg"][end], lang),
        growth=fmt_number(care_now[end] - care_now[by], lang),
        left=fmt_number(left, lang),
    )
    return components.chart_block(
        "recruitment-chart",
        fig,
        t("rec.title", lang, by=int(years[by])),
        summary,
        df,
        lang,
        downloads=views.download_links(chart.name, state),
        headers=chart.headers,
        source=t("rec.source", lang),
    )
