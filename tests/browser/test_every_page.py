"""Every page, once per language, read as a person reads it: the page renders its title and
sources, says its language, passes axe-core (WCAG 2.1 A and AA: no serious or critical
violation), runs under the production Content-Security-Policy with no console error, shows
no English words in bokmål or nynorsk, and links the accessibility statement from its footer.
One visit per page checks all of these (they were four passes over the pages)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from .conftest import wait_ready

PAGES = {
    "home": "/",
    "oversikt": "/kommune/1804",
    "norge": "/kommune/0",
    "befolkning": "/kommune/1804/befolkning?scenario=LLML",
    "tjenester": "/kommune/03/tjenester",
    "data": "/kommune/1804/data",
    "sammenlign": "/sammenlign?k=1804,0301",
    "kart": "/kart",
    "om": "/om",
    "tilgjengelighet": "/tilgjengelighet",
}
LANGS = ("nb", "nn", "en")
WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
BLOCKING = {"serious", "critical"}
CHARTS_DRAWN = (
    "() => Array.from(document.querySelectorAll('#main .js-plotly-plot'))"
    ".every(g => g.querySelector('.main-svg') || g.querySelector('.maplibregl-canvas'))"
)
WATCH_CSP = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
    e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""
ENGLISH = re.compile(
    r"\b(the|and|of|with|download|share|chart|reset|zoom in|zoom out|select|search|loading|"
    r"population|municipality|per cent|credit|compatible|model|linear|geometric|constant|"
    r"error|not found|show table|none|nan|undefined|null)\b",
    re.IGNORECASE,
)
VISIBLE_TEXT = (
    "() => document.body.innerText + '\\n' + Array.from(document.querySelectorAll("
    "'[title], [data-title], [aria-label], [placeholder]')).map(e => [e.title,"
    " e.getAttribute('data-title'), e.getAttribute('aria-label'), e.placeholder]"
    ".filter(Boolean).join(' ')).join('\\n')"
)
SOURCE = {"nb": "Statistisk sentralbyrå", "nn": "Statistisk sentralbyrå", "en": "Statistics Norway"}


@pytest.fixture(scope="module")
def axe() -> Any:
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def _blocking(results: Any) -> list[str]:
    out = []
    for v in results.response["violations"]:
        if v.get("impact") in BLOCKING:
            where = [" ".join(map(str, n.get("target", []))) for n in v.get("nodes", [])[:4]]
            out.append(f"{v['id']} ({v['impact']}): {v['help']} at {where}")
    return out


def _english(text: str) -> list[str]:
    # English is fine as the name of the language in the switch, and in proper names
    for fine in ("English", "Human Mortality Database", "Human Fertility Database"):
        text = text.replace(fine, "")
    hits = sorted({m.group(0) for m in ENGLISH.finditer(text)})
    return hits + re.findall(r"\b20\d\d-\d\d-\d\d\b", text)  # dates the Norwegian way


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_in_one_language(page: Any, app_url: str, axe: Any, lang: str) -> None:
    page.add_init_script(WATCH_CSP)
    problems: dict[str, Any] = {}
    for name, path in PAGES.items():
        sep = "&" if "?" in path else "?"
        page.goto(f"{app_url}{path}{sep}lang={lang}")
        wait_ready(page)
        page.wait_for_function(CHARTS_DRAWN)
        found: list[str] = []
        if not page.locator("#page-title").inner_text().strip():
            found.append("no title")
        if SOURCE[lang] not in page.locator("#site-footer").inner_text():
            found.append("no source credit in the footer")
        if page.evaluate("document.documentElement.lang") != lang:
            found.append("wrong <html lang>")
        if page.locator("#site-footer a[href^='/tilgjengelighet']").count() != 1:
            found.append("no link to the accessibility statement")
        found += [f"CSP: {v}" for v in page.evaluate("window.__csp")]
        if lang != "en":
            found += [f"English: {w}" for w in _english(page.evaluate(VISIBLE_TEXT))]
        found += _blocking(axe.run(page, options=WCAG_AA))
        if found:
            problems[name] = found
    assert problems == {}, problems
    # the statement, reached from the last footer: what is not met and how to give feedback
    page.locator("#site-footer a[href^='/tilgjengelighet']").click()
    page.wait_for_url(f"**/tilgjengelighet?*lang={lang}*")
    page.wait_for_selector("#a11y-not-met li")
    assert page.locator("#a11y-feedback a[href]").count() >= 1
