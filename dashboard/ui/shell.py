"""The shell's furniture: the kommune picker, the header with the language switch, the main
navigation for the whole view state, and the footer with the sources."""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from dashboard import views
from dashboard.state import ViewState, query, routes
from dashboard.text import LANGS, t
from dashboard.ui import components
from dashboard.ui.element_json import raw_core, raw_element

LANG_NAMES = {"nb": "Bokmål", "nn": "Nynorsk", "en": "English"}


def picker(lang: str, value: str | None = None) -> html.Div:
    return html.Div(
        className="picker",
        children=[
            html.Label(t("picker.label", lang), htmlFor="region-picker", id="picker-label"),
            dcc.Dropdown(
                id="region-picker",
                options=views.picker_options(lang),
                value=value,
                clearable=False,
                searchable=True,
                placeholder=t("picker.placeholder", lang),
                maxHeight=360,
                labels=components.dropdown_labels(lang),
                className="region-dropdown",
            ),
        ],
    )


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
                    href=routes.href("home", None, scenario, lang),
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
        return routes.href("home", None, scenario, lang)
    return routes.href(section, code, scenario, lang, extra)


def nav_links(section: str, state: ViewState) -> list[Any]:
    """Main navigation for the whole view state: kommune sections keep the chosen region in
    the path, the global pages in ``kommune=``, and every link keeps the assumptions."""
    items = []
    for key in routes.NAV_ORDER:
        if key in routes.GLOBAL_PAGES:
            href = routes.GLOBAL_PAGES[key] + query(state, region_param=True)
        else:
            href = routes.kommune_path(state.region or "0", key) + query(state)
        items.append(
            raw_element(
                "Li",
                _raw_link(
                    t(f"nav.{key}", state.lang),
                    href=href,
                    className="nav-link" + (" active" if key == section else ""),
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
                                        t("nav.om", lang), href=routes.href("om", None, None, lang)
                                    )
                                ),
                                html.Li(
                                    dcc.Link(
                                        t("nav.data", lang),
                                        href=routes.href("data", "0", None, lang),
                                    )
                                ),
                                html.Li(
                                    dcc.Link(
                                        t("footer.a11y", lang),
                                        href=routes.href("tilgjengelighet", None, None, lang),
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


LOGO = raw_element(
    "Span",
    [raw_element("Span", className=f"logo-bar b{i}") for i in (1, 2, 3)],
    className="logo",
    **{"aria-hidden": "true"},
)
