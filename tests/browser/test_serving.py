"""Every page under the production Content-Security-Policy in headless Chromium.

The ``page`` fixture fails a test on any console error; a listener for
``securitypolicyviolation`` events also catches violations Chromium reports only there.
"""

from __future__ import annotations

from .conftest import wait_ready

PAGES = [
    ("/", 0),
    ("/kommune/0301", 1),
    ("/kommune/1804/befolkning?scenario=LLML", 3),
    ("/kommune/03/tjenester?lang=nn", 3),
    ("/kommune/0/data?lang=en", 0),
    ("/sammenlign?k=0301,1804,4601", 3),
    ("/kart", 1),
    ("/om", 0),
    ("/kommune/9999", 0),
]
WATCH_CSP = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
    e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""


def test_interactions_under_the_csp(page, app_url):
    page.add_init_script(WATCH_CSP)
    page.goto(app_url + "/kommune/1804/befolkning")
    wait_ready(page)
    page.click("#scenario-select")
    page.locator("[role=option]", has_text="(HHMH)").first.click()
    page.wait_for_function("() => location.search.includes('scenario=HHMH')")
    wait_ready(page)
    page.locator("#pyramid-year [role=slider]").first.focus()
    page.keyboard.press("ArrowRight")
    wait_ready(page)
    with page.expect_download() as info:
        page.locator("a.chart-download").first.click()
    assert info.value.suggested_filename.endswith(".csv")
    assert page.evaluate("window.__csp") == []


def test_assets_come_compressed_and_cached(page, app_url):
    seen: dict[str, dict[str, str]] = {}
    page.on(
        "response",
        lambda r: (
            seen.__setitem__(r.url, r.headers)
            if "_dash-component-suites" in r.url or "/assets/plotly-" in r.url
            else None
        ),
    )
    page.goto(app_url + "/kommune/0301")
    wait_ready(page)
    page.wait_for_function(
        "() => document.querySelectorAll('.js-plotly-plot .main-svg').length > 3"
    )
    assert seen
    # the partial plotly.js (frontend/), not Dash's full bundle
    plotly = [u for u in seen if "/assets/plotly-partial." in u]
    assert plotly and not [u for u in seen if "plotly.min" in u], list(seen)
    for url, headers in seen.items():
        assert headers.get("content-encoding") == "gzip", url
        name = url.split("?")[0].rsplit("/", 1)[-1]
        if ".v" in name or "/assets/plotly-" in url:  # fingerprinted: never fetched again
            assert "immutable" in headers["cache-control"], url
        else:  # Dash's async chunks have no fingerprint: revalidated by ETag (304)
            assert headers["cache-control"] == "no-cache", url
            assert headers["etag"].endswith('-gz"'), url
