"""Data og eksport: full tidy tables as CSV (standard and "CSV for Excel (norsk)")."""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output, State, callback, dcc, html, no_update

from dashboard import state, ui, views
from dashboard.files import downloads
from dashboard.text import t

dash.register_page(
    __name__,
    path_template="/kommune/<code>/data",
    name="Data og eksport",
    title="Data og eksport – Kommunefram",
    order=3,
)

COLUMNS: dict[str, tuple[str, ...]] = {
    "population": ("scenario", "year", "kommune", "sex", "age", "persons"),
    "components": (
        "scenario",
        "year",
        "kommune",
        "population",
        "births",
        "deaths",
        "net_migration",
    ),
    "services": ("scenario", "year", "kommune", "sector", "measure", "value", "unit"),
    "indicators": ("scenario", "year", "kommune", "indicator", "value", "unit"),
}


def _columns_doc(lang: str) -> html.Div:
    sections = []
    for table, cols in COLUMNS.items():
        sections.append(
            html.Details(
                [
                    html.Summary(t(f"data.table.{table}", lang)),
                    html.P(t(f"data.table.{table}.desc", lang), className="muted"),
                    html.Table(
                        [
                            html.Thead(
                                html.Tr(
                                    [
                                        html.Th(t("data.col", lang), scope="col"),
                                        html.Th(t("data.meaning", lang), scope="col"),
                                    ]
                                )
                            ),
                            html.Tbody(
                                [
                                    html.Tr(
                                        [
                                            html.Td(html.Code(c)),
                                            html.Td(t(f"data.coldoc.{c}", lang)),
                                        ]
                                    )
                                    for c in cols
                                ]
                            ),
                        ],
                        className="data-table",
                    ),
                ],
                className="table-details",
            )
        )
    return html.Section(
        [html.H2(t("data.columns_title", lang), className="section-title"), *sections],
        className="card",
    )


def _cli_region(c: ui.PageContext) -> str:
    level = c.region.level
    if level == "norge":
        return "--norge"
    return f"--fylke {c.code}" if level == "fylke" else f"--kommune {c.code}"


def _link_targets(
    table: str, region: str, scenario: str, extra: dict[str, str] | None = None
) -> tuple[str, str, str, str]:
    """(href, filename) of the standard and the Excel (norsk) download, for layout and callback.

    ``extra`` carries the language and the changed assumptions from the page's URL.
    """
    extra = extra or {}
    changed = any(k != "lang" for k in extra)
    return (
        downloads.table_href(table, region, scenario, "standard", extra),
        downloads.filename(table, region, scenario, "standard", changed),
        downloads.table_href(table, region, scenario, "excel_no", extra),
        downloads.filename(table, region, scenario, "excel_no", changed),
    )


def _body(c: ui.PageContext) -> Any:
    lang = c.lang
    if not views.projections_available():
        return ui.projections_missing(lang)
    tables = [
        x
        for x in downloads.TABLES
        if x in ("population", "components", "intervals") or views.needs_available()
    ]
    assumptions = c.state.assumptions_or_none  # URL problems: the shell's notice
    extra = {"lang": lang, **state.assumption_params(assumptions)}
    std_href, std_name, xl_href, xl_name = _link_targets("population", c.code, c.scenario, extra)
    return html.Div(
        [
            dcc.Store(
                id="data-ctx",
                data={"code": c.code, "scenario": c.scenario, "lang": lang, "extra": extra},
            ),
            ui.assumptions_notice(assumptions, lang),
            html.Section(
                className="card download-card",
                **{"aria-labelledby": "download-title"},
                children=[
                    html.H2(
                        t("data.download_title", lang),
                        id="download-title",
                        className="section-title",
                    ),
                    html.Div(
                        className="controls",
                        children=[
                            ui.radio_control(
                                t("data.which_table", lang),
                                "data-table",
                                "population",
                                [{"label": t(f"data.table.{x}", lang), "value": x} for x in tables],
                                inline=False,
                            ),
                            ui.radio_control(
                                t("data.scope", lang),
                                "data-scope",
                                "region",
                                [
                                    {
                                        "label": t(
                                            "data.scope.region", lang, name=c.name_in_sentence
                                        ),
                                        "value": "region",
                                    },
                                    {"label": t("data.scope.all", lang), "value": "all"},
                                ],
                                inline=False,
                            ),
                        ],
                    ),
                    html.Div(
                        [
                            html.A(
                                t("data.btn_standard", lang),
                                id="dl-standard",
                                className="btn",
                                href=std_href,
                                download=std_name,
                            ),
                            html.A(
                                t("data.btn_excel", lang),
                                id="dl-excel",
                                className="btn btn-secondary",
                                href=xl_href,
                                download=xl_name,
                            ),
                        ],
                        className="button-row",
                    ),
                    html.P(t("data.formats", lang), className="muted small"),
                    html.P(t("ux.data.excel_doc", lang), className="muted small"),
                    html.P(t("ux.data.assumptions_doc", lang), className="muted small"),
                    html.P(t("data.chart_hint", lang), className="muted small"),
                    html.P(
                        [
                            t("data.cli", lang) + " ",
                            html.Code(
                                f"python -m projections project {_cli_region(c)} "
                                f"--scenario {c.scenario}"
                            ),
                        ],
                        className="muted small",
                    ),
                ],
            ),
            _columns_doc(lang),
        ]
    )


@callback(
    Output("dl-standard", "href"),
    Output("dl-standard", "download"),
    Output("dl-excel", "href"),
    Output("dl-excel", "download"),
    Input("data-table", "value"),
    Input("data-scope", "value"),
    State("data-ctx", "data"),
)
def download_links(table: str, scope: str, data: dict[str, str]) -> tuple[str, str, str, str]:
    """Point both download links at the chosen table and area (plain file downloads)."""
    ok = ui.page_data(data)
    table_v = ui.choice(table, downloads.TABLES)
    if ok is None or table_v is None or scope not in ("region", "all"):
        return no_update, no_update, no_update, no_update
    region = ok["code"] if scope == "region" else "alle"
    return _link_targets(table_v, region, ok["scenario"], data.get("extra"))


def layout(
    code: str | None = None, scenario: str | None = None, lang: str | None = None, **params: Any
) -> Any:
    return ui.kommune_page(
        code,
        scenario,
        lang,
        "data",
        heading=lambda c: t("data.heading", c.lang, name=c.name_in_sentence),
        lead=lambda c: t("data.lead", c.lang),
        body=_body,
        params=params,
    )
