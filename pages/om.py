"""Om tjenesten og metode: sources with SSB table numbers and update dates, method, backtest,
scenario assumptions, licences and credits."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dash
import pandas as pd
from dash import dcc, html

from dashboard.data import model
from dashboard.text import ux_text
from dashboard.text.i18n import normalise_lang, t
from dashboard.ui import components, needs_views, ssb_compare, uncertainty
from data_sources import TableNotFoundError, table_meta

dash.register_page(
    __name__, path="/om", name="Om tjenesten", title="Om tjenesten – Kommunefram", order=7
)

ROOT = Path(__file__).resolve().parent.parent
BACKTEST_COLUMNS = (
    "base_year",
    "horizon",
    "method",
    "measure",
    "n_kommuner",
    "mape",
    "medape",
    "wape",
    "within_5pct",
    "norway_error_pct",
)
SOURCE_TABLES = (
    "population",
    "kommuner",
    "care_panel",
    "home_care_hours",
    "service_figures",
    "ssb_projection_fylke",
    "ssb_projection_national",
    "ssb_projection_kommune",
    "ssb_projection_national_agegroup",
    "hmd_mx",
    "hfd_asfr",
    "geo_kommuner",
)


def _sources(lang: str) -> html.Table:
    rows = []
    for name in SOURCE_TABLES:
        try:
            meta = table_meta(name)
        except TableNotFoundError:
            continue  # a table this store does not have (e.g. an optional SSB table)
        tables = ", ".join(meta.get("ssb_tables") or []) or "–"
        updated = meta.get("ssb_updated") or {}
        upd = (
            ", ".join(
                ux_text.fmt_date(v, lang) for v in sorted({str(v)[:10] for v in updated.values()})
            )
            if isinstance(updated, dict)
            else ux_text.fmt_date(updated, lang)
        )
        rows.append(
            html.Tr(
                [
                    html.Td(t(f"om.src.{name}", lang)),
                    html.Td(meta.get("publisher", "–")),
                    html.Td(tables),
                    html.Td(upd or "–"),
                    html.Td(ux_text.fmt_date(meta.get("fetched_at", ""), lang) or "–"),
                    html.Td(ux_text.licence_text(meta.get("licence", "–"), lang)),
                ]
            )
        )
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
    path = ROOT / "projections" / "data" / "backtest_results.csv"
    if not path.is_file():
        return html.P(t("om.backtest_missing", lang), className="muted")
    df = pd.read_csv(path)
    df = df[[c for c in BACKTEST_COLUMNS if c in df.columns]]
    df = ux_text.backtest_readable(df, lang)  # Norwegian method and age-group names
    headers = {c: t(f"om.bt.{c}", lang) for c in BACKTEST_COLUMNS}
    return html.Div(
        components.data_table(
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
    for code in model.scenario_codes():
        info = model.scenario_info(code)
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
    scen, _ok2 = model.normalise_scenario(scenario)
    return html.Div(
        [
            components.page_heading(t("om.heading", lang), lead=t("om.lead", lang)),
            html.Div(
                className="prose",
                children=[
                    html.Section(
                        [html.H2(t("om.what_title", lang)), dcc.Markdown(t("om.what", lang))],
                        className="card",
                    ),
                    html.Section(
                        [html.H2(t("om.method_title", lang)), dcc.Markdown(t("om.method", lang))],
                        className="card",
                        id="metode",
                    ),
                    html.Section(
                        [
                            html.H2(t("om.scen_title", lang)),
                            html.P(t("om.scen_lead", lang)),
                            html.Div(_scenarios(lang), className="table-scroll table-scroll-full"),
                        ],
                        className="card",
                    ),
                    ssb_compare.assumptions_section(scen, lang, "om-assumptions"),
                    html.Section(
                        [
                            html.H2(t("om.backtest_title", lang)),
                            html.P(t("om.backtest_lead", lang)),
                            _backtest(lang),
                            needs_views.backtest_summary(lang),
                        ],
                        className="card",
                        id="tilbakeproving",
                    ),
                    uncertainty.om_summary(lang),
                    html.Section(
                        [html.H2(t("om.sources_title", lang)), _sources(lang)],
                        className="card",
                        id="sources",
                    ),
                    html.Section(
                        [html.H2(t("om.licence_title", lang)), dcc.Markdown(t("om.licence", lang))],
                        className="card",
                        id="licences",
                    ),
                ],
            ),
        ],
        className="page page-om",
    )
