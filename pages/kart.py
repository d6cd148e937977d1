"""Kart: choropleth of all kommuner for an indicator, scenario and year; click opens a kommune."""

from __future__ import annotations

from typing import Any

import dash
import numpy as np
from dash import Input, Output, State, callback, dcc, html, no_update

from dashboard import ui, views
from dashboard.state import MAP_INDICATORS, MAP_YEARS, ViewState, decode, kommune_path, query
from dashboard.text import fmt_number, t

dash.register_page(__name__, path="/kart", name="Kart", title="Kart – Kommunefram", order=6)

INDICATORS = MAP_INDICATORS
DIVERGING = {"growth", "growth_80p", "cost_care", "cost_school", "cost_kindergarten"}
YEARS = MAP_YEARS


def map_block(state: ViewState) -> Any:
    lang, year, indicator = state.lang, state.view.map_year, state.view.map_indicator
    chart = views.chart_table("map", state)
    df = chart.frame
    decimals = 0 if indicator == "population" or indicator.startswith("cost_") else 1
    label = t(f"map.ind.{indicator}", lang)
    fig = ui.map_figure(
        dash.get_relative_path("/geo/kommuner.geojson"),
        df,
        "value",
        label,
        lang,
        indicator in DIVERGING,
        decimals,
    )
    values = df["value"].to_numpy()
    lo, hi = lowest_and_highest(values)
    names = df["name"].to_numpy()
    summary = t(
        "map.summary",
        lang,
        what=label,
        year=year,
        hi=names[hi],
        hi_v=fmt_number(values[hi], lang, decimals),
        lo=names[lo],
        lo_v=fmt_number(values[lo], lang, decimals),
        median=fmt_number(float(np.nanmedian(values)), lang, decimals),
    )
    return ui.chart_block(
        "map-chart",
        fig,
        t("map.title", lang, what=label, year=year),
        summary,
        df,
        lang,
        downloads=views.download_links(chart.name, state),
        headers=chart.headers,
        decimals=chart.decimals,
        source=t("source.map", lang),
        height_class="chart-map",
    )


def lowest_and_highest(values: np.ndarray) -> tuple[int, int]:
    """Rows of the lowest and highest value, NaN left out: the first and last row of the frame
    sorted on value (the same quicksort ``sort_values`` runs, so ties pick the same rows)."""
    rows = np.flatnonzero(~np.isnan(values))
    order = rows[np.argsort(values[rows], kind="quicksort")]
    return int(order[0]), int(order[-1])


def layout(**params: Any) -> Any:
    state = decode(None, params).state
    lang, indicator, yr = state.lang, state.view.map_indicator, state.view.map_year
    if not views.projections_available():
        body: Any = ui.projections_missing(lang)
    else:
        body = html.Div(
            ui.safe_render(lambda: map_block(state), lang),
            id="map-block",
        )
    return html.Div(
        [
            ui.page_heading(t("map.heading", lang), lead=t("map.lead", lang)),
            dcc.Store(id="map-ctx", data=ui.state_data(state)),
            html.Div(
                className="card controls",
                children=[
                    html.Div(
                        [
                            html.Label(t("map.indicator", lang), htmlFor="map-indicator"),
                            dcc.Dropdown(
                                id="map-indicator",
                                labels=ui.dropdown_labels(lang),
                                value=indicator,
                                clearable=False,
                                searchable=False,
                                options=[
                                    {"label": t(f"map.ind.{i}", lang), "value": i}
                                    for i in INDICATORS
                                ],
                            ),
                        ],
                        className="control",
                    ),
                    ui.radio_control(
                        t("map.year", lang),
                        "map-year",
                        yr,
                        [{"label": str(y), "value": y} for y in YEARS],
                    ),
                ],
            ),
            body,
            html.P(t("map.click_hint", lang), className="muted"),
        ],
        className="page page-kart",
    )


@callback(
    Output("map-block", "children"),
    Input("map-indicator", "value"),
    Input("map-year", "value"),
    State("map-ctx", "data"),
    prevent_initial_call=True,
)
def update_map(indicator: str, year: int, data: dict[str, str]) -> Any:
    state = ui.page_state(data, need_code=False)
    ind_v = ui.choice(indicator, INDICATORS)
    year_v = ui.int_in(year, YEARS[0], YEARS[-1])
    if state is None or ind_v is None or year_v not in YEARS:
        return ui.bad_input(ui.lang_of(data))
    chosen = state.with_view(map_indicator=ind_v, map_year=year_v)
    return ui.safe_render(lambda: map_block(chosen), state.lang)


@callback(
    Output("url", "href", allow_duplicate=True),
    Input("map-chart", "clickData"),
    State("map-ctx", "data"),
    prevent_initial_call=True,
)
def open_kommune(click: dict[str, Any] | None, data: dict[str, str]) -> Any:
    state = ui.page_state(data, need_code=False)
    try:
        code = click["points"][0]["location"]
    except (TypeError, KeyError, IndexError):
        return no_update
    region = views.region_or_none(code)
    if state is None or region is None:
        return no_update
    return kommune_path(region.code) + query(state.replace(region=region.code))
