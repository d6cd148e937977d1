"""Time to serve the one-page kommune report (/kommune/<nr>/rapport.pdf), target < 2 s.

    python benchmarks/bench_report.py            # starts its own app (python app.py) on a free port
    python benchmarks/bench_report.py --url http://127.0.0.1:8050   # measure a running app

Prints, for requests over loopback HTTP:
  * (own app only) a report as the very first request of a fresh server
  * a report after the app's warm-up (against a running app: the first, with ReportLab's import)
  * a report for a scenario the server has not projected yet (includes that projection's fit)
  * a report with edited assumptions (includes a fresh needs computation)
  * warm reports for 20 kommuner, fylker and Norway: median and max
  * beside them, a tiny page request (/om's HTML) in the same run, as the machine's noise floor
  * (own app only) the server's resident memory before the first report and after all of them
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 2.0
CODES = (
    "0301", "1804", "4601", "5001", "1103", "3201", "5610", "1508", "3403", "4204",
    "1824", "5055", "1871", "4640", "3907", "46", "03", "18", "0", "5501",
)  # fmt: skip


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def timed_get(url: str) -> tuple[float, requests.Response]:
    t0 = time.perf_counter()
    resp = requests.get(url, timeout=120)
    return time.perf_counter() - t0, resp


def wait_up(url: str, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise SystemExit(f"app did not answer on {url}")


def rss_mb(pid: int | None) -> float:
    if pid is None:
        return float("nan")
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def measure(base: str, fresh: bool = False, settle: float = 0.0, pid: int | None = None) -> None:
    report = base + "/kommune/{code}/rapport.pdf{query}"
    wait_up(base + "/om")
    if fresh:
        # The very first request of a fresh server pays for fitting the main scenario (shared
        # with the app's background warm-up), as the first page view would.
        fresh_s, _ = timed_get(report.format(code="0301", query=""))
        print(f"report as the first request of a fresh server:      {fresh_s:.3f} s")
    time.sleep(settle)  # let the background warm-up finish
    rss_before = rss_mb(pid)
    first, resp = timed_get(report.format(code="1804", query=""))
    assert resp.status_code == 200 and resp.content.startswith(b"%PDF"), resp.text[:200]
    cold_scen, _ = timed_get(report.format(code="1804", query="?scenario=HLMH"))
    edited, _ = timed_get(report.format(code="1804", query="?care_staffing_multiplier=115"))
    warm, floor = [], []
    for code in CODES:
        dt, resp = timed_get(report.format(code=code, query="?lang=nn"))
        assert resp.status_code == 200, (code, resp.text[:200])
        warm.append(dt)
        floor.append(timed_get(base + "/om")[0])
    label = "after warm-up, 1804" if fresh else "first of this run (ReportLab import)"
    print(f"report, {label}:".ljust(52) + f"{first:.3f} s")
    print(f"report, scenario not yet projected (HLMH fit):     {cold_scen:.3f} s")
    print(f"report, edited assumptions (new needs run):        {edited:.3f} s")
    print(
        f"report, warm, {len(CODES)} regions: median {statistics.median(warm):.3f} s, "
        f"max {max(warm):.3f} s   (page HTML in the same run: median "
        f"{statistics.median(floor) * 1000:.1f} ms; ratio {statistics.median(warm) / statistics.median(floor):.0f}x)"
    )
    if pid is not None:
        print(
            f"server RSS before the first report {rss_before:.0f} MB, after all reports "
            f"{rss_mb(pid):.0f} MB (includes the HLMH projection and an extra needs run)"
        )
    worst = max(first, cold_scen, edited, *warm)  # a fresh server's first request aside
    verdict = "met" if worst < TARGET_S else "NOT met"
    print(f"worst case {worst:.3f} s against the target < {TARGET_S:.0f} s: {verdict}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--url", help="measure an already running app instead of starting one")
    args = ap.parse_args()
    if args.url:
        measure(args.url.rstrip("/"))
        return
    port = free_port()
    env = {**os.environ, "KOMMUNEFRAM_PORT": str(port), "KOMMUNEFRAM_HOST": "127.0.0.1"}
    env.pop("KOMMUNEFRAM_DEBUG", None)
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "app.py")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        measure(f"http://127.0.0.1:{port}", fresh=True, settle=8.0, pid=proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


if __name__ == "__main__":
    main()
