"""Shared widgets: header, navigation, kommune picker, footer, key-figure cards, chart blocks.

Every chart goes through ``chart_block`` so all of them get the same accessible furniture:
a one-message title, a caption with a plain-text summary, a source line, a "Vis som tabell"
alternative and a CSV download of exactly the data the chart shows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from html import escape
from typing import Any

import numpy as np
import pandas as pd
from dash import dcc, html

from dashboard import views
from dashboard.state import routes
from dashboard.text.formatting import fmt_number
from dashboard.text.i18n import t
from dashboard.ui import modebar
from dashboard.ui.element_json import raw_core, raw_element

GRAPH_CONFIG: dict[str, Any] = {
    "displaylogo": False,
    "responsive": True,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "toggleSpikelines"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


# -- picker ----------------------------------------------------------------------------------
def picker_options(lang: str) -> list[dict[str, str]]:
    """Every region for a picker, with its search words (``dashboard.views.picker``)."""
    return views.picker_options(lang)


def dropdown_labels(lang: str) -> dict[str, str]:
    """Texts inside Dash's dropdown (its defaults are English)."""
    return {
        "select_all": t("dd.select_all", lang),
        "deselect_all": t("dd.deselect_all", lang),
        "selected_count": t("dd.selected_count", lang),
        "search": t("picker.search", lang),
        "clear_search": t("picker.clear", lang),
        "clear_selection": t("dd.clear_selection", lang),
        "no_options_found": t("picker.none", lang),
    }


# -- header / nav / footer -------------------------------------------------------------------


# -- page furniture --------------------------------------------------------------------------
def vintage_line(lang: str) -> html.P:
    """Where the observed numbers come from and how fresh they are."""

    year, table, date = views.data_vintage()
    return html.P(t("vintage", lang, year=year, table=table, date=date), className="vintage")


def radio_control(
    legend: str,
    id: str,
    value: Any,
    options: list[dict[str, Any]],
    inline: bool = True,
) -> html.Fieldset:
    """A labelled group of radio buttons (a fieldset whose legend names the choice)."""
    extra = {"inline": True, "className": "radio-row"} if inline else {"className": "radio-col"}
    return html.Fieldset(
        [html.Legend(legend), dcc.RadioItems(id=id, value=value, options=options, **extra)],
        className="control",
    )


def notice(text: str, kind: str = "info", role: str = "status") -> html.Div:
    return html.Div(text, className=f"notice notice-{kind}", role=role)


def card_section(title: str, *body: Any, section_id: str | None = None) -> html.Section:
    """A card of a prose page (Om, Tilgjengelighet): its H2 heading, then ``body``."""
    ids = {"id": section_id} if section_id else {}
    return html.Section([html.H2(title), *body], className="card", **ids)


def page_heading(
    title: str, kicker: str | None = None, lead: str | None = None, extra: Any = None
) -> html.Div:
    return html.Div(
        className="page-heading",
        children=[
            html.P(kicker, className="kicker") if kicker else None,
            html.H1(title, id="page-title"),
            html.P(lead, className="lead") if lead else None,
            extra,
        ],
    )


@lru_cache(maxsize=8)  # one per language: the same header row in every card of a page
def _key_card_head(lang: str) -> dict[str, Any]:
    el = raw_element
    return el(
        "Thead",
        el(
            "Tr",
            [
                el("Th", t("card.year", lang), scope="col"),
                el("Th", t("card.value", lang), scope="col"),
                el("Th", t("card.change", lang), scope="col"),
            ],
            className="visually-hidden-row",
        ),
    )


def key_card(
    title: str,
    value: str,
    sub: str,
    rows: Sequence[tuple[str, Any, str, str]],
    card_id: str,
    lang: str,
) -> dict[str, Any]:
    """Key figure: big number now, then value and change per future year.

    ``rows`` are (year, value, change text, direction css class).
    """
    el = raw_element
    body = [
        el(
            "Tr",
            [
                el("Th", y, scope="row"),
                el("Td", v),
                el("Td", el("Span", c, className=f"chg {cls}")),
            ],
        )
        for y, v, c, cls in rows
    ]
    return el(
        "Article",
        [
            el("H3", title, className="keyfig-title"),
            el("P", value, className="keyfig-value"),
            el("P", sub, className="keyfig-sub"),
            el("Table", [_key_card_head(lang), el("Tbody", body)], className="keyfig-table"),
        ],
        className="card keyfig",
        id=card_id,
    )


def data_table(
    df: pd.DataFrame | Mapping[str, Any],
    lang: str,
    headers: dict[str, str] | None = None,
    decimals: dict[str, int] | None = None,
    max_rows: int = 400,
    class_name: str = "data-table",
) -> dict[str, Any]:
    """A plain, accessible HTML table with Norwegian number formatting.

    Rendered as one HTML string (not one Dash component per cell): a 100-row table would
    otherwise cost ~700 components and tens of milliseconds on every kommune switch (1 320
    cells on Befolkning: next page 0.53 s as a string, 0.79 s as elements, 20 Mbit/s). The
    string travels in a ``data-html`` attribute that assets/html_tables.js turns into the
    table: it used to be a ``dcc.Markdown``, which made every page fetch the markdown and
    highlight.js chunks (~470 kB). All cell text is escaped. ``df`` is a frame or its columns
    (name -> array): pages that hold arrays need not build a frame for it.
    """
    headers = headers or {}
    decimals = decimals or {}
    cols = list(df.columns) if isinstance(df, pd.DataFrame) else list(df)
    series = [df[c] if isinstance(df[c], pd.Series) else np.asarray(df[c]) for c in cols]
    # Plain Python values column by column (what itertuples yields, without a namedtuple
    # class and a pandas lookup per row).
    values = [s.tolist()[:max_rows] for s in series]
    # Years and horizons are labels, not quantities: never "2 010".
    numeric = [
        "year" not in str(c) and c != "horizon" and s.dtype.kind in "fiu"
        for c, s in zip(cols, series, strict=True)
    ]
    num_attr = ' class="num"'
    head = "".join(
        f'<th scope="col"{num_attr if n else ""}>{escape(str(headers.get(c, c)))}</th>'
        for c, n in zip(cols, numeric, strict=True)
    )
    rows = []
    for row in zip(*values, strict=True):
        cells = []
        for c, n, v in zip(cols, numeric, row, strict=True):
            if n:
                cells.append(f'<td class="num">{fmt_number(v, lang, decimals.get(c, 0))}</td>')
            else:
                cells.append(f"<td>{escape(str(v))}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    html_text = (
        f'<table class="{class_name}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    return raw_element("Div", None, className="html-table", **{"data-html": html_text})


def chart_block(
    graph_id: str,
    figure: Any,
    title: str,
    summary: str,
    table: pd.DataFrame | Mapping[str, Any],
    lang: str,
    downloads: tuple[str, str] | None = None,
    headers: dict[str, str] | None = None,
    decimals: dict[str, int] | None = None,
    source: str | None = None,
    controls: Any = None,
    height_class: str = "",
) -> dict[str, Any]:
    """A chart with title, caption (text summary), source, table alternative and CSV.

    Element JSON (``raw_element``), not Components: every page render builds several.
    """
    el = raw_element
    figure_el = el(
        "Figure",
        [
            raw_core(
                "Graph",
                id=graph_id,
                figure=figure,
                config=modebar.graph_config(lang, f"kommunefram-{graph_id}"),
                className=f"chart {height_class}".strip(),
                responsive=True,
            ),
            el(
                "Figcaption",
                [
                    el("Span", summary, className="chart-summary", id=f"{graph_id}-summary"),
                    el("Span", source or t("source.ssb_own", lang), className="chart-source"),
                ],
            ),
        ],
        className="chart-figure",
    )
    tools = [
        el(
            "Details",
            [
                el("Summary", t("chart.show_table", lang)),
                el(
                    "Div",
                    data_table(table, lang, headers, decimals),
                    className="table-scroll",
                    id=f"{graph_id}-table",
                ),
            ],
            className="table-details",
        )
    ]
    if downloads is not None:  # plain links: the server rebuilds the chart from the state
        for href, label in zip(
            downloads, ("chart.download_csv", "ux.csv.excel_chart"), strict=True
        ):
            tools.append(
                el(
                    "A",
                    t(label, lang),
                    href=href,
                    className="btn btn-link chart-download",
                    rel="nofollow",
                    download="",
                )
            )
    return el(
        "Section",
        [
            el("H2", title, className="chart-title", id=f"{graph_id}-title"),
            controls,
            figure_el,
            el("Div", tools, className="chart-tools"),
        ],
        className="card chart-card",
        **{"aria-labelledby": f"{graph_id}-title"},
    )


def region_suggestions(
    suggestions: Sequence[Any], section: str, scenario: str, lang: str
) -> html.Ul:
    return html.Ul(
        [
            html.Li(
                dcc.Link(
                    f"{r.name_official} ({r.code})"
                    if r.level != "norge"
                    else t("region.norway", lang),
                    href=routes.href(section, r.code, scenario, lang),
                )
            )
            for r in suggestions
        ],
        className="suggestion-list",
    )


def projections_missing(lang: str) -> html.Div:
    return notice(t("notice.projections_missing", lang), "warning")


def safe_render(render: Callable[[], Any], lang: str) -> Any:
    """Run a page renderer; expected data errors become a friendly message, not a traceback."""
    try:
        return render()
    except Exception as exc:
        import logging

        logging.getLogger("kommunefram").exception("render failed: %s", exc)
        return notice(t("notice.render_error", lang), "error", role="alert")
