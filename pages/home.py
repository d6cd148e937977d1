"""Forside: pick a kommune, or start from Norway, the largest kommuner or the map."""

from __future__ import annotations

import logging
from typing import Any

import dash
from dash import dcc, html

from dashboard import views
from dashboard.state import href
from dashboard.text import fmt_change, fmt_number, normalise_lang, t

dash.register_page(__name__, path="/", name="Kommunefram", title="Kommunefram", order=0)


def layout(scenario: str | None = None, lang: str | None = None, **_: Any) -> Any:
    lang, _ok = normalise_lang(lang)
    scen, _ok2 = views.normalise_scenario(scenario)
    biggest = views.largest_kommuner(8)
    facts: list[Any] = []
    if views.projections_available():
        try:
            kf = {k.key: k for k in views.key_figures(scen, "0")}
            facts = [
                html.Div(
                    [
                        html.P(
                            fmt_number(kf["total"].values.get(2050), lang), className="fact-num"
                        ),
                        html.P(
                            t(
                                "home.fact_total",
                                lang,
                                change=fmt_change(
                                    kf["total"].values.get(2050), kf["total"].base, lang
                                ),
                            )
                        ),
                    ],
                    className="fact",
                ),
                html.Div(
                    [
                        html.P(
                            fmt_change(kf["80p"].values.get(2040), kf["80p"].base, lang),
                            className="fact-num",
                        ),
                        html.P(t("home.fact_80p", lang)),
                    ],
                    className="fact",
                ),
                html.Div(
                    [
                        html.P(
                            fmt_number(kf["care_ratio"].values.get(2040), lang, 1),
                            className="fact-num",
                        ),
                        html.P(
                            t(
                                "home.fact_ratio",
                                lang,
                                now=fmt_number(kf["care_ratio"].base, lang, 1),
                            )
                        ),
                    ],
                    className="fact",
                ),
            ]
        except (KeyError, ValueError, LookupError):
            # the facts are decoration: the page works without them, the log says why
            logging.getLogger("kommunefram").exception("home page facts failed")
            facts = []
    return html.Div(
        [
            html.Section(
                className="hero",
                children=[
                    html.H1(t("home.title", lang), id="page-title"),
                    html.P(t("home.lead", lang), className="lead"),
                    html.P(t("home.pick_hint", lang), className="hero-hint"),
                ],
            ),
            html.Div(facts, className="facts") if facts else None,
            html.Section(
                [
                    html.H2(t("home.quick", lang), className="section-title"),
                    html.Ul(
                        [
                            html.Li(
                                dcc.Link(
                                    t("region.norway", lang),
                                    href=href("oversikt", "0", scen, lang),
                                    className="chip",
                                )
                            )
                        ]
                        + [
                            html.Li(
                                dcc.Link(
                                    r.name,
                                    href=href("oversikt", r.code, scen, lang),
                                    className="chip",
                                )
                            )
                            for r in biggest
                        ],
                        className="chip-list",
                    ),
                ]
            ),
            html.Div(
                className="tiles",
                children=[
                    dcc.Link(
                        [html.H3(t(f"nav.{k}", lang)), html.P(t(f"home.tile.{k}", lang))],
                        href=href(k, "0", scen, lang),
                        className="tile",
                    )
                    for k in ("befolkning", "tjenester", "sammenlign", "kart", "data", "om")
                ],
            ),
        ],
        className="page page-home",
    )
