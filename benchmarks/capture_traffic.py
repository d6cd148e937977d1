"""Record real callback traffic from a browser session, for bench_load.py and the tests.

    python benchmarks/capture_traffic.py          # starts the app, writes the fixture

Drives headless Chromium through what a user does (open a kommune, switch kommune in the
picker, switch scenario, change the pyramid year and the population group, edit a service
assumption, change the map year, open the comparison and the data page, download a chart's
CSV) and stores every POST to /_dash-update-component with the page it came from, in
benchmarks/fixtures/callback_traffic.json (a few hundred kB). The payload shapes are what
Dash's renderer really sends; bench_load.py swaps kommune numbers and scenarios into them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from benchmarks.bench_app import CHROMIUM_ARGS, free_port, start_app  # noqa: E402

FIXTURE = ROOT / "benchmarks" / "fixtures" / "callback_traffic.json"


def capture(base: str) -> list[dict[str, Any]]:
    from playwright.sync_api import sync_playwright

    records: list[dict[str, Any]] = []
    step = {"name": "start"}

    def keep(req: Any) -> None:
        if req.method == "POST" and "_dash-update-component" in req.url:
            body = json.loads(req.post_data or "{}")
            records.append({"step": step["name"], "body": body})

    def idle(page: Any) -> None:
        page.wait_for_function("() => !document.querySelector('[data-dash-is-loading=\"true\"]')")
        page.wait_for_timeout(400)

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = browser.new_context(
            viewport={"width": 1280, "height": 900}, accept_downloads=True
        )
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.on("request", keep)

        step["name"] = "load_oversikt"
        page.goto(base + "/kommune/0301?scenario=MMMM&lang=nb")
        page.wait_for_selector("#card-total")
        idle(page)

        step["name"] = "switch_kommune"
        page.click("#region-picker")
        page.fill("input.dash-dropdown-search", "1804")
        page.locator("[role=option]", has_text="(1804)").first.click()
        page.wait_for_function("() => location.pathname === '/kommune/1804'")
        idle(page)

        step["name"] = "switch_scenario"
        page.click("#scenario-select")
        page.locator("[role=option]", has_text="(LLML)").first.click()
        page.wait_for_function("() => location.search.includes('scenario=LLML')")
        idle(page)

        step["name"] = "load_befolkning"
        page.goto(base + "/kommune/1804/befolkning?scenario=MMMM&lang=nb")
        page.wait_for_selector("#pyramid-block")
        idle(page)
        step["name"] = "pyramid_year"
        page.locator("#pyramid-year .rc-slider-handle, #pyramid-year [role=slider]").first.focus()
        page.keyboard.press("ArrowRight")
        idle(page)
        step["name"] = "population_group"
        page.click("#pop-group")
        page.locator("[role=option]", has_text="80").first.click()
        idle(page)

        step["name"] = "load_tjenester"
        page.goto(base + "/kommune/1804/tjenester?scenario=MMMM&lang=nb")
        page.wait_for_selector("#pressure-block")
        idle(page)
        step["name"] = "edit_assumption"
        box = page.locator(".assumption input").first
        box.fill("110")
        box.press("Enter")
        idle(page)

        step["name"] = "load_kart"
        page.goto(base + "/kart?scenario=MMMM&lang=nb")
        page.wait_for_selector("#map-block")
        idle(page)
        step["name"] = "map_year"
        page.locator("#map-year label", has_text="2050").first.click()
        idle(page)

        step["name"] = "load_sammenlign"
        page.goto(base + "/sammenlign?k=0301,1804,4601,5001&scenario=MMMM&lang=nb")
        page.wait_for_selector("#compare-table")
        idle(page)

        step["name"] = "load_data"
        page.goto(base + "/kommune/1804/data?scenario=MMMM&lang=nb")
        page.wait_for_selector("#dl-standard")
        idle(page)

        step["name"] = "chart_csv"
        page.goto(base + "/kommune/1804?scenario=MMMM&lang=nb")
        page.wait_for_selector("#card-total")
        idle(page)
        with page.expect_download():
            page.locator("a.chart-download").first.click()  # a plain link: no callback
        idle(page)
        browser.close()
    return records


def main() -> int:
    port = free_port()
    proc, _ = start_app(port)
    try:
        records = capture(f"http://127.0.0.1:{port}")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    FIXTURE.parent.mkdir(parents=True, exist_ok=True)
    FIXTURE.write_text(json.dumps(records, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    steps: dict[str, int] = {}
    for r in records:
        steps[r["step"]] = steps.get(r["step"], 0) + 1
    print(f"wrote {len(records)} callback bodies to {FIXTURE.relative_to(ROOT)}: {steps}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
