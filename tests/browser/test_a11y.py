"""WCAG 2.1 A/AA in the browser: axe-core on every page in nb, nn and en.

A person arrives on a page by its deep link, waits until the charts are drawn, and axe-core
(through axe-playwright-python) checks the rendered page with the WCAG 2.0/2.1 A and AA rules.
Any serious or critical violation fails the test with the rule, its help text and where.
The statement page (tilgjengelighetserklæring) must be reachable from every page's footer.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import wait_ready

PAGES = {
    "home": "/",
    "oversikt": "/kommune/1804",
    "befolkning": "/kommune/1804/befolkning",
    "tjenester": "/kommune/1804/tjenester",
    "data": "/kommune/1804/data",
    "sammenlign": "/sammenlign",
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


@pytest.fixture(scope="module")
def axe() -> Any:
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def open_page(page: Any, app_url: str, path: str, lang: str) -> None:
    page.goto(f"{app_url}{path}?lang={lang}")
    wait_ready(page)
    page.wait_for_function(CHARTS_DRAWN)


def blocking(results: Any) -> list[str]:
    out = []
    for v in results.response["violations"]:
        if v.get("impact") in BLOCKING:
            where = [" ".join(map(str, n.get("target", []))) for n in v.get("nodes", [])[:4]]
            out.append(f"{v['id']} ({v['impact']}): {v['help']} at {where}")
    return out


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_no_serious_violation(
    page: Any, app_url: str, axe: Any, name: str, lang: str
) -> None:
    open_page(page, app_url, PAGES[name], lang)
    assert page.evaluate("document.documentElement.lang") == lang
    results = axe.run(page, options=WCAG_AA)
    assert blocking(results) == [], f"{name} ({lang})"


@pytest.mark.parametrize("lang", LANGS)
def test_statement_linked_from_every_page_footer(page: Any, app_url: str, lang: str) -> None:
    """From any page, the footer link leads to the statement in the same language."""
    for name, path in PAGES.items():
        open_page(page, app_url, path, lang)
        link = page.locator("#site-footer a[href^='/tilgjengelighet']")
        assert link.count() == 1, name
    link.click()
    page.wait_for_url(f"**/tilgjengelighet?*lang={lang}*")
    page.wait_for_selector("#page-title")
    assert page.evaluate("document.documentElement.lang") == lang
    # the statement names what is not met and how to give feedback (a mailto or a form link)
    assert page.locator("#a11y-not-met li").count() >= 1
    assert page.locator("#a11y-feedback a[href]").count() >= 1
