"""A new user's first visit (issue 21): one small plotly.js, no markdown chunk, the page content
asked for once, loading states in the page's language, a phone layout that shows every menu
item, scrolling tables and a full-width map, and a keyboard path with named toolbar buttons."""

from __future__ import annotations

import re
from typing import Any

from tests.browser.conftest import wait_ready

CHART = "() => !!document.querySelector('#main .js-plotly-plot .scatterlayer .trace')"
# Records, in the page, the first chart seen waiting for plotly.js and its ::before style.
WATCH_PENDING = """
new MutationObserver(() => {
  const el = document.querySelector('#main .js-plotly-plot.dash-graph--pending');
  if (el && !window.__pending) {
    const st = getComputedStyle(el, '::before');
    window.__pending = {content: st.content, animation: st.animationName};
  }
}).observe(document, {subtree: true, childList: true, attributes: true,
                      attributeFilter: ['class']});
"""
# Records, in the page, the empty page-content skeleton as soon as it is seen: checking it with a
# second round trip from the test can lose the race with the content arriving.
WATCH_SKELETON = """
new MutationObserver(() => {
  const el = document.querySelector('#_pages_content[data-dash-is-loading="true"]:empty');
  if (el && !window.__skeleton) {
    window.__skeleton = {content: getComputedStyle(el, '::before').content};
  }
}).observe(document, {subtree: true, childList: true, attributes: true,
                      attributeFilter: ['data-dash-is-loading']});
"""


def test_cold_visit_loads_one_small_plotly_once_and_no_markdown(page: Any, app_url: str) -> None:
    urls: list[str] = []
    pages_content: list[str] = []

    def on_request(req: Any) -> None:
        urls.append(req.url)
        if "_dash-update-component" in req.url and "_pages_content" in (req.post_data or ""):
            pages_content.append(req.post_data)

    page.on("request", on_request)
    page.goto(f"{app_url}/kommune/1804?lang=nb")
    page.wait_for_function(CHART)
    wait_ready(page)
    assert not [u for u in urls if "plotly.min.js" in u], "Dash's full plotly.js was loaded"
    bundles = [u for u in urls if re.search(r"/assets/plotly-partial\.[0-9a-f]+\.js\?m=", u)]
    assert len(bundles) == 1, bundles
    assert not [u for u in urls if "async-markdown" in u or "async-highlight" in u]
    assert len(pages_content) == 1, "the page content was requested more than once"
    resp = page.request.get(bundles[0], headers={"Accept-Encoding": "gzip"})
    assert "immutable" in resp.headers["cache-control"]
    assert "max-age=31536000" in resp.headers["cache-control"]
    # on to the map: the map's trace type arrives as a chunk, and the map is drawn
    page.click("#nav-kart")
    page.wait_for_selector("#map-chart .maplibregl-canvas")
    chunks = [u for u in urls if re.search(r"/assets/plotly-map\.[0-9a-f]+\.lazy\.js\?v=", u)]
    assert len(chunks) == 1, chunks
    assert not [u for u in urls if "plotly.min.js" in u]


def test_loading_states_say_so_in_the_page_language(browser: Any, app_url: str) -> None:
    """On a slow line the page says it is loading (in nynorsk here) and a chart waiting to be
    drawn says so too; with reduced motion that placeholder does not move."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, reduced_motion="reduce")
    pg = context.new_page()
    pg.add_init_script(WATCH_PENDING)
    pg.add_init_script(WATCH_SKELETON)
    cdp = context.new_cdp_session(pg)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": 300,
            "downloadThroughput": 500_000,
            "uploadThroughput": 125_000,
        },
    )
    try:
        pg.goto(f"{app_url}/kommune/1804/befolkning?lang=nn", wait_until="commit")
        pg.wait_for_function(CHART, timeout=60_000)
        skeleton = pg.evaluate("window.__skeleton")
        assert skeleton is not None, "the empty page was never seen loading"
        assert "Lastar inn sida" in skeleton["content"]
        pending = pg.evaluate("window.__pending")
        assert pending is not None, "no chart was seen waiting to be drawn"
        assert "Teiknar figuren" in pending["content"]
        assert pending["animation"] == "none"
    finally:
        context.close()


def test_phone_shows_every_page_scrolling_tables_and_a_full_width_map(
    browser: Any, app_url: str
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    pg = context.new_page()
    try:
        pg.goto(f"{app_url}/kommune/1804/befolkning?lang=nb")
        wait_ready(pg)
        links = pg.locator("#site-nav .nav-link")
        assert links.count() == 7
        for i in range(links.count()):
            box = links.nth(i).bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, i
        brand = pg.locator(".brand").bounding_box()
        lang = pg.locator(".lang-switch").bounding_box()
        assert brand["x"] >= 12 and lang["x"] >= 6
        # a table: opened, it scrolls inside its box (not the page), by keyboard too
        details = pg.locator("details.table-details").first
        details.locator("summary").click()
        scroller = details.locator(".table-scroll")
        scroller.wait_for()
        assert pg.evaluate("document.documentElement.scrollWidth") <= 390
        assert scroller.evaluate("el => el.scrollWidth > el.clientWidth")
        assert scroller.get_attribute("tabindex") == "0"
        assert scroller.get_attribute("aria-label")
        scroller.focus()
        pg.keyboard.press("ArrowRight")
        pg.wait_for_function("el => el.scrollLeft > 0", arg=scroller.element_handle())
        # the map: as wide as the screen
        pg.click("#nav-kart")
        pg.wait_for_selector("#map-chart .maplibregl-canvas")
        pg.wait_for_function(
            "() => { const gd = document.querySelector('#map-chart .js-plotly-plot');"
            " return gd && gd._kfFitted; }"
        )
        canvas = pg.locator("#map-chart .maplibregl-canvas").bounding_box()
        assert canvas["width"] >= 385, canvas
    finally:
        context.close()


def test_keyboard_reaches_named_toolbar_buttons_and_no_hidden_control(
    page: Any, app_url: str
) -> None:
    page.goto(f"{app_url}/kommune/1804?lang=en")
    page.wait_for_function(CHART)
    wait_ready(page)
    seen = []
    for _ in range(80):
        page.keyboard.press("Tab")
        info = page.evaluate(
            "() => { const a = document.activeElement; return a ? {"
            " hidden: !!a.closest('[aria-hidden=\"true\"]'),"
            " cls: String(a.className && a.className.baseVal !== undefined"
            "   ? a.className.baseVal : a.className), label: a.getAttribute('aria-label') } : null; }"
        )
        assert info and not info["hidden"], info
        seen.append(info)
        if "modebar-btn" in info["cls"]:
            break
    toolbar = [s for s in seen if "modebar-btn" in s["cls"]]
    assert toolbar, "Tab never reached a chart toolbar button"
    assert toolbar[0]["label"] == "Download plot as a PNG"
