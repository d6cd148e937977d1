"""Browser-test harness: the dashboard runs ONCE per session in a subprocess on a free loopback
port, and Debian's Chromium is driven through Playwright's sync API.

In CI (``CI=true``) these tests must run: a missing Chromium or Playwright is an error there,
not a skip. Locally they are skipped only when /usr/bin/chromium is missing.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("KOMMUNEFRAM_CHROMIUM", "/usr/bin/chromium")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# The not-found page is *meant* to answer 404; Chromium logs that as a console error.
EXPECTED_404 = "status of 404"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.browser)
            # one xdist worker runs them all against one dashboard; the others take the rest
            item.add_marker(pytest.mark.xdist_group("browser"))
            if not Path(CHROMIUM).exists() and not IN_CI:
                item.add_marker(
                    pytest.mark.skip(reason=f"{CHROMIUM} not installed (set CI=true to require it)")
                )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(url: str, proc: subprocess.Popen[bytes], timeout: float = 90.0) -> None:
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"dashboard exited early with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.25)
    raise RuntimeError(f"dashboard did not answer on {url} within {timeout:.0f} s")


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    """Base URL of a dashboard started once for the whole session (or KOMMUNEFRAM_TEST_URL)."""
    external = os.environ.get("KOMMUNEFRAM_TEST_URL")
    if external:
        yield external.rstrip("/")
        return
    port = _free_port()
    # no background warm-up of all 14 scenarios: the journeys use a few, computed on first use
    env = {
        **os.environ,
        "KOMMUNEFRAM_PORT": str(port),
        "KOMMUNEFRAM_HOST": "127.0.0.1",
        "KOMMUNEFRAM_WARM": "0",
    }
    env.pop("KOMMUNEFRAM_DEBUG", None)
    (ROOT / "artifacts").mkdir(exist_ok=True)
    with open(ROOT / "artifacts" / "browser-app.log", "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "app.py")],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(url + "/om", proc)
        # Warm the main scenario so the first test does not pay for the fit.
        _wait_for(url + "/kommune/0301", proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


class ConsoleLog:
    """Console errors and uncaught page errors seen during one test."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.allowed: list[str] = []

    def unexpected(self) -> list[str]:
        return [e for e in self.errors if not any(a in e for a in self.allowed)]


@pytest.fixture
def console() -> ConsoleLog:
    return ConsoleLog()


@pytest.fixture
def page(browser: object, console: ConsoleLog, app_url: str) -> Iterator[object]:
    """A fresh page; fails the test if the browser console reports errors."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, accept_downloads=True, locale="nb-NO"
    )  # type: ignore[attr-defined]
    context.add_init_script(TRACK_CALLBACKS)
    pg = context.new_page()
    pg.set_default_timeout(20_000)
    pg.on("console", lambda m: console.errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: console.errors.append(f"pageerror: {e}"))
    yield pg
    context.close()
    assert console.unexpected() == [], f"browser console errors: {console.unexpected()}"


def shot(pg: object, name: str, full_page: bool = True) -> None:
    """Save a screenshot to artifacts/screenshots/ (not tracked by git); opt-in with
    KOMMUNEFRAM_SCREENSHOTS=1, so the suite does not pay for them."""
    if os.environ.get("KOMMUNEFRAM_SCREENSHOTS") != "1":
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)  # type: ignore[attr-defined]


# Counts the page's callback requests in flight (fetch to /_dash-update-component) and when the
# count last changed: "ready" is no callback in flight for 100 ms, not a fixed sleep and not the
# network being idle (the map's tiles and fonts have nothing to do with Dash being done).
TRACK_CALLBACKS = """
(() => {
    window.__dashPending = 0;
    window.__dashChanged = performance.now();
    const fetch0 = window.fetch;
    window.fetch = function(input, init) {
        const url = String((input && input.url) || input);
        if (url.indexOf('_dash-update-component') < 0) { return fetch0.apply(this, arguments); }
        window.__dashPending += 1;
        window.__dashChanged = performance.now();
        const done = () => { window.__dashPending -= 1; window.__dashChanged = performance.now(); };
        return fetch0.apply(this, arguments).then(r => { done(); return r; }, e => { done(); throw e; });
    };
})();
"""
CALLBACKS_SETTLED = (
    "() => !document.querySelector('[data-dash-is-loading=\"true\"]') && ("
    "window.__dashPending === undefined || (window.__dashPending === 0"
    " && performance.now() - window.__dashChanged > 100))"
)


def wait_ready(pg: object) -> None:
    """Wait until Dash has rendered the page content and no callback has been in flight for
    100 ms (a condition, not a sleep)."""
    # Longer than the default: the first page a session opens may wait for app.py's
    # background warm-up of every scenario (~25 s on 2 busy cores).
    pg.wait_for_selector("#page-title, #not-found", timeout=60_000)  # type: ignore[attr-defined]
    pg.wait_for_function(CALLBACKS_SETTLED, polling=50)  # type: ignore[attr-defined]


def open_picker(pg: object) -> None:
    """Click the kommune picker and wait, as a person does, until the list is open with the caret
    in its search field (assets/picker_focus.js moves it there); then typing goes to the search."""
    pg.click("#region-picker")  # type: ignore[attr-defined]
    pg.wait_for_function(  # type: ignore[attr-defined]
        "() => document.activeElement && document.activeElement.matches('input.dash-dropdown-search')"
    )
