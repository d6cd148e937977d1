"""Kart: choropleth of all kommuner for an indicator, scenario and year; click opens a kommune."""

from __future__ import annotations

from typing import Any

import dash
import numpy as np
from dash import Input, Output, State, callback, dcc, html, no_update

from dashboard import chartdata, components, figures, model, urls, validate
from dashboard.formatting import fmt_number
from dashboard.i18n import normalise_lang, t

dash.register_page(__name__, path="/kart", name="Kart", title="Kart – Kommunefram", order=6)

INDICATORS = ("growth", "growth_80p", "share_80p", "care_ratio", "population")
DIVERGING = {"growth", "growth_80p"}
YEARS = (2030, 2035, 2040, 2045, 2050)


def map_block(scenario: str, year: int, indicator: str, lang: str) -> Any:
    df = chartdata.map_table(scenario, year, indicator)
    decimals = 0 if indicator == "population" else 1
    label = t(f"map.ind.{indicator}", lang)
    fig = figures.map_figure(
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
    headers = {
        "kommune": t("col.kommune", lang),
        "name": t("col.name", lang),
        "year": t("col.year", lang),
        "scenario": t("col.scenario", lang),
        "indicator": t("col.indicator", lang),
        "value": label,
        "lower_80": t("unc.col.lower_80", lang),
        "upper_80": t("unc.col.upper_80", lang),
    }
    return components.chart_block(
        "map-chart",
        fig,
        t("map.title", lang, what=label, year=year),
        summary,
        df if df["kommune"].is_monotonic_increasing else df.sort_values("kommune"),
        lang,
        csv_key=f"map|{scenario}|{year}|{indicator}",
        headers=headers,
        decimals=dict.fromkeys(("value", "lower_80", "upper_80"), decimals),
        source=t("source.map", lang),
        height_class="chart-map",
    )


def lowest_and_highest(values: np.ndarray) -> tuple[int, int]:
    """Rows of the lowest and highest value, NaN left out: the first and last row of the frame
    sorted on value (the same quicksort ``sort_values`` runs, so ties pick the same rows)."""
    rows = np.flatnonzero(~np.isnan(values))
    order = rows[np.argsort(values[rows], kind="quicksort")]
    return int(order[0]), int(order[-1])


def layout(
    scenario: str | None = None,
    lang: str | None = None,
    ind: str | None = None,
    year: str | None = None,
    **_: Any,
) -> Any:
    lang, _ok = normalise_lang(lang)
    scen, _ok2 = model.normalise_scenario(scenario)
    indicator = ind if ind in INDICATORS else "growth"
    try:
        yr = int(year) if year is not None and int(year) in YEARS else 2040
    except ValueError:
        yr = 2040
    if not model.projections_available():
        body: Any = components.projections_missing(lang)
    else:
        body = html.Div(
            components.safe_render(lambda: map_block(scen, yr, indicator, lang), lang),
            id="map-block",
        )
    return html.Div(
        [
            components.page_heading(t("map.heading", lang), lead=t("map.lead", lang)),
            dcc.Store(id="map-ctx", data={"scenario": scen, "lang": lang}),
            html.Div(
                className="card controls",
                children=[
                    html.Div(
                        [
                            html.Label(t("map.indicator", lang), htmlFor="map-indicator"),
                            dcc.Dropdown(
                                id="map-indicator",
                                labels=components.dropdown_labels(lang),
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
                    components.radio_control(
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
    ok = validate.page_data(data, need_code=False)
    ind_v = validate.choice(indicator, INDICATORS)
    year_v = validate.int_in(year, YEARS[0], YEARS[-1])
    if ok is None or ind_v is None or year_v not in YEARS:
        return validate.bad_input(validate.lang_of(data))
    lang = ok["lang"]
    return components.safe_render(lambda: map_block(ok["scenario"], year_v, ind_v, lang), lang)


@callback(
    Output("url", "href", allow_duplicate=True),
    Input("map-chart", "clickData"),
    State("map-ctx", "data"),
    prevent_initial_call=True,
)
def open_kommune(click: dict[str, Any] | None, data: dict[str, str]) -> Any:
    ok = validate.page_data(data, need_code=False)
    try:
        code = click["points"][0]["location"]
    except (TypeError, KeyError, IndexError):
        return no_update
    region = model.region_or_none(code)
    if ok is None or region is None:
        return no_update
    return urls.href("oversikt", region.code, ok["scenario"], ok["lang"])
