"""The shell around every page: header, navigation, kommune picker, scenario choice, URL
notices, the page container and the footer (Dash calls ``shell_layout`` for each page load)."""

from __future__ import annotations

import dash
from dash import dcc, html

from dashboard import views
from dashboard.server.dash_app import request_lang
from dashboard.text import t
from dashboard.ui import shell


def shell_layout() -> html.Div:
    """The shell, in the language of the page that asks for it (so a deep link with
    ``lang=en`` does not flash Norwegian); ``update_shell`` keeps it in step afterwards."""
    lang = request_lang()
    return html.Div(
        className="app",
        children=[
            dcc.Location(id="url", refresh="callback-nav"),
            dcc.Store(id="shell-lang", data=lang),
            dcc.Store(id="view-sync"),
            # An invisible graph in the shell makes Dash fetch plotly.js while the page content
            # is still being computed, instead of after it arrives (~0.3-0.5 s sooner charts).
            html.Div(
                dcc.Graph(
                    id="plotly-preload",
                    figure={"data": [], "layout": {"width": 10, "height": 10}},
                    config={"staticPlot": True, "displayModeBar": False},
                    responsive=False,
                ),
                className="preload",
                **{"aria-hidden": "true"},
            ),
            html.A(t("a11y.skip", lang), href="#main", className="skip-link", id="skip-link"),
            html.Header(
                id="site-header",
                className="site-header",
                children=shell.header_inner("home", None, views.DEFAULT_SCENARIO, lang),
            ),
            html.Nav(id="site-nav", className="site-nav", **{"aria-label": "Hovedmeny"}),
            html.Div(
                className="toolbar",
                children=html.Div(
                    className="container toolbar-row",
                    children=[
                        shell.picker(lang),
                        html.Div(
                            className="scenario-picker",
                            children=[
                                html.Label(
                                    t("scenario.label", lang),
                                    htmlFor="scenario-select",
                                    id="scenario-label",
                                ),
                                dcc.Dropdown(
                                    id="scenario-select",
                                    options=scenario_options(lang),
                                    value=views.DEFAULT_SCENARIO,
                                    clearable=False,
                                    searchable=False,
                                    className="scenario-dropdown",
                                ),
                            ],
                        ),
                    ],
                ),
            ),
            html.Div(id="url-notice", className="container", **{"aria-live": "polite"}),
            html.Main(
                id="main", className="container main", tabIndex="-1", children=dash.page_container
            ),
            html.Footer(
                id="site-footer", className="site-footer", children=shell.footer_inner(lang)
            ),
        ],
    )


def scenario_options(lang: str) -> list[dict[str, str]]:
    opts = []
    for code in views.scenario_codes():
        label = t(f"scenario.{code}", lang)
        if label == f"scenario.{code}":
            label = code
        opts.append({"label": f"{label} ({code})", "value": code})
    return opts
