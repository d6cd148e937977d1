"""Tjenester og bemanning: users and årsverk per sector, staffing pressure, editable assumptions."""

from __future__ import annotations

import dataclasses
from functools import lru_cache
from typing import Any

import dash
import numpy as np
from dash import ALL, Input, Output, State, callback, ctx, dcc, html, no_update

from dashboard import ui, views
from dashboard.state import (
    CARE_SERVICES,
    USAGE_PATHS,
    ViewState,
    check_percent,
    decode,
    error_text,
    field_label,
    fmt_range,
    form_value,
    parse_search,
    percent_fields,
    percent_range,
    query,
)
from dashboard.text import fmt_number, fmt_percent, pct_change, t

dash.register_page(
    __name__,
    path_template="/kommune/<code>/tjenester",
    name="Tjenester og bemanning",
    title="Tjenester og bemanning – Kommunefram",
    order=2,
)

# field -> (is a share 0-1 rather than a multiplier); every percent field of Assumptions
FIELDS: dict[str, bool] = {f: f.endswith("_share") for f in percent_fields()}


def _lower(text: str, lang: str) -> str:
    """Mid-sentence casing; English keeps acronyms such as FTEs."""
    return text if lang == "en" else text.lower()


def services_block(state: ViewState, measure: str) -> Any:
    lang = state.lang
    chart = views.chart_table(f"services-{measure}", state)
    df = chart.frame
    by = views.base_year(state.scenario)
    cols = {c: df[c].to_numpy() for c in df.columns}  # read once: the figure and the summary
    sectors = [c for c in df.columns if c != "year" and not views.intervals.is_interval_column(c)]
    series = [(c, t(f"sector.{c}", lang)) for c in sectors]
    fig = ui.lines_figure(
        cols,
        "year",
        series,
        lang,
        yaxis_title=t(f"measure.{measure}", lang),
        colours=ui.SECTOR_COLOURS,
    )
    fig = ui.add_service_bands(fig, df, lang)
    row = {int(y): i for i, y in enumerate(cols["year"])}
    end = 2040 if 2040 in row else max(row)
    parts = [
        t(
            "svc.part",
            lang,
            sector=_lower(t(f"sector.{c}", lang), lang),
            change=fmt_percent(pct_change(cols[c][row[end]], cols[c][row[by]]), lang, sign=True),
        )
        for c in sectors
    ]
    summary = t(
        "svc.summary",
        lang,
        measure=_lower(t(f"measure.{measure}", lang), lang),
        by=by,
        end=end,
        parts="; ".join(parts),
    )
    title_key = "svc.users_title" if measure == "brukere" else "svc.arsverk_title"
    return ui.chart_block(
        f"svc-{measure}",
        fig,
        t(title_key, lang),
        summary,
        df,
        lang,
        downloads=views.download_links(chart.name, state),
        headers=chart.headers,
        source=t("source.ssb_kostra_own", lang),
    )


def pressure_block(state: ViewState) -> Any:
    lang = state.lang
    chart = views.chart_table("pressure", state)
    df = chart.frame
    fig = ui.add_pressure_error_bars(ui.pressure_figure(df, lang), df)
    years = df["year"].to_numpy()  # arrays, not row Series: this runs on every render
    per_1000, ratio = df["per_1000"].to_numpy(), df["care_ratio"].to_numpy()
    at_2040 = np.flatnonzero(years == 2040)
    r = int(at_2040[0]) if len(at_2040) else len(years) - 1  # 2040, else the last year
    chg = pct_change(per_1000[r], per_1000[0])
    title_key = (
        "press.title_up" if chg >= 1 else ("press.title_down" if chg <= -1 else "press.title_flat")
    )
    title = t(title_key, lang, pct=fmt_percent(abs(chg), lang), year=int(years[r]))
    summary = t(
        "press.summary",
        lang,
        by=int(years[0]),
        now=fmt_number(per_1000[0], lang, 1),
        year=int(years[r]),
        then=fmt_number(per_1000[r], lang, 1),
        ratio_now=fmt_number(ratio[0], lang, 1),
        ratio_then=fmt_number(ratio[r], lang, 1),
    )
    return ui.chart_block(
        "pressure-chart",
        fig,
        title,
        summary,
        df,
        lang,
        downloads=views.download_links(chart.name, state),
        headers=chart.headers,
        decimals=chart.decimals,
        source=t("source.ssb_kostra_own", lang),
        height_class="chart-short",
    )


def _editor(lang: str, assumptions: Any = None) -> html.Section:
    """The assumptions form; the default one is the same for every region and scenario."""
    if assumptions is None:
        return _default_editor(lang)
    return _build_editor(lang, assumptions)


@lru_cache(maxsize=3)  # one per language, ~45 kB each (tracemalloc)
def _default_editor(lang: str) -> html.Section:
    """The form with today's levels: ~70 components, ~2 ms to build on every render."""
    return _build_editor(lang, None)


def _build_editor(lang: str, assumptions: Any) -> html.Section:
    rows = []
    for f in FIELDS:
        low, high = percent_range(f)
        rows.append(
            html.Label(
                className="assumption",
                children=[
                    html.Span(field_label(f, lang), className="asm-label"),
                    html.Span(
                        [
                            dcc.Input(
                                id={"type": "asm", "field": f},
                                type="text",
                                value=form_value(assumptions, f, lang),
                                debounce=True,
                                inputMode="decimal",
                                autoComplete="off",
                                className="num-input",
                            ),
                            html.Span("%", className="unit"),
                        ],
                        className="input-with-unit",
                    ),
                    html.Small(
                        t(
                            "ux.asm.help_range",
                            lang,
                            help=t(f"asm.{f}.help", lang),
                            range=fmt_range(low, high, lang),
                        ),
                        className="help",
                        id=f"asm-help-{f}",
                    ),
                ],
            )
        )
    return html.Section(
        className="card assumptions",
        **{"aria-labelledby": "asm-title"},
        children=[
            html.H2(t("asm.title", lang), id="asm-title", className="section-title"),
            html.P(t("asm.lead", lang), className="muted"),
            html.Div(rows, className="assumption-grid"),
            html.Div(
                [
                    html.Button(
                        t("asm.reset", lang),
                        id="asm-reset",
                        className="btn btn-secondary",
                        n_clicks=0,
                    ),
                    html.Div(id="asm-message", role="status", **{"aria-live": "polite"}),
                ],
                className="assumption-actions",
            ),
        ],
    )


def _body(c: ui.PageContext) -> Any:
    lang, state = c.lang, c.state
    if not views.projections_available() or not views.needs_available():
        return ui.projections_missing(lang)
    a = state.assumptions_or_none
    return html.Div(
        [
            dcc.Store(id="tj-ctx", data={"code": c.code, "scenario": c.scenario, "lang": lang}),
            ui.assumptions_notice(a, lang),  # URL problems: the shell's notice
            html.Div(pressure_block(state), id="pressure-block"),
            html.Div(
                [
                    html.Div(services_block(state, "brukere"), id="svc-users-block"),
                    html.Div(services_block(state, "arsverk"), id="svc-arsverk-block"),
                ],
                className="two-col",
            ),
            html.Div(
                [
                    html.Div(ui.costs_block(state), id="costs-block"),
                    html.Div(ui.recruitment_block(state), id="recruitment-block"),
                ],
                className="two-col",
            ),
            ui.usage_section(state),
            _editor(lang, a),
            html.Div(ui.report_button(state), className="next-links"),
        ]
    )


@callback(
    Output("url", "href", allow_duplicate=True),
    Output("asm-message", "children"),
    Input({"type": "asm", "field": ALL}, "value"),
    Input("asm-reset", "n_clicks"),
    State("tj-ctx", "data"),
    State("url", "pathname"),
    State("url", "search"),
    State("needs-usage", "value"),
    State("needs-service", "value"),
    prevent_initial_call=True,
)
def apply_assumptions(
    values: list[Any],
    _reset: int,
    data: dict[str, str],
    pathname: str,
    search: str,
    usage: Any,
    service: Any,
) -> Any:
    """Edited assumptions go into the URL (the page then renders from it, so the same
    link, a reload, a scenario or a language change all show the same numbers).

    The usage chart's choices are read from its radios: they change the address in the
    browser only, so the URL's ``search`` here can be older than what the page shows. The
    fields also fire when the page is drawn; nothing edited then means no new address, so a
    link's refused value stays in it and stays named in the notice."""
    ok = ui.page_data(data)
    lang = ui.lang_of(data)
    if ok is None or not isinstance(values, list) or len(values) != len(FIELDS):
        return no_update, ui.bad_input(lang)
    data = ok
    state = decode(data["code"], parse_search(search)).state
    if usage in USAGE_PATHS and service in CARE_SERVICES:
        state = state.with_view(usage_path=usage, usage_service=service)
    if ctx.triggered_id == "asm-reset":
        return pathname + query(state.replace(assumptions=views.default_assumptions())), ""
    edited, problems = {}, []
    for f, v in zip(FIELDS, values, strict=False):
        pct, msg = check_percent(f, v, lang)
        if msg:
            problems.append(msg)
        else:
            edited[f] = pct / 100.0
    if problems:
        return no_update, ui.notice(" ".join(problems), "warning", role="alert")
    base = dataclasses.asdict(state.assumptions)
    try:
        a = views.make_assumptions({**base, **edited})
    except ValueError as exc:
        msg = error_text(exc, lang)
        return no_update, ui.notice(msg, "warning", role="alert")
    if a == state.assumptions:  # nothing edited (the page being drawn): keep the address
        return no_update, ""
    href = pathname + query(state.replace(assumptions=a))
    if href == pathname + (search or ""):
        return no_update, ""
    return href, ""


def layout(
    code: str | None = None, scenario: str | None = None, lang: str | None = None, **params: Any
) -> Any:
    return ui.kommune_page(
        code,
        scenario,
        lang,
        "tjenester",
        heading=lambda c: t("svc.heading", c.lang, name=c.name_in_sentence),
        lead=lambda c: t("svc.lead", c.lang),
        body=_body,
        vintage=False,
        params=params,
    )
