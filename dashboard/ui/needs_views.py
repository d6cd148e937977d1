"""Tjenester page: care users by finer age group for a chosen usage path, and the needs
backtest summary for the Om page. Presentation only: numbers come from projections.needs."""

from __future__ import annotations

from typing import Any

import pandas as pd
from dash import Input, Output, State, callback, dcc, html

from dashboard.state import ViewState
from dashboard.text.formatting import fmt_number, fmt_percent
from dashboard.text.i18n import t
from dashboard.ui import components, figures, validate
from dashboard.views import chart_views, chartdata, needs_figures

USAGES = chartdata.USAGES
CARE_SERVICES = chartdata.CARE_SERVICES
AGE_GROUPS = chartdata.CARE_AGE_GROUPS


def usage_block(state: ViewState) -> Any:
    """Chart block: users of one service by age group 0-66, 67-79, 80-89, 90+."""
    lang = state.lang
    usage, service = state.view.usage_path, state.view.usage_service
    chart = chart_views.chart_table("needsage", state)
    cols = {c: chart.frame[c].to_numpy() for c in chart.frame.columns}
    other_usage = other_path(usage)
    series = [(g, t(f"needs.age.{g}", lang)) for g in AGE_GROUPS]
    path = t(f"needs.usage.{usage}", lang).lower()  # mid-sentence
    fig = figures.lines_figure(cols, "year", series, lang, yaxis_title=t("measure.brukere", lang))
    fig = add_path_band(fig, cols, usage, chart.headers, lang)
    row = {int(y): i for i, y in enumerate(cols["year"])}  # arrays: every Tjenester render
    by = min(row)
    end = 2040 if 2040 in row else max(row)
    users = cols["brukere"]
    share90 = cols["90p"][row[end]] / users[row[end]] * 100 if users[row[end]] else 0.0
    summary = t(
        "needs.usage_summary",
        lang,
        service=t(f"sector.{service}", lang),
        path=path,
        by=by,
        end=end,
        now=fmt_number(users[row[by]], lang),
        then=fmt_number(users[row[end]], lang),
        share90=fmt_percent(share90, lang),
        other_path=t(f"needs.usage.{other_usage}", lang).lower(),
        other=fmt_number(cols[f"brukere_{other_usage}"][row[end]], lang),
    )
    if not (users > 0).any():  # no users registered: say so rather than draw empty lines
        summary = t("needs.no_users", lang, service=t(f"sector.{service}", lang))
    # the on-page table in words; the CSV keeps the codes
    words = {"usage": t(f"needs.usage.{usage}", lang), "service": t(f"sector.{service}", lang)}
    table = pd.DataFrame({**cols, **words})
    return components.chart_block(
        "needs-age-chart",
        fig,
        t("needs.age_title", lang, service=t(f"sector.{service}", lang), path=path),
        summary,
        table,
        lang,
        downloads=chart_views.download_links(chart.name, state),
        headers=chart.headers,
        source=t("source.ssb_kostra_own", lang),
    )


PATH_LINE = "#333333"  # 12.6:1 against white: the two totals are the band's edges
PATH_HATCH = {"shape": "/", "fgcolor": "#767676", "size": 8, "solidity": 0.2}


def other_path(usage: str) -> str:
    """The usage path not chosen (there are two)."""
    return next(u for u in USAGES if u != usage)


def add_path_band(
    fig: dict[str, Any], cols: dict[str, Any], usage: str, headers: dict[str, str], lang: str
) -> dict:
    """All ages on both usage paths, the span between them hatched (not the blue of the
    uncertainty fans): the paths are a choice of policy, named as paths, not a probability.
    The two totals are named by the chart table's headers (as in its table and CSV)."""
    x = figures.as_list(cols["year"])
    other = other_path(usage)
    label = {u: figures.wrap(headers[f"brukere_{u}"]) for u in USAGES}
    hover = "%{y:,.0f}"
    traces = [
        {
            "type": "scatter",
            "x": x,
            "y": figures.as_list(cols[f"brukere_{other}"]),
            "mode": "lines",
            "name": label[other],
            "line": {"color": PATH_LINE, "width": 2, "dash": "dash"},
            "hovertemplate": hover,
        },
        {  # the span itself, filled down to the other path and named as such in the legend
            "type": "scatter",
            "x": x,
            "y": figures.as_list(cols[f"brukere_{usage}"]),
            "mode": "lines",
            "name": figures.wrap(t("needs.path_band", lang)),
            "line": {"width": 0, "color": PATH_LINE},
            "fill": "tonexty",
            "fillcolor": "rgba(0,0,0,0)",
            "fillpattern": PATH_HATCH,
            "hoverinfo": "skip",
        },
        {
            "type": "scatter",
            "x": x,
            "y": figures.as_list(cols[f"brukere_{usage}"]),
            "mode": "lines",
            "name": label[usage],
            "line": {"color": PATH_LINE, "width": 2.5},
            "hovertemplate": hover,
        },
    ]
    return {**fig, "data": [*fig["data"], *traces]}


def usage_section(state: ViewState) -> html.Section:
    """The usage-path choice (radio), the service choice and the age-group chart; the two
    choices are part of the view state (``bruk``, ``tjeneste`` in the URL)."""
    lang = state.lang
    return html.Section(
        className="card needs-usage",
        **{"aria-labelledby": "needs-usage-title"},
        children=[
            dcc.Store(id="needs-ctx", data=validate.state_data(state)),
            html.H2(
                t("needs.usage_title", lang), id="needs-usage-title", className="section-title"
            ),
            html.P(t("needs.usage_lead", lang), className="muted"),
            html.Div(
                className="controls",
                children=[
                    components.radio_control(
                        t("needs.usage_legend", lang),
                        "needs-usage",
                        state.view.usage_path,
                        [{"label": t(f"needs.usage.{u}", lang), "value": u} for u in USAGES],
                    ),
                    components.radio_control(
                        t("needs.service_legend", lang),
                        "needs-service",
                        state.view.usage_service,
                        [{"label": t(f"sector.{s}", lang), "value": s} for s in CARE_SERVICES],
                    ),
                ],
            ),
            html.Div(usage_block(state), id="needs-age-block"),
            html.P(needs_figures.intensity_text(lang), className="muted", id="needs-intensity"),
        ],
    )


@callback(
    Output("needs-age-block", "children"),
    Input("needs-usage", "value"),
    Input("needs-service", "value"),
    State("needs-ctx", "data"),
    prevent_initial_call=True,
)
def _switch(usage: str, service: str, data: dict[str, str]) -> Any:
    state = validate.page_state(data)
    lang = validate.lang_of(data)
    if state is None or usage not in USAGES or service not in CARE_SERVICES:
        return components.notice(t("needs.bad_choice", lang), "warning")
    chosen = state.with_view(usage_path=usage, usage_service=service)
    return components.safe_render(lambda: usage_block(chosen), lang)


def backtest_summary(lang: str) -> Any:
    """Short needs-backtest summary for the Om page (national error by service and path)."""
    bt = needs_figures.backtest_table(lang)
    return html.Div(
        [
            html.P(t("needs.bt.method", lang)),
            html.H3(t("needs.bt.title", lang)),
            html.P(
                t("needs.bt.lead", lang, target=bt.target, damping=bt.damping), className="muted"
            ),
            html.Div(
                components.data_table(bt.frame, lang, headers=bt.headers, decimals=bt.decimals),
                className="table-scroll",
            ),
        ],
        id="needs-backtest",
    )
