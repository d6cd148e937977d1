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

from dashboard import modebar, urls
from dashboard.formatting import fmt_number
from dashboard.i18n import LANGS, t
from data_sources import catalogue, fold

GRAPH_CONFIG: dict[str, Any] = {
    "displaylogo": False,
    "responsive": True,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "toggleSpikelines"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}
LANG_NAMES = {"nb": "Bokmål", "nn": "Nynorsk", "en": "English"}


# -- picker ----------------------------------------------------------------------------------
@lru_cache(maxsize=3)
def picker_options(lang: str) -> list[dict[str, str]]:
    """All regions for the picker: Norway, the 15 fylker, the 357 kommuner.

    ``search`` holds the number plus folded and unfolded name forms so "karasjok",
    "Kárášjohka" and "5610" all find the same kommune.
    """
    opts: list[dict[str, str]] = []
    for r in catalogue().regions():
        if r.level == "norge":
            label = t("region.norway", lang)
            words = "0 norge noreg norway hele heile landet"
        elif r.level == "fylke":
            label = f"{r.name_official} ({t('region.fylke', lang)}, {r.code})"
            words = f"{r.code} {r.name_official} {fold(r.name_official)} fylke"
        else:
            label = f"{r.name_official} ({r.code})"
            words = f"{r.code} {r.name_official} {fold(r.name_official)} {r.name} {fold(r.name)}"
            words += f" {r.fylke_name} {fold(r.fylke_name or '')}"
        opts.append({"label": label, "value": r.code, "search": words})
    return opts


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


def picker(lang: str, value: str | None = None) -> html.Div:
    return html.Div(
        className="picker",
        children=[
            html.Label(t("picker.label", lang), htmlFor="region-picker", id="picker-label"),
            dcc.Dropdown(
                id="region-picker",
                options=picker_options(lang),
                value=value,
                clearable=False,
                searchable=True,
                placeholder=t("picker.placeholder", lang),
                maxHeight=360,
                labels=dropdown_labels(lang),
                className="region-dropdown",
            ),
        ],
    )


# -- header / nav / footer -------------------------------------------------------------------


def header_inner(
    section: str,
    code: str | None,
    scenario: str,
    lang: str,
    extra: dict[str, str] | None = None,
) -> list[Any]:
    """Brand, tagline and language switch (re-rendered when the URL changes).

    Element JSON (``raw_element``): the shell callback answers every navigation.
    """
    el, link = raw_element, _raw_link
    path_href = {lg: _same_page_href(section, code, scenario, lg, extra) for lg in LANGS}
    return [
        el(
            "Div",
            [
                link(
                    [
                        LOGO,
                        el(
                            "Span",
                            [
                                el("Span", "Kommunefram", className="brand-name"),
                                el("Span", t("app.tagline", lang), className="brand-tagline"),
                            ],
                        ),
                    ],
                    href=urls.href("home", None, scenario, lang),
                    className="brand",
                ),
                el(
                    "Nav",
                    [
                        link(
                            LANG_NAMES[lg],
                            href=path_href[lg],
                            id=f"lang-{lg}",
                            className="lang-link" + (" active" if lg == lang else ""),
                            title=LANG_NAMES[lg],
                        )
                        for lg in LANGS
                    ],
                    className="lang-switch",
                    **{"aria-label": t("lang.label", lang)},
                ),
            ],
            className="container header-row",
        )
    ]


def _raw_link(children: Any, **props: Any) -> dict[str, Any]:
    """A ``dcc.Link`` as element JSON (client-side navigation, like the component)."""
    return raw_core("Link", children=children, **props)


def _same_page_href(
    section: str, code: str | None, scenario: str, lang: str, extra: dict[str, str] | None
) -> str:
    if section in ("home", "unknown"):
        return urls.href("home", None, scenario, lang)
    return urls.href(section, code, scenario, lang, extra)


def nav_links(
    section: str, code: str | None, scenario: str, lang: str, extra: dict[str, str] | None = None
) -> list[Any]:
    """Main navigation; kommune sections keep the chosen region (and ``extra``: assumptions)."""
    code = code or "0"
    items = []
    for key in urls.NAV_ORDER:
        active = key == section
        items.append(
            raw_element(
                "Li",
                _raw_link(
                    t(f"nav.{key}", lang),
                    href=urls.href(
                        key, code, scenario, lang, extra if key in urls.KOMMUNE_SECTIONS else None
                    ),
                    className="nav-link" + (" active" if active else ""),
                    id=f"nav-{key}",
                ),
            )
        )
    return [raw_element("Ul", items, className="container nav-list")]


def footer_inner(lang: str) -> list[Any]:
    return [
        html.Div(
            className="container footer-grid",
            children=[
                html.Div(
                    [
                        html.P("Kommunefram", className="footer-brand"),
                        html.P(t("footer.about", lang)),
                    ]
                ),
                html.Div(
                    [
                        html.P(t("footer.credits_title", lang), className="footer-heading"),
                        html.Ul(
                            [
                                html.Li(t("credit.ssb", lang)),
                                html.Li(t("credit.kartverket", lang)),
                                html.Li(t("credit.hmd_hfd", lang)),
                                html.Li(t("credit.licence", lang)),
                            ],
                            className="footer-list",
                        ),
                    ]
                ),
                html.Div(
                    [
                        html.P(t("footer.more_title", lang), className="footer-heading"),
                        html.Ul(
                            [
                                html.Li(
                                    dcc.Link(
                                        t("nav.om", lang), href=urls.href("om", None, None, lang)
                                    )
                                ),
                                html.Li(
                                    dcc.Link(
                                        t("nav.data", lang), href=urls.href("data", "0", None, lang)
                                    )
                                ),
                                html.Li(
                                    dcc.Link(
                                        t("footer.a11y", lang),
                                        href=urls.href("tilgjengelighet", None, None, lang),
                                    )
                                ),
                                html.Li(
                                    html.A(
                                        "ssb.no",
                                        href="https://www.ssb.no/statbank",
                                        rel="noopener",
                                    )
                                ),
                            ],
                            className="footer-list",
                        ),
                    ]
                ),
            ],
        )
    ]


# -- page furniture --------------------------------------------------------------------------
def vintage_line(lang: str) -> html.P:
    """Where the observed numbers come from and how fresh they are."""
    from dashboard import model

    year, table, date = model.data_vintage()
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


def raw_element(tag: str, children: Any = None, **props: Any) -> dict[str, Any]:
    """An ``html.<tag>`` element as the JSON Dash sends for it, without building a Component.

    Building a Component and its ``to_plotly_json`` cost ~25 us per element on the request
    path; the key cards alone are ~170 elements on every Oversikt render (a fifth of the load
    test's CPU went into Dash components). Same JSON, so the browser sees the same markup.
    Only for markup the server does not read back: Python code cannot walk into it as
    Components (interactive controls stay Components), and property names are not checked.
    """
    # like a Component: "children" is always sent (null when empty)
    return {
        "props": {"children": children, **props},
        "type": tag,
        "namespace": "dash_html_components",
    }


def raw_core(tag: str, **props: Any) -> dict[str, Any]:
    """A ``dcc.<tag>`` (Graph, Markdown, Link) as its JSON, like ``raw_element``."""
    return {"props": props, "type": tag, "namespace": "dash_core_components"}


LOGO = raw_element(
    "Span",
    [raw_element("Span", className=f"logo-bar b{i}") for i in (1, 2, 3)],
    className="logo",
    **{"aria-hidden": "true"},
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
    csv_key: str | None = None,
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
    if csv_key:
        tools.append(
            el(
                "Button",
                t("chart.download_csv", lang),
                id={"type": "chart-csv", "key": csv_key},
                className="btn btn-link",
                n_clicks=0,
            )
        )
        from dashboard.chart_excel import excel_button

        tools.append(excel_button(csv_key, lang, headers, decimals))
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
                    href=urls.href(section, r.code, scenario, lang),
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
