"""Befolkning: history joined to the projection, scenarios as a band, pyramid, components."""

from __future__ import annotations

from typing import Any

import dash
import numpy as np
from dash import Input, Output, State, callback, dcc, html

from dashboard import ui, views
from dashboard.state import POP_GROUPS, ViewState
from dashboard.text import change_sentence, components_title_key, fmt_number, t

dash.register_page(
    __name__,
    path_template="/kommune/<code>/befolkning",
    name="Befolkning",
    title="Befolkning – Kommunefram",
    order=1,
)

GROUP_OPTIONS = POP_GROUPS


def population_block(state: ViewState) -> html.Section:
    code, scenario, lang = state.region or "0", state.scenario, state.lang
    group, shown = state.view.pop_group, state.view.pop_scenarios
    chart = views.chart_table("pop", state)
    df = chart.frame  # the table and the CSV
    cols = {c: df[c].to_numpy() for c in df.columns}
    by = views.base_year(scenario)
    years = cols["year"]
    main = views.series(scenario, code)
    others = {
        sc: views.chartdata.scenario_values(sc, code, group, years)
        for sc in shown
        if sc != scenario and sc in views.scenario_codes()
    }
    band = (cols["band_low"], cols["band_high"]) if "band_low" in cols else None
    fig = ui.population_figure(
        years,
        main["kind"].to_numpy() == "observed",
        main[group].to_numpy(),
        band,
        others,
        scenario,
        by,
        lang,
    )
    fig = ui.add_ssb_line(fig, cols, views.ssb_figures.source_label(code), lang)
    fig = ui.add_fan(fig, views.intervals.interval_values(code, scenario, group), lang)
    end_at = int(np.argmax(years))
    end = int(years[end_at])
    by_at = int(np.flatnonzero(years == by)[0])
    now, then = float(cols[scenario][by_at]), float(cols[scenario][end_at])
    title = change_sentence(group, then, now, end, lang)
    lo = float(cols["band_low"][end_at]) if "band_low" in cols else np.nan
    hi = float(cols["band_high"][end_at]) if "band_high" in cols else np.nan
    summary = t(
        "pop.summary",
        lang,
        what=t(f"what.{group}", lang),
        by=by,
        now=fmt_number(now, lang),
        end=end,
        then=fmt_number(then, lang),
        lo=fmt_number(lo, lang),
        hi=fmt_number(hi, lang),
    )
    return ui.chart_block(
        "pop-chart",
        fig,
        title,
        summary,
        df,
        lang,
        downloads=views.download_links(chart.name, state),
        headers=chart.headers,
    )


def pyramid_block(state: ViewState) -> html.Section:
    code, scenario, lang = state.region or "0", state.scenario, state.lang
    year = views.pyramid_year(state)
    by = views.base_year(scenario)
    cur, base = views.chartdata.pyramid_arrays(code, scenario, year)
    df = views.chartdata.pyramid_frame(cur, base, year, by)
    fig = ui.pyramid_figure(cur, base, year, by, lang)
    # (sex, age) arrays summed in the order the frame's columns were (the same last digit)
    tot_now = float(base.sum())
    tot = float(cur.sum())
    old = float(cur[:, 80:].sum())
    summary = t(
        "pyr.summary",
        lang,
        year=year,
        total=fmt_number(tot, lang),
        old=fmt_number(old, lang),
        share=fmt_number(old / tot * 100 if tot else np.nan, lang, 1),
        by=by,
        total_by=fmt_number(tot_now, lang),
    )
    return ui.chart_block(
        "pyramid-chart",
        fig,
        t("pyr.title", lang, year=year),
        summary,
        df,
        lang,
        downloads=views.download_links("pyramid", state),
        headers=views.chart_table("pyramid", state).headers,
        height_class="chart-tall",
    )


def components_block(state: ViewState) -> html.Section:
    lang = state.lang
    chart = views.chart_table("components", state)
    df = chart.frame
    fig = ui.components_figure(df, lang)
    years = df["year"].to_numpy()  # arrays, not row Series: this runs on every render
    natural = float(np.nansum(df["births"].to_numpy() - df["deaths"].to_numpy()))
    migration = float(np.nansum(df["net_migration"].to_numpy()))
    title = t(components_title_key(natural, migration), lang)
    summary = t(
        "comp.summary",
        lang,
        first=int(years[0]),
        last=int(years[-1]),
        natural=fmt_number(natural, lang),
        migration=fmt_number(migration, lang),
    )
    return ui.chart_block(
        "components-chart",
        fig,
        title,
        summary,
        df,
        lang,
        downloads=views.download_links(chart.name, state),
        headers=chart.headers,
    )


def _body(ctx: ui.PageContext) -> Any:
    lang, code, scen, state = ctx.lang, ctx.code, ctx.scenario, ctx.state
    if not views.projections_available():
        return ui.projections_missing(lang)
    by = views.base_year(scen)
    years = list(views.history_array()[0]) + [
        int(y) for y in views.projection_years(scen) if y > by
    ]
    marks = {int(y): str(int(y)) for y in years if (y % 5 == 0 and abs(y - by) > 2) or y == by}
    others = [s for s in views.scenario_codes() if s != scen]
    state = state.with_view(pop_scenarios=tuple(s for s in state.view.pop_scenarios if s != scen))
    controls = html.Div(
        className="controls",
        children=[
            html.Div(
                [
                    html.Label(t("pop.group_label", lang), htmlFor="pop-group"),
                    dcc.Dropdown(
                        id="pop-group",
                        labels=ui.dropdown_labels(lang),
                        options=[
                            {"label": t(f"group.{g}", lang), "value": g} for g in GROUP_OPTIONS
                        ],
                        value=state.view.pop_group,
                        clearable=False,
                        searchable=False,
                    ),
                ],
                className="control",
            ),
            html.Details(
                [
                    html.Summary(t("pop.compare_label", lang, n=len(others))),
                    dcc.Checklist(
                        id="pop-scenarios",
                        options=[
                            {"label": f"{t(f'scenario.{s}', lang)} ({s})", "value": s}
                            for s in others
                        ],
                        value=list(state.view.pop_scenarios),
                        className="checklist",
                    ),
                ],
                className="scenario-details",
            ),
        ],
    )
    return html.Div(
        [
            dcc.Store(id="bef-ctx", data=ui.state_data(state)),
            controls,
            html.Div(population_block(state), id="pop-block"),
            ui.certainty_sentence(code, scen, lang),
            ui.track_record_block(code, lang),
            html.Div(
                className="card controls",
                children=html.Div(
                    [
                        html.Label(
                            t("pyr.slider_label", lang),
                            htmlFor="pyramid-year",
                            id="pyramid-year-label",
                        ),
                        dcc.Slider(
                            id="pyramid-year",
                            min=min(years),
                            max=max(years),
                            step=1,
                            value=views.pyramid_year(state),
                            marks=marks,
                            included=False,
                            tooltip={"placement": "top", "always_visible": False},
                            updatemode="mouseup",
                        ),
                    ],
                    className="control control-wide",
                ),
            ),
            html.Div(pyramid_block(state), id="pyramid-block"),
            components_block(state),
            ui.assumptions_section(scen, lang),
        ]
    )


@callback(
    Output("pop-block", "children"),
    Input("pop-group", "value"),
    Input("pop-scenarios", "value"),
    State("bef-ctx", "data"),
    prevent_initial_call=True,
)
def update_population(group: str, shown: list[str], data: dict[str, str]) -> Any:
    state = ui.page_state(data)
    group_v = ui.choice(group or "total", GROUP_OPTIONS)
    shown_v = ui.str_list(shown, views.scenario_codes(), len(views.scenario_codes()))
    if state is None or group_v is None or shown_v is None:
        return ui.bad_input(ui.lang_of(data))
    chosen = state.with_view(pop_group=group_v, pop_scenarios=tuple(shown_v))
    return ui.safe_render(lambda: population_block(chosen), state.lang)


@callback(
    Output("pyramid-block", "children"),
    Input("pyramid-year", "value"),
    State("bef-ctx", "data"),
    prevent_initial_call=True,
)
def update_pyramid(year: int, data: dict[str, str]) -> Any:
    state = ui.page_state(data)
    first = int(views.history_array()[0][0])
    year_v = ui.int_in(year, first, int(views.projection_years(views.DEFAULT_SCENARIO)[-1]))
    if state is None or year_v is None:
        return ui.bad_input(ui.lang_of(data))
    chosen = state.with_view(pyramid_year=year_v)
    return ui.safe_render(lambda: pyramid_block(chosen), state.lang)


def layout(
    code: str | None = None, scenario: str | None = None, lang: str | None = None, **params: Any
) -> Any:
    return ui.kommune_page(
        code,
        scenario,
        lang,
        "befolkning",
        heading=lambda c: t("pop.heading", c.lang, name=c.name_in_sentence),
        lead=lambda c: t("pop.lead", c.lang),
        body=_body,
        params=params,
    )
