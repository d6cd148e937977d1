"""Dashboard performance against a running app on loopback.

    python benchmarks/bench_app.py            # starts its own app (python app.py) on a free port
    python benchmarks/bench_app.py --url http://127.0.0.1:8050   # measure a running app

Measures and prints:
  * cold start: process start until the server answers a page (target <= 3 s)
  * kommune switch, server side: the Dash Pages routing callback plus the shell callback,
    POSTed to /_dash-update-component with payloads recorded from a real browser session
    (target p95 <= 100 ms)
  * time until the overview page is interactive in headless Chromium (target <= 1.5 s)
  * memory per worker: RSS of the server process after using every page with the main
    scenario (target <= 400 MB), and again after five scenarios (the projection package caches
    up to 6 full results of ~22 MB each, float32)
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TARGETS = {"cold_start_s": 3.0, "switch_p95_ms": 100.0, "interactive_s": 1.5, "rss_mb": 400.0}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_app(port: int) -> tuple[subprocess.Popen[bytes], float]:
    env = {**os.environ, "KOMMUNEFRAM_PORT": str(port)}
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "app.py")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/kommune/0301"
    while True:
        if proc.poll() is not None:
            raise RuntimeError("app exited during start-up")
        try:
            if requests.get(url, timeout=5).status_code == 200:
                return proc, time.perf_counter() - t0
        except requests.ConnectionError:
            time.sleep(0.02)


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    k = min(len(s) - 1, max(0, round(q / 100 * (len(s) - 1))))
    return s[k]


def record_payloads(base: str) -> list[dict[str, Any]]:
    """Open an overview page in Chromium and keep the bodies of the routing/shell callbacks."""
    from playwright.sync_api import sync_playwright

    bodies: list[dict[str, Any]] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page()

        def keep(req: Any) -> None:
            if req.method == "POST" and "_dash-update-component" in req.url:
                body = json.loads(req.post_data or "{}")
                out = str(body.get("output", ""))
                if "_pages_content" in out or "site-header" in out:
                    bodies.append(body)

        page.on("request", keep)
        page.goto(base + "/kommune/0301?scenario=MMMM&lang=nb")
        page.wait_for_selector("#card-total")
        page.wait_for_timeout(500)
        browser.close()
    return bodies


def with_kommune(body: dict[str, Any], code: str) -> dict[str, Any]:
    text = json.dumps(body).replace("/kommune/0301", f"/kommune/{code}")
    return json.loads(text)


def bench_switch(base: str, n: int = 60) -> dict[str, float]:
    from data_sources import catalogue

    bodies = record_payloads(base)
    if not bodies:
        raise RuntimeError("could not record the routing callback payloads")
    codes = random.Random(1).sample(catalogue().kommune_codes, n)
    session = requests.Session()
    times = []
    for code in codes:
        t0 = time.perf_counter()
        for body in bodies:
            r = session.post(
                base + "/_dash-update-component", json=with_kommune(body, code), timeout=30
            )
            r.raise_for_status()
        times.append((time.perf_counter() - t0) * 1000)
    # Second visit to the same kommuner: what a user sees going back and forth.
    warm = []
    for code in codes[:20]:
        t0 = time.perf_counter()
        for body in bodies:
            session.post(
                base + "/_dash-update-component", json=with_kommune(body, code), timeout=30
            )
        warm.append((time.perf_counter() - t0) * 1000)
    return {
        "switch_median_ms": statistics.median(times),
        "switch_p95_ms": pct(times, 95),
        "switch_max_ms": max(times),
        "switch_repeat_median_ms": statistics.median(warm),
        "callbacks_per_switch": float(len(bodies)),
    }


def bench_interactive(base: str, codes: list[str]) -> dict[str, float]:
    """Navigation start until the key figures are rendered and no Dash callback is pending."""
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = browser.new_context()
        page = context.new_page()
        page.goto(base + "/om")  # warm the browser cache for the JS bundles
        page.wait_for_selector("#page-title")
        for code in codes:
            page.goto(base + f"/kommune/{code}")
            page.wait_for_selector("#card-total")
            page.wait_for_function(
                "() => !document.querySelector('[data-dash-is-loading=\"true\"]')"
                " && document.querySelector('#overview-index .main-svg')"
            )
            times.append(page.evaluate("performance.now()") / 1000)
        # In-app switch (what a user does most): pick another kommune in the picker and wait
        # until its overview is drawn. No page reload, so this is the "feels instant" number.
        from data_sources import catalogue

        switches = []
        for code in ("4601", "5610", "3301", "1103", "1804"):
            t0 = time.perf_counter()
            page.click("#region-picker")
            page.fill("input.dash-dropdown-search", code)
            page.locator("[role=option]", has_text=f"({code})").first.click()
            page.wait_for_function(
                "(n) => document.querySelector('#page-title')?.innerText === n"
                " && !document.querySelector('[data-dash-is-loading=\"true\"]')"
                " && document.querySelector('#overview-index .main-svg')",
                arg=catalogue().get(code).name,
            )
            switches.append(time.perf_counter() - t0)
        browser.close()
    return {
        "interactive_median_s": statistics.median(times),
        "interactive_max_s": max(times),
        "browser_switch_median_s": statistics.median(switches),
        "browser_switch_max_s": max(switches),
    }


def rss_mb(pid: int) -> float:
    import psutil

    return psutil.Process(pid).memory_info().rss / 1e6


def exercise(base: str) -> None:
    """Touch every page, several scenarios and regions so caches are as full as in use."""
    paths = ["/", "/kart", "/om", "/sammenlign?k=0301,1804,4601,5001,1103,3301"]
    for code in ("0", "03", "0301", "1804", "5610", "4601"):
        for section in ("", "/befolkning", "/tjenester", "/data"):
            paths.append(f"/kommune/{code}{section}")
    for path in paths:
        requests.get(base + path, timeout=60)
    # The page content itself comes from callbacks: replay the router for scenarios too.
    replay(
        base,
        ["/kommune/1804", "/kommune/1804/befolkning", "/kommune/1804/tjenester", "/kart"],
        ["MMMM", "LLML", "HHMH", "MMM0", "LHML"],
    )


def replay(base: str, paths: list[str], scenarios: list[str]) -> None:
    """POST the recorded routing callbacks for other pages and scenarios."""
    bodies = record_payloads(base)
    for scenario in scenarios:
        for path in paths:
            for body in bodies:
                b = json.loads(
                    json.dumps(body)
                    .replace("/kommune/0301", path)
                    .replace("scenario=MMMM", f"scenario={scenario}")
                )
                requests.post(base + "/_dash-update-component", json=b, timeout=60)


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--url", help="measure an already running app (cold start and RSS are skipped)")
    ap.add_argument("--n", type=int, default=60, help="kommune switches to time")
    args = ap.parse_args()

    results: dict[str, float] = {}
    proc = None
    if args.url:
        base = args.url.rstrip("/")
    else:
        port = free_port()
        proc, cold = start_app(port)
        results["cold_start_s"] = cold
        base = f"http://127.0.0.1:{port}"
        # Let the background warm-up finish (it fits the main scenario once).
        requests.get(base + "/kommune/0", timeout=60)
        time.sleep(3)
    try:
        results.update(bench_switch(base, args.n))
        results.update(
            bench_interactive(base, ["1804", "5001", "4601", "3301", "5610", "1103", "0301"])
        )
        results["interactive_s"] = results["interactive_median_s"]
        if proc is not None:
            # Typical use: one scenario (plus the low/high band on the population page).
            for path in ("/kommune/1804/befolkning", "/kommune/1804/tjenester", "/kart"):
                requests.get(base + path, timeout=60)
            replay(base, ["/kommune/1804/befolkning", "/kommune/1804/tjenester", "/kart"], ["MMMM"])
            results["rss_mb"] = rss_mb(proc.pid)
            exercise(base)
            results["rss_5_scenarios_mb"] = rss_mb(proc.pid)
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=10)

    print("Kommunefram dashboard benchmark (loopback, this machine)")
    for key, value in results.items():
        target = TARGETS.get(key)
        flag = ""
        if target is not None:
            flag = f"   target <= {target:g}  {'OK' if value <= target else 'OVER'}"
        print(f"  {key:26s} {value:10.3f}{flag}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
