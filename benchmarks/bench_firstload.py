"""A new user's first visit on an ordinary line, this tree side by side with the previous main.

    python benchmarks/bench_firstload.py                    # about 2-3 minutes
    python benchmarks/bench_firstload.py --before c1cfd63 --runs 3

Starts two servers on loopback: "before" is the app at a given commit (a temporary
``git worktree``), "after" is this working tree. Each run opens a fresh browser context (an
empty cache) in headless Chromium with CDP network emulation (20 Mbit/s down, 5 Mbit/s up,
40 ms latency), visits /kommune/1804 and measures

* first chart: seconds from navigation until a chart in the page has drawn its traces, and the
  bytes that came over the wire (encoded, as sent) until then;
* cold total: bytes once the page has settled (all callbacks done);
* next page: seconds from a click on "Befolkning" in the menu until its population chart is
  drawn, and until every callback has finished ("settled": the page then writes its view to
  the address, which reruns the shell's callback).

Runs alternate between the two servers so machine load hits both alike; medians are printed
with the issue's targets (first chart <= 1.5 s and <= 1.0 MB, next page <= 0.5 s).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from benchmarks.bench_app import CHROMIUM_ARGS, free_port  # noqa: E402

LINK = {
    "offline": False,
    "latency": 40,
    "downloadThroughput": 20e6 / 8,
    "uploadThroughput": 5e6 / 8,
}
PAGE = "/kommune/1804?scenario=MMMM&lang=nb"
NEXT = "#nav-befolkning"
# a chart in the page content (not the shell's hidden preload graph) with drawn traces
CHART = (
    "() => !!document.querySelector("
    "'#main .js-plotly-plot .scatterlayer .trace, #main .js-plotly-plot .barlayer .trace')"
)
SETTLED = "() => !document.querySelector('[data-dash-is-loading=\"true\"]')"
NEXT_DRAWN = (
    "() => location.pathname.endsWith('/befolkning')"
    " && !!document.querySelector('#pop-block .js-plotly-plot .scatterlayer .trace')"
)
NEXT_READY = NEXT_DRAWN + " && !document.querySelector('[data-dash-is-loading=\"true\"]')"
TARGETS = {"chart_s": 1.5, "chart_MB": 1.0, "next_s": 0.5, "next_settled_s": 0.5}


def checkout(commit: str, dest: Path) -> Path:
    """The tree of ``commit`` as a detached git worktree in ``dest``."""
    subprocess.run(
        ["git", "worktree", "add", "--detach", "--force", str(dest), commit],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return dest


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_idle(pid: int, timeout: float = 180.0) -> None:
    """Until the server's background warm-up is over (under 5 % of a core for a second)."""
    deadline = time.monotonic() + timeout
    last = cpu_seconds(pid)
    while time.monotonic() < deadline:
        time.sleep(1.0)
        now = cpu_seconds(pid)
        if now - last < 0.05:
            return
        last = now


def start(tree: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, "KOMMUNEFRAM_PORT": str(port), "PYTHONPATH": str(tree)}
    env.pop("KOMMUNEFRAM_DEBUG", None)
    proc = subprocess.Popen(
        [sys.executable, str(tree / "app.py")],
        cwd=tree,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if requests.get(base + "/om", timeout=5).status_code == 200:
                return proc, base
        except requests.ConnectionError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"server in {tree} did not start")


def warm(browser: Any, base: str, pid: int) -> None:
    """One unthrottled visit (the server computes 1804's pages once), then idle."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(base + PAGE)
    page.wait_for_function(CHART, timeout=120_000)
    page.click(NEXT)
    page.wait_for_function(NEXT_READY, timeout=120_000)
    context.close()
    wait_idle(pid)


def visit(browser: Any, base: str) -> dict[str, float]:
    """A cold visit of PAGE and a click to the next page, throttled, in a fresh context."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
    cdp.send("Network.emulateNetworkConditions", LINK)
    wire = {"bytes": 0.0}

    def done(event: dict[str, Any]) -> None:
        wire["bytes"] += event["encodedDataLength"]

    cdp.on("Network.loadingFinished", done)
    out: dict[str, float] = {}
    t0 = time.perf_counter()
    page.goto(base + PAGE, wait_until="commit")
    page.wait_for_function(CHART, timeout=90_000, polling=10)
    out["chart_s"] = time.perf_counter() - t0
    out["chart_MB"] = wire["bytes"] / 1e6
    page.wait_for_function(SETTLED, timeout=90_000)
    page.wait_for_load_state("networkidle")
    out["cold_MB"] = wire["bytes"] / 1e6
    t1 = time.perf_counter()
    page.click(NEXT)
    page.wait_for_function(NEXT_DRAWN, timeout=90_000, polling=10)
    out["next_s"] = time.perf_counter() - t1
    page.wait_for_function(NEXT_READY, timeout=90_000, polling=10)
    out["next_settled_s"] = time.perf_counter() - t1
    context.close()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--before", default="c1cfd63", help="commit to compare against")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        before_tree = checkout(args.before, Path(tmp) / "before")
        servers: dict[str, tuple[subprocess.Popen[bytes], str]] = {}
        results: dict[str, list[dict[str, float]]] = {"before": [], "after": []}
        try:
            servers["before"] = start(before_tree)
            servers["after"] = start(ROOT)
            with sync_playwright() as pw:
                browser = pw.chromium.launch(
                    executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
                )
                for proc, base in servers.values():
                    warm(browser, base, proc.pid)
                for _ in range(args.runs):
                    for name, (_, base) in servers.items():
                        results[name].append(visit(browser, base))
                browser.close()
        finally:
            for proc, _ in servers.values():
                proc.terminate()
                proc.wait(timeout=10)
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(before_tree)],
                cwd=ROOT,
                check=False,
            )
    print(f"Cold visit of {PAGE}, 20 Mbit/s / 40 ms (CDP), median of {args.runs} runs")
    print(
        f"  {'':22s} {'first chart s':>13s} {'first chart MB':>15s} "
        f"{'settled MB':>11s} {'next page s':>12s} {'next settled s':>15s}"
    )
    med: dict[str, dict[str, float]] = {}
    for name, runs in results.items():
        med[name] = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
        m = med[name]
        label = f"{name} ({args.before})" if name == "before" else "after (this tree)"
        print(
            f"  {label:22s} {m['chart_s']:13.2f} {m['chart_MB']:15.2f} "
            f"{m['cold_MB']:11.2f} {m['next_s']:12.2f} {m['next_settled_s']:15.2f}"
        )
    a = med["after"]
    for key, limit in TARGETS.items():
        verdict = "met" if a[key] <= limit else "NOT met"
        print(f"  target {key} <= {limit}: {a[key]:.2f} {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
