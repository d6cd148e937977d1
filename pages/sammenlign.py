"""Sammenlign: up to six regions side by side, with "similar kommuner" suggestions."""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output, State, callback, dcc, html, no_update

from dashboard import ui, views
from dashboard.state import MAX_COMPARE, ViewState, decode, query
from dashboard.text import fmt_change, fmt_number, t

dash.register_page(
    __name__,
    path="/sammenlign",
    name="Sammenlign",
    title="Sammenlign kommuner – Kommunefram",
    order=5,
)

MAX_REGIONS = MAX_COMPARE


def _compare_chart(metric: str, state: ViewState) -> Any:
    codes, lang = views.compare_codes(state), state.lang
    chart = views.chart_table(f"compare-{metric}", state)
    df = chart.frame
    names = {c: views.region_name(c, lang) for c in codes}
    series = [(c, names[c]) for c in codes if c in df.columns]
    decimals = 1 if metric != "index" else 0
    fig = ui.lines_figure(
        df,
        "year",
        series,
        lang,
        yaxis_title=t(f"cmp.axis.{metric}", lang),
        decimals=decimals,
        rangemode="normal" if metric == "index" else "tozero",
    )
    last = df.iloc[-1]
    ranked = sorted(series, key=lambda s: -float(last[s[0]]) if last[s[0]] == last[s[0]] else 0)
    (top_col, top), (low_col, low) = ranked[0], ranked[-1]
    year, top_v = int(last["year"]), fmt_number(last[top_col], lang, decimals)
    if len(series) == 1:  # nothing to rank: say what the one region shows
        title = t(f"cmp.one.{metric}", lang, name=top, year=year)
        summary = t("cmp.one.summary", lang, year=year, name=top, value=top_v)
    else:
        title = t(f"cmp.msg.{metric}", lang, top=top, year=year)
        low_v = fmt_number(last[low_col], lang, decimals)
        summary = t("cmp.summary", lang, year=year, top=top, top_v=top_v, low=low, low_v=low_v)
    return ui.chart_block(
        f"cmp-{metric}",
        fig,
        title,
        summary,
        df,
        lang,
        downloads=views.download_links(chart.name, state),
        headers=chart.headers,
        decimals=chart.decimals,
        source=t("source.ssb_kostra_own", lang) if metric == "pressure" else None,
    )


def _summary_table(codes: list[str], scenario: str, lang: str) -> html.Div:
    """Today, 2040 with its 80 % interval, and the changes, one row per region."""
    head = [
        t("cmp.col.region", lang),
        t("card.total", lang),
        "2040",
        t("unc.cmp_col", lang, year=2040),
        t("cmp.col.change", lang),
        t("cmp.col.80p_change", lang),
        t("cmp.col.ratio", lang),
    ]
    rows = []
    for c in codes:
        kf = {k.key: k for k in views.key_figures(scenario, c)}
        tot, old, cr = kf["total"], kf["80p"], kf["care_ratio"]
        rows.append(
            html.Tr(
                [
                    html.Th(views.region_name(c, lang), scope="row"),
                    html.Td(fmt_number(tot.base, lang), className="num"),
                    html.Td(fmt_number(tot.values.get(2040), lang), className="num"),
                    html.Td(
                        views.intervals.range_text(c, scenario, 2040, lang),
                        className="num unc-range",
                    ),
                    html.Td(fmt_change(tot.values.get(2040), tot.base, lang), className="num"),
                    html.Td(fmt_change(old.values.get(2040), old.base, lang), className="num"),
                    html.Td(fmt_number(cr.values.get(2040), lang, 1), className="num"),
                ]
            )
        )
    table = html.Div(
        html.Table(
            [
                html.Thead(
                    html.Tr(
                        [
                            html.Th(h, scope="col", className="num" if i else None)
                            for i, h in enumerate(head)
                        ]
                    )
                ),
                html.Tbody(rows),
            ],
            className="data-table compare-table",
        ),
        className="table-scroll card",
        id="compare-table",
    )
    note = html.P(t("unc.cmp_note", lang, year=2040), className="muted", id="compare-interval-note")
    return html.Div([table, note])


def _body(state: ViewState) -> Any:
    codes, scenario, lang = list(views.compare_codes(state)), state.scenario, state.lang
    if not views.projections_available():
        return ui.projections_missing(lang)
    sugg = [c for c in views.similar_regions(codes[0]) if c not in codes]
    suggestions = html.Div(
        className="suggest-row",
        children=[
            html.Span(
                t("cmp.similar", lang, name=views.region_name(codes[0], lang)), className="muted"
            ),
            *[
                dcc.Link(
                    "+ " + views.region_name(c, lang),
                    href="/sammenlign"
                    + query(
                        state.with_view(compare=tuple([*codes, c][-MAX_REGIONS:])),
                        region_param=True,
                    ),
                    className="chip",
                )
                for c in sugg
            ],
        ],
    )
    blocks = [_compare_chart(m, state) for m in ("index", "share_80p")]
    if views.needs_available():
        blocks.append(_compare_chart("pressure", state))
    return html.Div([suggestions, _summary_table(codes, scenario, lang), *blocks])


def layout(**params: Any) -> Any:
    state = decode(None, params).state
    lang, k = state.lang, params.get("k")
    codes = list(views.compare_codes(state))
    return html.Div(
        [
            ui.page_heading(t("cmp.heading", lang), lead=t("cmp.lead", lang, n=MAX_REGIONS)),
            ui.compare_notice(k, codes, MAX_REGIONS, lang),
            dcc.Store(id="cmp-ctx", data={**ui.state_data(state), "k": ",".join(codes)}),
            html.Div(
                className="card controls",
                children=html.Div(
                    [
                        html.Label(t("cmp.picker", lang), htmlFor="compare-picker"),
                        dcc.Dropdown(
                            id="compare-picker",
                            labels=ui.dropdown_labels(lang),
                            options=ui.picker_options(lang),
                            value=codes,
                            multi=True,
                            placeholder=t("picker.placeholder", lang),
                        ),
                    ],
                    className="control control-wide",
                ),
            ),
            ui.safe_render(lambda: _body(state), lang),
        ],
        className="page page-sammenlign",
    )


@callback(
    Output("url", "href", allow_duplicate=True),
    Output("compare-picker", "value"),
    Input("compare-picker", "value"),
    State("cmp-ctx", "data"),
    prevent_initial_call=True,
)
def choose(values: list[str], data: dict[str, str]) -> Any:
    state = ui.page_state(data, need_code=False)
    if state is None or not isinstance(values, list | None) or len(values or []) > 100:
        return no_update, no_update
    values = [v for v in values or [] if views.region_or_none(v) is not None]
    if not values or ",".join(values) == data.get("k"):  # the picker echoing the page's list
        return no_update, no_update
    trimmed = values[:MAX_REGIONS]
    chosen = state.with_view(compare=tuple(trimmed))
    href = "/sammenlign" + query(chosen, region_param=True)
    return href, (trimmed if len(values) > MAX_REGIONS else no_update)
