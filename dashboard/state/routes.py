"""Routes and deep links.

Every view is addressed by its URL (path + ``scenario`` and ``lang`` query parameters), so a
link can be shared and the back button works. These helpers build and parse such URLs in one
place so pages never hand-assemble query strings.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qs, urlencode

from dashboard.text.i18n import DEFAULT_LANG

# section key -> path suffix under /kommune/<code>
KOMMUNE_SECTIONS: dict[str, str] = {
    "oversikt": "",
    "befolkning": "/befolkning",
    "tjenester": "/tjenester",
    "data": "/data",
}
GLOBAL_PAGES: dict[str, str] = {
    "sammenlign": "/sammenlign",
    "kart": "/kart",
    "om": "/om",
    "tilgjengelighet": "/tilgjengelighet",
}
NAV_ORDER: tuple[str, ...] = (
    "oversikt",
    "befolkning",
    "tjenester",
    "sammenlign",
    "kart",
    "data",
    "om",
)
KOMMUNE_PATH = re.compile(r"^/kommune/(?P<code>[^/]+)(?P<rest>/[^/]*)?/?$")


def parse_search(search: str | None) -> dict[str, str]:
    if not search:
        return {}
    qs = parse_qs(search.lstrip("?"), keep_blank_values=True)
    return {k: v[-1] for k, v in qs.items()}


def query(scenario: str | None, lang: str | None, extra: dict[str, str] | None = None) -> str:
    """Query string with scenario and language (defaults included: links are explicit)."""
    items = tuple((k, v) for k, v in extra.items() if v not in (None, "")) if extra else ()
    try:
        return _query(scenario, lang, items)
    except TypeError:  # a value that cannot be a cache key: encode it uncached
        return _query.__wrapped__(scenario, lang, items)


@lru_cache(maxsize=4096)  # ~0.2 kB each: every navigation builds ~15 links
def _query(scenario: str | None, lang: str | None, items: tuple[tuple[str, Any], ...]) -> str:
    params: dict[str, Any] = {}
    if scenario:
        params["scenario"] = scenario
    params["lang"] = lang or DEFAULT_LANG
    params.update(items)
    return "?" + urlencode(params, safe=",")


def kommune_path(code: str, section: str = "oversikt") -> str:
    return f"/kommune/{code}{KOMMUNE_SECTIONS.get(section, '')}"


def section_of(pathname: str | None) -> tuple[str, str | None]:
    """(section key, region code or None) for a pathname."""
    path = (pathname or "/").rstrip("/") or "/"
    m = KOMMUNE_PATH.match(path)
    if m:
        rest = m.group("rest") or ""
        for key, suffix in KOMMUNE_SECTIONS.items():
            if rest == suffix:
                return key, m.group("code")
        return "unknown", m.group("code")
    for key, p in GLOBAL_PAGES.items():
        if path == p:
            return key, None
    if path == "/":
        return "home", None
    return "unknown", None


def href(
    section: str,
    code: str | None,
    scenario: str | None,
    lang: str | None,
    extra: dict[str, str] | None = None,
) -> str:
    """Link to a section for a region, keeping scenario and language."""
    if section in GLOBAL_PAGES:
        path = GLOBAL_PAGES[section]
    elif section == "home":
        path = "/"
    else:
        path = kommune_path(code or "0", section)
    return path + query(scenario, lang, extra)


REPORT_ROUTE = "/kommune/<code>/rapport.pdf"  # the one-page report (dashboard.report)
