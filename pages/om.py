"""Om tjenesten og metode: sources with SSB table numbers and update dates, method, backtest,
scenario assumptions, licences and credits."""

from __future__ import annotations

from typing import Any

import dash
from dash import dcc, html

from dashboard import ui, views
from dashboard.text import normalise_lang, t

dash.register_page(
    __name__, path="/om", name="Om tjenesten", title="Om tjenesten – Kommunefram", order=7
)


def _sources(lang: str) -> html.Table:
    rows = [html.Tr([html.Td(cell) for cell in row]) for row in views.about.source_rows(lang)]
    head = [
        t(f"om.col.{c}", lang)
        for c in ("data", "publisher", "tables", "updated", "fetched", "licence")
    ]
    return html.Div(
        html.Table(
            [html.Thead(html.Tr([html.Th(h, scope="col") for h in head])), html.Tbody(rows)],
            className="data-table",
        ),
        className="table-scroll table-scroll-full",
    )


def _backtest(lang: str) -> Any:
    df = views.about.backtest_frame(lang)
    if df is None:
        return html.P(t("om.backtest_missing", lang), className="muted")
    headers = {c: t(f"om.bt.{c}", lang) for c in views.about.BACKTEST_COLUMNS}
    return html.Div(
        ui.data_table(
            df,
            lang,
            headers=headers,
            decimals={c: 1 for c in df.columns if df[c].dtype.kind == "f"},
            max_rows=60,
            class_name="data-table backtest-table",
        ),
        className="table-scroll table-scroll-full backtest-scroll",
    )


def _scenarios(lang: str) -> html.Table:
    rows = []
    for code in views.scenario_codes():
        info = views.scenario_info(code)
        desc = t(f"scenario.{code}.desc", lang)
        if desc == f"scenario.{code}.desc":
            desc = str(info or "")
        rows.append(
            html.Tr([html.Td(html.Code(code)), html.Td(t(f"scenario.{code}", lang)), html.Td(desc)])
        )
    head = [t("om.scen.code", lang), t("om.scen.name", lang), t("om.scen.desc", lang)]
    return html.Table(
        [html.Thead(html.Tr([html.Th(h, scope="col") for h in head])), html.Tbody(rows)],
        className="data-table",
    )


def layout(lang: str | None = None, scenario: str | None = None, **_: Any) -> Any:
    lang, _ok = normalise_lang(lang)
    scen, _ok2 = views.normalise_scenario(scenario)
    return html.Div(
        [
            ui.page_heading(t("om.heading", lang), lead=t("om.lead", lang)),
            html.Div(
                className="prose",
                children=[
                    ui.card_section(t("om.what_title", lang), dcc.Markdown(t("om.what", lang))),
                    ui.card_section(
                        t("om.method_title", lang),
                        dcc.Markdown(t("om.method", lang)),
                        section_id="metode",
                    ),
                    ui.card_section(
                        t("om.scen_title", lang),
                        html.P(t("om.scen_lead", lang)),
                        html.Div(_scenarios(lang), className="table-scroll table-scroll-full"),
                    ),
                    ui.assumptions_section(scen, lang, "om-assumptions"),
                    ui.card_section(
                        t("om.backtest_title", lang),
                        html.P(t("om.backtest_lead", lang)),
                        _backtest(lang),
                        ui.backtest_summary(lang),
                        section_id="tilbakeproving",
                    ),
                    ui.om_summary(lang),
                    ui.card_section(
                        t("om.sources_title", lang), _sources(lang), section_id="sources"
                    ),
                    ui.card_section(
                        t("om.licence_title", lang),
                        dcc.Markdown(t("om.licence", lang)),
                        section_id="licences",
                    ),
                ],
            ),
        ],
        className="page page-om",
    )
