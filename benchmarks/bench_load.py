"""Load test: replay recorded browser traffic with 50 concurrent loopback clients.

    python benchmarks/bench_load.py                 # ~2.5 minutes, starts gunicorn itself
    python benchmarks/bench_load.py --block 10 --blocks 2   # quicker look

Starts ``gunicorn app:server`` with the production gunicorn.conf.py (2 workers unless
KOMMUNEFRAM_WORKERS says otherwise) on 127.0.0.1, then runs CLIENTS client threads. Each
client repeatedly opens a page (the HTML, Dash's layout and the page's recorded callbacks),
switches kommune and switches scenario, with kommune numbers and scenarios drawn at random.
The payloads are those Chromium sent in a real session (benchmarks/fixtures/
callback_traffic.json, from capture_traffic.py).

Two conditions in the same run, in alternating blocks so machine load hits both alike:
scenarios drawn from 3 (MMMM, LLML, HHMH) and from every scenario the picker offers. Prints
requests/s, p50/p95/p99 latency, errors, and the workers' RSS (and PSS: RSS counts pages
shared with the master after preload once per worker) after each condition.
Done when: all scenarios >= 90 % of the 3-scenario throughput, 0 errors, p95 <= 300 ms,
worker RSS <= 400 MB (2 cores).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
FIXTURE = ROOT / "benchmarks" / "fixtures" / "callback_traffic.json"
THREE = ("MMMM", "LLML", "HHMH")
PAGE_STEPS = ("load_oversikt", "load_befolkning", "load_tjenester", "load_kart", "load_data")
PATHS = {
    "load_oversikt": "/kommune/{k}",
    "load_befolkning": "/kommune/{k}/befolkning",
    "load_tjenester": "/kommune/{k}/tjenester",
    "load_kart": "/kart",
    "load_data": "/kommune/{k}/data",
}
TARGETS = {"ratio": 0.90, "p95_ms": 300.0, "rss_mb": 400.0}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def load_steps() -> dict[str, list[str]]:
    """step name -> JSON texts of its callback bodies (in recorded order)."""
    steps: dict[str, list[str]] = {}
    for rec in json.loads(FIXTURE.read_text(encoding="utf-8")):
        steps.setdefault(rec["step"], []).append(json.dumps(rec["body"]))
    return steps


def fill(text: str, k_from: str, k_to: str, subs: dict[str, str]) -> str:
    """Swap the recorded kommune and scenarios for the drawn ones (all string occurrences:
    paths, store data, chart keys)."""
    text = text.replace(k_from, k_to)
    for old, new in subs.items():
        text = text.replace(old, new)
    return text


class Client(threading.Thread):
    def __init__(self, port: int, steps: dict[str, list[str]], codes: list[str], seed: int):
        super().__init__(daemon=True)
        self.port = port
        self.steps = steps
        self.codes = codes
        self.rng = random.Random(seed)
        self.scenarios: tuple[str, ...] = THREE
        self.condition = "three"
        self.running = True
        self.active = True
        self.records: list[tuple[str, float, float, bool]] = []  # condition, t, ms, ok
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: str | None = None) -> None:
        headers = {"Accept-Encoding": "gzip", "Connection": "keep-alive"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        t0 = time.perf_counter()
        ok = False
        for attempt in (0, 1):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                self.conn.request(method, path, body=body, headers=headers)
                resp = self.conn.getresponse()
                resp.read()
                ok = resp.status < 400
                if resp.getheader("Connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                break
            except (ConnectionError, http.client.HTTPException, OSError):
                if self.conn is not None:
                    self.conn.close()
                self.conn = None
                if attempt:
                    ok = False
        if self.active:
            self.records.append(
                (self.condition, time.perf_counter(), (time.perf_counter() - t0) * 1000, ok)
            )

    def post_step(self, step: str, k_from: str, k_to: str, subs: dict[str, str]) -> None:
        for text in self.steps.get(step, []):
            self.request("POST", "/_dash-update-component", fill(text, k_from, k_to, subs))

    def run(self) -> None:
        while self.running:
            visit(self.rng, self.codes, self.scenarios, self.request, self.post_step)


def visit(
    rng: random.Random,
    codes: list[str],
    scenarios: tuple[str, ...],
    request: Callable[[str, str], None],
    post_step: Callable[[str, str, str, dict[str, str]], None],
) -> None:
    """One pass of a client (also replayed in-process by profile_requests.py): open a random
    page for a random kommune and scenario, switch kommune, switch scenario."""
    k1, k2 = rng.sample(codes, 2)
    s1 = rng.choice(scenarios)
    s2 = rng.choice([s for s in scenarios if s != s1])
    page = rng.choice(PAGE_STEPS)
    # open a page: the HTML, Dash's layout, then the page's callbacks
    request("GET", PATHS[page].format(k=k1) + f"?scenario={s1}&lang=nb")
    request("GET", "/_dash-layout")
    post_step(page, "1804", k1, {"MMMM": s1})
    # switch kommune (recorded 0301 -> 1804) on the overview; placeholders keep the
    # substitutions from running into each other
    post_step("switch_kommune", "0301", "@K1@", {"1804": k2, "@K1@": k1, "MMMM": s1})
    # switch scenario (recorded MMMM -> LLML) for that kommune
    post_step("switch_scenario", "1804", k2, {"LLML": "@S2@", "MMMM": s1, "@S2@": s2})


def worker_pids(master: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == master:
                out.append(int(entry.name))
    return out


def memory_mb(pid: int) -> tuple[float, float]:
    """(RSS, PSS) of a process in MB."""
    rss = pss = 0.0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Rss:"):
                rss = int(line.split()[1]) / 1024
            elif line.startswith("Pss:"):
                pss = int(line.split()[1]) / 1024
    except OSError:
        pass
    return rss, pss


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(q / 100 * (len(s) - 1))))] if s else float("nan")


def start_gunicorn(port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "KOMMUNEFRAM_BIND": f"127.0.0.1:{port}", "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "app:server"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(ROOT / "artifacts" / "bench_load_gunicorn.log", "wb"),  # noqa: SIM115
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("gunicorn exited; see artifacts/bench_load_gunicorn.log")
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            c.request("GET", "/kommune/0301")
            if c.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("gunicorn did not answer in 120 s")


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--block", type=float, default=20.0, help="seconds per block")
    ap.add_argument("--blocks", type=int, default=3, help="blocks per condition")
    ap.add_argument("--warmup", type=float, default=10.0)
    args = ap.parse_args()
    args.clients = max(1, min(args.clients, 200))  # bounded: loopback only, no flood
    args.block = max(2.0, min(args.block, 60.0))
    args.blocks = max(1, min(args.blocks, 5))

    from dashboard.data import model
    from data_sources import catalogue

    every = model.scenario_codes()
    codes = list(catalogue().kommune_codes)
    steps = load_steps()
    (ROOT / "artifacts").mkdir(exist_ok=True)
    port = free_port()
    t_start = time.perf_counter()
    proc = start_gunicorn(port)
    workers: list[int] = []
    clients = [Client(port, steps, codes, seed=i) for i in range(args.clients)]
    windows: dict[str, float] = {"three": 0.0, "all": 0.0}
    memory: dict[str, list[tuple[float, float]]] = {}
    try:
        for c in clients:
            c.active = False
            c.start()
        time.sleep(args.warmup)  # both conditions' caches warm up, not measured
        for c in clients:
            c.scenarios = every
        time.sleep(args.warmup)
        for _ in range(args.blocks):
            for name, scen in (("three", THREE), ("all", every)):
                for c in clients:
                    c.scenarios, c.condition, c.active = scen, name, True
                time.sleep(args.block)
                for c in clients:
                    c.active = False
                windows[name] += args.block
                workers = worker_pids(proc.pid)  # re-read: a recycled worker has a new pid
                memory[name] = [memory_mb(p) for p in workers]
        for c in clients:
            c.running = False
        for c in clients:
            c.join(timeout=35)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()

    print(
        f"Kommunefram load test: {args.clients} loopback clients, gunicorn "
        f"({len(workers)} workers, gunicorn.conf.py), {args.blocks} x {args.block:g} s per "
        f"condition, alternating; load average now {os.getloadavg()[0]:.1f} on "
        f"{os.cpu_count()} cores; total {time.perf_counter() - t_start:.0f} s"
    )
    summary = {}
    for name, label in (("three", "3 scenarios"), ("all", f"{len(every)} scenarios")):
        recs = [r for c in clients for r in c.records if r[0] == name]
        ms = [r[2] for r in recs]
        errors = sum(1 for r in recs if not r[3])
        rps = len(recs) / windows[name]
        mem = memory.get(name, [])
        rss = max((m[0] for m in mem), default=float("nan"))
        pss = max((m[1] for m in mem), default=float("nan"))
        summary[name] = {"rps": rps, "p95": pct(ms, 95), "errors": errors, "rss": rss}
        print(
            f"  {label:13s} {rps:7.1f} req/s  p50 {pct(ms, 50):6.1f} ms  p95 {pct(ms, 95):6.1f} ms"
            f"  p99 {pct(ms, 99):6.1f} ms  errors {errors}/{len(recs)}"
            f"  worker RSS max {rss:5.0f} MB (PSS {pss:4.0f} MB)"
        )
    ratio = summary["all"]["rps"] / summary["three"]["rps"]
    p95 = max(s["p95"] for s in summary.values())
    errors = sum(s["errors"] for s in summary.values())
    rss = max(s["rss"] for s in summary.values())
    checks = [
        ("all/3 throughput", ratio, ">=", TARGETS["ratio"], ratio >= TARGETS["ratio"]),
        ("p95 ms (worst)", p95, "<=", TARGETS["p95_ms"], p95 <= TARGETS["p95_ms"]),
        ("errors", errors, "==", 0, errors == 0),
        ("worker RSS MB", rss, "<=", TARGETS["rss_mb"], rss <= TARGETS["rss_mb"]),
    ]
    for label, value, op, target, ok in checks:
        print(f"  {label:17s} {value:8.2f}  target {op} {target:g}  {'OK' if ok else 'NOT MET'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
