"""Tjenester og bemanning: users and årsverk per sector, staffing pressure, editable assumptions."""

from __future__ import annotations

import dataclasses
from functools import lru_cache
from typing import Any

import dash
import numpy as np
from dash import ALL, Input, Output, State, callback, ctx, dcc, html, no_update

from dashboard import (
    chartdata,
    components,
    context,
    figures,
    model,
    needs_views,
    report_link,
    uncertainty,
    url_state,
    urls,
    validate,
)
from dashboard.formatting import fmt_number, fmt_percent, pct_change
from dashboard.i18n import t

dash.register_page(
    __name__,
    path_template="/kommune/<code>/tjenester",
    name="Tjenester og bemanning",
    title="Tjenester og bemanning – Kommunefram",
    order=2,
)

# field -> (is a share 0-1 rather than a multiplier); every percent field of Assumptions
FIELDS: dict[str, bool] = {f: f.endswith("_share") for f in url_state.percent_fields()}


def _lower(text: str, lang: str) -> str:
    """Mid-sentence casing; English keeps acronyms such as FTEs."""
    return text if lang == "en" else text.lower()


def services_block(code: str, scenario: str, lang: str, measure: str, assumptions: Any) -> Any:
    df = chartdata.services_table(code, scenario, measure, assumptions)
    by = model.base_year(scenario)
    cols = {c: df[c].to_numpy() for c in df.columns}  # read once: the figure and the summary
    sectors = [c for c in df.columns if c != "year" and not uncertainty.is_interval_column(c)]
    series = [(c, t(f"sector.{c}", lang)) for c in sectors]
    fig = figures.lines_figure(
        cols,
        "year",
        series,
        lang,
        yaxis_title=t(f"measure.{measure}", lang),
        colours=figures.SECTOR_COLOURS,
    )
    fig = uncertainty.add_service_bands(fig, df, lang)
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
    headers = {"year": t("col.year", lang), **{c: t(f"sector.{c}", lang) for c in sectors}}
    headers |= uncertainty.service_headers(sectors, lang)
    title_key = "svc.users_title" if measure == "brukere" else "svc.arsverk_title"
    return components.chart_block(
        f"svc-{measure}",
        fig,
        t(title_key, lang),
        summary,
        df,
        lang,
        csv_key=f"services|{code}|{scenario}|{measure}|{chartdata.encode_assumptions(assumptions)}",
        headers=headers,
        source=t("source.ssb_kostra_own", lang),
    )


def pressure_block(code: str, scenario: str, lang: str, assumptions: Any) -> Any:
    df = chartdata.pressure_table(code, scenario, assumptions)
    fig = uncertainty.add_pressure_error_bars(figures.pressure_figure(df, lang), df)
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
    headers = {
        "year": t("col.year", lang),
        "per_1000": t("fig.per_1000", lang),
        "care_ratio": t("card.care_ratio", lang),
        "per_1000_lower_80": t("unc.col.per_1000_lower_80", lang),
        "per_1000_upper_80": t("unc.col.per_1000_upper_80", lang),
    }
    return components.chart_block(
        "pressure-chart",
        fig,
        title,
        summary,
        df,
        lang,
        csv_key=f"pressure|{code}|{scenario}|{chartdata.encode_assumptions(assumptions)}",
        headers=headers,
        decimals={"per_1000": 1, "care_ratio": 1, "per_1000_lower_80": 1, "per_1000_upper_80": 1},
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
        low, high = url_state.percent_range(f)
        rows.append(
            html.Label(
                className="assumption",
                children=[
                    html.Span(url_state.field_label(f, lang), className="asm-label"),
                    html.Span(
                        [
                            dcc.Input(
                                id={"type": "asm", "field": f},
                                type="text",
                                value=url_state.form_value(assumptions, f, lang),
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
                            range=url_state.fmt_range(low, high, lang),
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


def _body(c: context.PageContext, params: dict[str, Any] | None = None) -> Any:
    lang = c.lang
    if not model.projections_available() or not model.needs_available():
        return components.projections_missing(lang)
    a, problems = url_state.read_assumptions(params or {}, lang)
    return html.Div(
        [
            dcc.Store(id="tj-ctx", data={"code": c.code, "scenario": c.scenario, "lang": lang}),
            url_state_notice(a, problems, lang),
            html.Div(pressure_block(c.code, c.scenario, lang, a), id="pressure-block"),
            html.Div(
                [
                    html.Div(
                        services_block(c.code, c.scenario, lang, "brukere", a),
                        id="svc-users-block",
                    ),
                    html.Div(
                        services_block(c.code, c.scenario, lang, "arsverk", a),
                        id="svc-arsverk-block",
                    ),
                ],
                className="two-col",
            ),
            needs_views.usage_section(
                c.code, c.scenario, lang, params.get("bruk"), params.get("tjeneste")
            ),
            _editor(lang, a),
            html.Div(report_link.button(c.code, c.scenario, lang), className="next-links"),
        ]
    )


def url_state_notice(a: Any, problems: list[str], lang: str) -> Any:
    from dashboard import ux_notices

    return ux_notices.assumptions_notice(a, problems, lang)


@callback(
    Output("url", "href", allow_duplicate=True),
    Output("asm-message", "children"),
    Input({"type": "asm", "field": ALL}, "value"),
    Input("asm-reset", "n_clicks"),
    State("tj-ctx", "data"),
    State("url", "pathname"),
    State("url", "search"),
    prevent_initial_call=True,
)
def apply_assumptions(
    values: list[Any], _reset: int, data: dict[str, str], pathname: str, search: str
) -> Any:
    """Edited assumptions go into the URL (the page then renders from it, so the same
    link, a reload, a scenario or a language change all show the same numbers)."""
    ok = validate.page_data(data)
    lang = validate.lang_of(data)
    if ok is None or not isinstance(values, list) or len(values) != len(FIELDS):
        return no_update, validate.bad_input(lang)
    data = ok
    names = url_state.assumption_param_names()
    if ctx.triggered_id == "asm-reset":
        params = url_state.with_params(search, dict.fromkeys(names))
        return pathname + urls.query(data["scenario"], lang, params), ""
    edited, problems = {}, []
    for f, v in zip(FIELDS, values, strict=False):
        pct, msg = url_state.check_percent(f, v, lang)
        if msg:
            problems.append(msg)
        else:
            edited[f] = pct / 100.0
    if problems:
        return no_update, components.notice(" ".join(problems), "warning", role="alert")
    current, _ = url_state.read_assumptions(urls.parse_search(search), lang)
    base = dataclasses.asdict(current) if current is not None else {}
    try:
        a = model.make_assumptions({**base, **edited})
    except ValueError as exc:
        msg = url_state.error_text(exc, lang)
        return no_update, components.notice(msg, "warning", role="alert")
    new = url_state.assumption_params(a)
    params = url_state.with_params(search, {**dict.fromkeys(names), **new})
    href = pathname + urls.query(data["scenario"], lang, params)
    if href == pathname + (search or ""):
        return no_update, ""
    return href, ""


def layout(
    code: str | None = None, scenario: str | None = None, lang: str | None = None, **params: Any
) -> Any:
    return context.kommune_page(
        code,
        scenario,
        lang,
        "tjenester",
        heading=lambda c: t("svc.heading", c.lang, name=c.name_in_sentence),
        lead=lambda c: t("svc.lead", c.lang),
        body=lambda c: _body(c, params),
        vintage=False,
    )
