"""Tilgjengelighetserklæring (accessibility statement) after Uutilsynet's model: what meets
WCAG 2.1 A/AA, what does not yet, and where to report a problem. Public bodies that link to or
embed the tool must be able to point to it; every page's footer links here."""

from __future__ import annotations

import os
from typing import Any

import dash
from dash import html

from dashboard import ui
from dashboard.text import normalise_lang, t

dash.register_page(
    __name__,
    path="/tilgjengelighet",
    name="Tilgjengelighetserklæring",
    title="Tilgjengelighetserklæring – Kommunefram",
    order=8,
)

UUTILSYNET = "https://www.uutilsynet.no/"
MET = 5
NOT_MET = 4


def feedback_url() -> str | None:
    """The operator's contact (a mailto: or a form), set per installation: never guessed."""
    url = os.environ.get("KOMMUNEFRAM_FEEDBACK_URL", "").strip()
    return url if url.startswith(("https://", "http://", "mailto:")) else None


def _list(prefix: str, n: int, lang: str, list_id: str) -> html.Ul:
    return html.Ul([html.Li(t(f"{prefix}.{i}", lang)) for i in range(1, n + 1)], id=list_id)


def _feedback(lang: str) -> html.Section:
    url = feedback_url()
    contact = (
        html.P(
            [t("a11ystmt.feedback", lang), " ", html.A(t("a11ystmt.feedback_link", lang), href=url)]
        )
        if url
        else html.P([t("a11ystmt.feedback", lang), " ", t("a11ystmt.feedback_missing", lang)])
    )
    return ui.card_section(
        t("a11ystmt.feedback_title", lang),
        contact,
        html.P(
            [
                t("a11ystmt.uu", lang),
                " ",
                html.A(t("a11ystmt.uu_link", lang), href=UUTILSYNET, rel="noopener"),
            ]
        ),
        section_id="a11y-feedback",
    )


def layout(lang: str | None = None, **_: Any) -> Any:
    lang, _ok = normalise_lang(lang)
    return html.Div(
        [
            ui.page_heading(t("a11ystmt.heading", lang), lead=t("a11ystmt.lead", lang)),
            html.Div(
                className="prose",
                children=[
                    ui.card_section(
                        t("a11ystmt.status_title", lang), html.P(t("a11ystmt.status", lang))
                    ),
                    ui.card_section(
                        t("a11ystmt.met_title", lang),
                        _list("a11ystmt.met", MET, lang, "a11y-met"),
                    ),
                    ui.card_section(
                        t("a11ystmt.notmet_title", lang),
                        _list("a11ystmt.notmet", NOT_MET, lang, "a11y-not-met"),
                    ),
                    _feedback(lang),
                ],
            ),
        ],
        className="page page-tilgjengelighet",
    )
