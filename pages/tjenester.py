"""Tjenester og bemanning: users and årsverk per sector, staffing pressure, editable assumptions."""

from __future__ import annotations

from typing import Any

import dash
from dash import ALL, Input, Output, State, callback, ctx, dcc, html, no_update

from dashboard import chartdata, components, context, figures, model, validate
from dashboard.formatting import fmt_number, fmt_percent, pct_change
from dashboard.i18n import t

dash.register_page(
    __name__,
    path_template="/kommune/<code>/tjenester",
    name="Tjenester og bemanning",
    title="Tjenester og bemanning – Kommunefram",
    order=2,
)

# field -> (is a share 0-1 rather than a multiplier)
FIELDS: dict[str, bool] = {f: f == "grunnskole_public_share" for f in chartdata.ASSUMPTION_FIELDS}


def _lower(text: str, lang: str) -> str:
    """Mid-sentence casing; English keeps acronyms such as FTEs."""
    return text if lang == "en" else text.lower()


def services_block(code: str, scenario: str, lang: str, measure: str, assumptions: Any) -> Any:
    df = chartdata.services_table(code, scenario, measure, assumptions)
    by = model.base_year(scenario)
    sectors = [c for c in df.columns if c != "year"]
    series = [(c, t(f"sector.{c}", lang)) for c in sectors]
    fig = figures.lines_figure(df, "year", series, lang, yaxis_title=t(f"measure.{measure}", lang))
    d = df.set_index("year")
    end = 2040 if 2040 in d.index else int(d.index.max())
    parts = [
        t(
            "svc.part",
            lang,
            sector=_lower(t(f"sector.{c}", lang), lang),
            change=fmt_percent(pct_change(d.at[end, c], d.at[by, c]), lang, sign=True),
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
    fig = figures.pressure_figure(df, lang)
    base = df.iloc[0]
    row40 = df[df["year"] == 2040]
    r = row40.iloc[0] if len(row40) else df.iloc[-1]
    chg = pct_change(r["per_1000"], base["per_1000"])
    title_key = (
        "press.title_up" if chg >= 1 else ("press.title_down" if chg <= -1 else "press.title_flat")
    )
    title = t(title_key, lang, pct=fmt_percent(abs(chg), lang), year=int(r["year"]))
    summary = t(
        "press.summary",
        lang,
        by=int(base["year"]),
        now=fmt_number(base["per_1000"], lang, 1),
        year=int(r["year"]),
        then=fmt_number(r["per_1000"], lang, 1),
        ratio_now=fmt_number(base["care_ratio"], lang, 1),
        ratio_then=fmt_number(r["care_ratio"], lang, 1),
    )
    headers = {
        "year": t("col.year", lang),
        "per_1000": t("fig.per_1000", lang),
        "care_ratio": t("card.care_ratio", lang),
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
        decimals={"per_1000": 1, "care_ratio": 1},
        source=t("source.ssb_kostra_own", lang),
        height_class="chart-short",
    )


def _editor(lang: str) -> html.Section:
    default = model.default_assumptions()
    rows = []
    for f, is_share in FIELDS.items():
        value = round(getattr(default, f) * 100)
        rows.append(
            html.Label(
                className="assumption",
                children=[
                    html.Span(t(f"asm.{f}", lang), className="asm-label"),
                    html.Span(
                        [
                            dcc.Input(
                                id={"type": "asm", "field": f},
                                type="number",
                                min=0,
                                max=100 if is_share else 500,
                                step=5,
                                value=value,
                                debounce=True,
                                inputMode="numeric",
                                className="num-input",
                            ),
                            html.Span("%", className="unit"),
                        ],
                        className="input-with-unit",
                    ),
                    html.Small(t(f"asm.{f}.help", lang), className="help"),
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


def _body(c: context.PageContext) -> Any:
    lang = c.lang
    if not model.projections_available() or not model.needs_available():
        return components.projections_missing(lang)
    return html.Div(
        [
            dcc.Store(id="tj-ctx", data={"code": c.code, "scenario": c.scenario, "lang": lang}),
            html.Div(pressure_block(c.code, c.scenario, lang, None), id="pressure-block"),
            html.Div(
                [
                    html.Div(
                        services_block(c.code, c.scenario, lang, "brukere", None),
                        id="svc-users-block",
                    ),
                    html.Div(
                        services_block(c.code, c.scenario, lang, "arsverk", None),
                        id="svc-arsverk-block",
                    ),
                ],
                className="two-col",
            ),
            _editor(lang),
        ]
    )


@callback(
    Output("pressure-block", "children"),
    Output("svc-users-block", "children"),
    Output("svc-arsverk-block", "children"),
    Output("asm-message", "children"),
    Input({"type": "asm", "field": ALL}, "value"),
    State("tj-ctx", "data"),
    prevent_initial_call=True,
)
def recompute(values: list[Any], data: dict[str, str]) -> Any:
    """Recompute needs for edited assumptions (cached per assumption set)."""
    ok = validate.page_data(data)
    lang = validate.lang_of(data)
    fields = list(FIELDS)
    if ok is None or not isinstance(values, list) or len(values) != len(fields):
        return no_update, no_update, no_update, validate.bad_input(lang)
    edited = {}
    for f, v in zip(fields, values, strict=False):
        if validate.number_in(v, 0, 100 if FIELDS[f] else 500) is None:
            return (
                no_update,
                no_update,
                no_update,
                components.notice(t("asm.invalid", lang), "warning"),
            )
        edited[f] = float(v) / 100.0
    try:
        a = model.make_assumptions(edited)
    except ValueError as exc:
        msg = str(exc).split(" (")[0] if lang != "en" else str(exc)
        return no_update, no_update, no_update, components.notice(msg, "warning", role="alert")
    code, scen = ok["code"], ok["scenario"]
    is_default = a == model.default_assumptions()
    a_used = None if is_default else a
    return (
        components.safe_render(lambda: pressure_block(code, scen, lang, a_used), lang),
        components.safe_render(lambda: services_block(code, scen, lang, "brukere", a_used), lang),
        components.safe_render(lambda: services_block(code, scen, lang, "arsverk", a_used), lang),
        "" if is_default else components.notice(t("asm.active", lang), "info"),
    )


@callback(
    Output({"type": "asm", "field": ALL}, "value"),
    Input("asm-reset", "n_clicks"),
    prevent_initial_call=True,
)
def reset(n: int) -> Any:
    if not n or ctx.triggered_id != "asm-reset":
        return no_update
    default = model.default_assumptions()
    return [round(getattr(default, f) * 100) for f in FIELDS]


def layout(
    code: str | None = None, scenario: str | None = None, lang: str | None = None, **_: Any
) -> Any:
    return context.kommune_page(
        code,
        scenario,
        lang,
        "tjenester",
        heading=lambda c: t("svc.heading", c.lang, name=c.name),
        lead=lambda c: t("svc.lead", c.lang),
        body=_body,
        vintage=False,
    )
