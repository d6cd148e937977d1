"""Notices about the state carried in the URL: changed assumptions, redirected kommune numbers."""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from dashboard import views
from dashboard.state import assumption_codec, old_codes, routes
from dashboard.text.i18n import t
from dashboard.ui import components


def assumptions_notice(assumptions: Any, lang: str) -> Any:
    """ "Endrede forutsetninger: ..." naming every changed assumption (a URL's refused values
    are named once, by the shell's notice)."""
    items: list[Any] = []
    changed = assumption_codec.changes(assumptions, lang)
    if changed:
        items.append(
            html.Div(
                [
                    html.Strong(t("ux.asm.changed_title", lang)),
                    " ",
                    "; ".join(changed) + ".",
                ],
                className="notice notice-info",
                role="status",
                id="asm-changed",
            )
        )
    return html.Div(items, id="asm-notice") if items else html.Div(id="asm-notice")


def old_code_notice(old: str, code: str, lang: str) -> list[Any]:
    """ "0219 heter nå 3201 Bærum" after a redirect from an old kommune number (only when the
    old number really leads here, so a crafted link cannot put words on the page)."""
    oc = old_codes.old_code(old)
    if oc is None or code not in oc.targets:
        return []
    name = f"{code} {views.region_name(code, lang)}"
    key = "ux.old.merged" if oc.merged else "ux.old.renumbered"
    text = t(key, lang, old=oc.old, new=name, last=oc.since - 1, since=oc.since)
    return [html.Div(text, className="notice notice-info", role="status", id="old-code-notice")]


def not_found_special(code: Any, scenario: str, lang: str) -> Any:
    """The "fant ikke" page for a known kommune with an unknown sub-page (``/kommune/1804/foo``)
    or an old kommune number (split, or reached inside the app); None for anything else."""
    text = old_codes.decoded(str(code or ""))
    head, _, sub = text.partition("/")
    region = views.region_or_none(head)
    links: list[Any] = []
    oc = None
    if region is not None and sub:
        name = views.region_name(region.code, lang)
        lead = t("ux.nf.subpage", lang, name=name, sub=sub[:40])
        links = [
            dcc.Link(t(f"nav.{s}", lang), href=routes.href(s, region.code, scenario, lang))
            for s in routes.KOMMUNE_SECTIONS
        ]
    else:
        oc = old_codes.old_code(head)
        same_name = old_codes.same_name(head)
        if oc is None and len(same_name) > 1:  # "Herøy": two kommuner
            lead = t("ux.nf.ambiguous", lang, name=head[:40])
            links = [
                dcc.Link(
                    f"{c} {views.region_name(c, lang)}",
                    href=routes.href("oversikt", c, scenario, lang),
                )
                for c in same_name
            ]
        elif oc is None:
            return None
    if oc is not None:
        names = [f"{c} {views.region_name(c, lang)}" for c in oc.targets]
        if oc.split:
            joined = f" {t('ux.and', lang)} ".join(names)
            lead = t("ux.old.split", lang, old=oc.old, new=joined, last=oc.since - 1)
        else:
            key = "ux.old.merged" if oc.merged else "ux.old.renumbered"
            lead = t(key, lang, old=oc.old, new=names[0], last=oc.since - 1, since=oc.since)
        links = [
            dcc.Link(n, href=routes.href("oversikt", c, scenario, lang))
            for c, n in zip(oc.targets, names, strict=True)
        ]
    return html.Div(
        className="not-found",
        id="not-found",
        children=[
            components.page_heading(t("notfound.title", lang), kicker="404", lead=lead),
            html.Ul([html.Li(x) for x in links], className="suggestion-list"),
            html.P(
                dcc.Link(t("notfound.home", lang), href=routes.href("home", None, scenario, lang))
            ),
        ],
    )


def short(value: Any, limit: int = 24) -> str:
    """A value from the URL as it may be echoed on the page: never more than ``limit`` chars."""
    text = str(value or "")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def compare_notice(k: Any, shown: list[str], max_regions: int, lang: str) -> Any:
    """Say what happened to a ``?k=`` list: unknown codes dropped, only the first N shown."""

    raw = [x.strip() for x in str(k or "")[:2000].split(",") if x.strip()]
    if not raw:
        return None
    unknown = list(dict.fromkeys(c for c in raw if views.region_or_none(c) is None))
    valid = list(dict.fromkeys(c for c in raw if views.region_or_none(c) is not None))
    parts = []
    if unknown:
        listed = ", ".join(f"«{short(c, 12)}»" for c in unknown[:5])
        more = len(unknown) - 5
        if more > 0:
            listed += " " + t("ux.cmp.more", lang, n=more)
        parts.append(t("ux.cmp.unknown", lang, codes=listed, n=len(unknown)))
    if len(valid) > max_regions:
        parts.append(t("ux.cmp.too_many", lang, n=len(valid), max=max_regions))
    if not valid:
        parts.append(t("ux.cmp.default", lang))
    if not parts:
        return None
    return html.Div(
        " ".join(parts), className="notice notice-warning", role="status", id="cmp-notice"
    )
