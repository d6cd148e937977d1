"""Page context: resolve the URL's region, scenario and language once, the same way everywhere.

Bad values never raise: an unknown language or scenario falls back to the default (the shell
shows a notice), and an unknown region gives the friendly "fant ikke" page with suggestions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dash import dcc, html

from dashboard import views
from dashboard.state import ViewState, decode, query, routes
from dashboard.state.old_codes import decoded
from dashboard.text.i18n import t
from dashboard.ui import components, ux_notices


@dataclass(frozen=True)
class PageContext:
    code: str
    scenario: str
    lang: str
    region: Any
    state: ViewState

    @property
    def name(self) -> str:
        return views.region_name(self.code, self.lang)

    @property
    def name_in_sentence(self) -> str:
        """The name mid-sentence: "Befolkningen i hele landet", not "i Hele landet"."""
        if self.region.level == "norge" and self.lang != "en":
            return self.name[:1].lower() + self.name[1:]
        return self.name

    @property
    def kicker(self) -> str:
        r = self.region
        if r.level == "kommune":
            return t("region.kommune_in", self.lang, code=r.code, fylke=r.fylke_name)
        if r.level == "fylke":
            return t("region.fylke_kicker", self.lang, code=r.code)
        return t("region.country", self.lang)

    def href(self, section: str, code: str | None = None) -> str:
        """Another section for this (or another) region, keeping the whole view state."""
        return routes.kommune_path(code or self.code, section) + query(self.state)


def resolve(
    code: Any, scenario: Any, lang: Any, params: dict[str, Any] | None = None
) -> tuple[PageContext | None, str, str]:
    """(context or None when the region is unknown, scenario, language); the view state is
    decoded from the page's query parameters by the one codec (``dashboard.state``)."""
    region = views.region_or_none(code) if code is not None and "/" not in str(code) else None
    query = {**(params or {}), "scenario": scenario, "lang": lang}
    state = decode(region.code if region is not None else None, query).state
    if region is None:
        return None, state.scenario, state.lang
    return PageContext(region.code, state.scenario, state.lang, region, state), *_sl(state)


def _sl(state: ViewState) -> tuple[str, str]:
    return state.scenario, state.lang


def not_found(code: Any, scenario: str, lang: str, section: str = "oversikt") -> html.Div:
    """Friendly 'fant ikke' page; the HTTP status 404 is set by app.py's request hook."""
    special = ux_notices.not_found_special(code, scenario, lang)
    if special is not None:  # a missing sub-page, an old or split kommune number
        return special
    text = old_codes_decoded(str(code or "").split("/")[0])[:24]  # never echo long input
    suggestions = views.suggest_regions(text)
    return html.Div(
        className="not-found",
        id="not-found",
        children=[
            components.page_heading(
                t("notfound.title", lang),
                kicker="404",
                lead=t("notfound.lead", lang, code=text) if text else t("notfound.lead_path", lang),
            ),
            html.H2(t("notfound.suggest", lang), className="section-title"),
            components.region_suggestions(
                suggestions,
                section if section in routes.KOMMUNE_SECTIONS else "oversikt",
                scenario,
                lang,
            ),
            html.P(
                dcc.Link(t("notfound.home", lang), href=routes.href("home", None, scenario, lang))
            ),
        ],
    )


def old_codes_decoded(text: str) -> str:
    return decoded(text)


def kommune_page(
    code: Any,
    scenario: Any,
    lang: Any,
    section: str,
    heading: Callable[[PageContext], str],
    lead: Callable[[PageContext], str],
    body: Callable[[PageContext], Any],
    vintage: bool = True,
    params: dict[str, Any] | None = None,
) -> html.Div:
    """The frame every per-region page shares: resolve the URL, 404 page, heading, safe body."""
    ctx, scen, lng = resolve(code, scenario, lang, params)
    if ctx is None:
        return not_found(code, scen, lng, section)
    return html.Div(
        [
            components.page_heading(
                heading(ctx),
                kicker=ctx.kicker,
                lead=lead(ctx),
                extra=components.vintage_line(ctx.lang) if vintage else None,
            ),
            components.safe_render(lambda: body(ctx), ctx.lang),
        ],
        className=f"page page-{section}",
    )
