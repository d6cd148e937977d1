"""First load of the dashboard on an emulated slow link, before and after the serving work.

    python benchmarks/bench_firstload.py            # about 1-2 minutes
    python benchmarks/bench_firstload.py --before 5a068e1 --runs 3

Starts two servers side by side on loopback: "before" is the app as it was at a given commit
(exported with ``git archive`` into a temporary folder), "after" is this working tree. For
each, headless Chromium with CDP network throttling (20 Mbit/s down, 5 Mbit/s up, 40 ms
latency) opens /kommune/1804 with an empty cache and then again (a return visit, same
browser profile), and the script prints the time until the overview's charts are drawn and
the bytes that came over the wire. Runs alternate between the two servers so machine load
hits both alike.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tarfile
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
READY = (
    "() => document.querySelector('#card-total')"
    " && !document.querySelector('[data-dash-is-loading=\"true\"]')"
    " && document.querySelector('#overview-index .main-svg')"
)


def export_commit(commit: str, dest: Path) -> Path:
    """The tree of ``commit`` in ``dest`` (the snapshot data comes along: it is tracked)."""
    archive = dest / "tree.tar"
    subprocess.run(
        ["git", "archive", "--format=tar", "-o", str(archive), commit], cwd=ROOT, check=True
    )
    with tarfile.open(archive) as tar:
        tar.extractall(dest / "tree", filter="data")
    return dest / "tree"


def start(tree: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, "KOMMUNEFRAM_PORT": str(port), "PYTHONPATH": str(tree)}
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
            if requests.get(base + PAGE, timeout=5).status_code == 200:
                # warm the server (fit, needs) so the browser measures the network
                requests.get(base + "/kommune/0", timeout=60)
                time.sleep(2)
                return proc, base
        except requests.ConnectionError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"server in {tree} did not start")


def visit(browser: Any, base: str) -> dict[str, float]:
    """Cold visit then a return visit in one browser context, throttled."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", LINK)
    wire = {"bytes": 0.0}
    cdp.on(
        "Network.loadingFinished",
        lambda e: wire.__setitem__("bytes", wire["bytes"] + e["encodedDataLength"]),
    )
    out: dict[str, float] = {}
    for label in ("cold", "repeat"):
        wire["bytes"] = 0.0
        t0 = time.perf_counter()
        page.goto(base + PAGE, wait_until="commit")
        try:
            page.wait_for_function(READY, timeout=90_000)
        except Exception as exc:  # report which server and visit, then stop
            raise RuntimeError(f"{base} {label} visit not ready in 90 s") from exc
        out[f"{label}_s"] = time.perf_counter() - t0
        page.wait_for_timeout(300)
        out[f"{label}_MB"] = wire["bytes"] / 1e6
    context.close()
    return out


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--before", default="5a068e1", help="commit to compare against")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        before_tree = export_commit(args.before, Path(tmp))
        servers = {"before": start(before_tree), "after": start(ROOT)}
        results: dict[str, list[dict[str, float]]] = {k: [] for k in servers}
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(
                    executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
                )
                for _ in range(args.runs):
                    for name, (_, base) in servers.items():
                        results[name].append(visit(browser, base))
                browser.close()
        finally:
            for proc, _ in servers.values():
                proc.terminate()
                proc.wait(timeout=10)
    print(f"First load of {PAGE}, 20 Mbit/s / 40 ms (CDP), median of {args.runs} runs")
    print(f"  {'':8s} {'cold s':>8s} {'cold MB':>8s} {'repeat s':>9s} {'repeat MB':>10s}")
    med = {}
    for name, runs in results.items():
        med[name] = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
        m = med[name]
        print(
            f"  {name:8s} {m['cold_s']:8.2f} {m['cold_MB']:8.2f} {m['repeat_s']:9.2f} {m['repeat_MB']:10.2f}"
        )
    b, a = med["before"], med["after"]
    print(
        f"  after/before: cold {a['cold_s'] / b['cold_s']:.2f}x time, {a['cold_MB'] / b['cold_MB']:.2f}x bytes; "
        f"repeat {a['repeat_s'] / b['repeat_s']:.2f}x time, {a['repeat_MB'] / max(b['repeat_MB'], 1e-9):.2f}x bytes"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
