"""Where a page render spends its time and what the caches hold (in-process, no server).

    python benchmarks/profile_pages.py             # ~1-2 minutes
    python benchmarks/profile_pages.py --quick     # fewer kommuner

Prints, after the production warm-up (``app.warm_all``, as gunicorn's preload runs it):
  * RSS after import and after warm-up, and the megabytes the per-scenario aggregates hold
  * per page: cold (new kommune and scenario) and warm (same again) ``layout()`` time, and how
    many full projections (``projections.project``) the renders asked for
  * per heavy section: cold and warm time
  * per recorded callback step (benchmarks/fixtures/callback_traffic.json, the load test's
    traffic) through Flask's test client: cold and warm time
  * tracemalloc: memory kept by the caches after rendering every page for many kommuner and
    every scenario, and the RSS then.
A section that computes from a full projection on the request path shows up as project()
calls in the warm column and as tens of milliseconds.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dashboard.views import intervals

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("KOMMUNEFRAM_WARM", "0")
FIXTURE = ROOT / "benchmarks" / "fixtures" / "callback_traffic.json"


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class ProjectCounter:
    """Counts calls of projections.project (through the dashboard's one door to it)."""

    def __init__(self) -> None:
        from dashboard.data import model

        self.calls = 0
        self.model = model
        self.original = model.project

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            return self.original(*args, **kwargs)

        model.project = counted  # dashboard.data.model imported the name: patch it there

    def take(self) -> int:
        n, self.calls = self.calls, 0
        return n


def timed(fn: Callable[[], Any], repeat: int = 1) -> float:
    """Median milliseconds of ``repeat`` runs."""
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return statistics.median(out)


def cold_and_warm(
    title: str,
    items: dict[str, Callable[[str, str], Any]],
    rng: random.Random,
    codes: list[str],
    scen: list[str],
    counter: Any,
) -> None:
    """Each item once cold and three times warm, for a random kommune and scenario."""
    print(f"\n{title:28s} cold ms  warm ms  project() calls cold/warm")
    for name, fn in items.items():
        c, s = rng.choice(codes), rng.choice(scen)
        cold = timed(lambda fn=fn, c=c, s=s: fn(c, s))
        n_cold = counter.take()
        warm = timed(lambda fn=fn, c=c, s=s: fn(c, s), 3)
        n_warm = counter.take()
        print(f"  {name:26s} {cold:8.1f} {warm:8.1f}  {n_cold}/{n_warm}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    rng = random.Random(1)

    t0 = time.perf_counter()
    import app
    from dashboard.data import model
    from dashboard.ui import needs_views, ssb_compare, uncertainty
    from dashboard.views import chartdata
    from data_sources import catalogue
    from pages import befolkning, data, kart, oversikt, sammenlign, tjenester

    print(f"import app: {time.perf_counter() - t0:.1f} s, RSS {rss_mb():.0f} MB")
    t0 = time.perf_counter()
    app.warm_all()
    held = sum(model.aggregates(s).nbytes for s in model.scenario_codes()) / 1e6
    print(
        f"warm_all (gunicorn preload): {time.perf_counter() - t0:.1f} s, RSS {rss_mb():.0f} MB, "
        f"aggregates of {len(model.scenario_codes())} scenarios hold {held:.0f} MB"
    )
    counter = ProjectCounter()
    codes = list(catalogue().kommune_codes)
    scen = list(model.scenario_codes())
    pages = {
        "oversikt": lambda c, s: oversikt.layout(c, s, "nb"),
        "befolkning": lambda c, s: befolkning.layout(c, s, "nb"),
        "tjenester": lambda c, s: tjenester.layout(c, s, "nb"),
        "data": lambda c, s: data.layout(c, s, "nb"),
        "kart": lambda c, s: kart.layout(s, "nb"),
        "sammenlign": lambda c, s: sammenlign.layout(f"{c},0301", s, "nb"),
    }
    cold_and_warm("page layout()", pages, rng, codes, scen, counter)

    from projections.needs import Assumptions

    edited = Assumptions(care_staffing_multiplier=1.1)
    sections = {
        "card intervals (21 cards)": lambda c, s: [
            uncertainty.card_value(c, s, g, y, 1.0, "nb")
            for g in intervals.GROUP_MAP
            for y in (2030, 2040, 2050)
        ],
        "certainty sentence": lambda c, s: uncertainty.certainty_sentence(c, s, "nb"),
        "ssb comparison (Oversikt)": lambda c, s: ssb_compare.comparison_section(c, "nb"),
        "ssb comparison Norway": lambda c, s: ssb_compare.comparison_section("0", "nb"),
        "population_table": lambda c, s: chartdata.population_table(c, s, "total", ()),
        "pyramid_table 2035": lambda c, s: chartdata.pyramid_table(c, s, 2035),
        "track record": lambda c, s: uncertainty.track_record_block(c, "nb"),
        "services_table brukere": lambda c, s: chartdata.services_table(c, s, "brukere"),
        "services_table arsverk": lambda c, s: chartdata.services_table(c, s, "arsverk"),
        "pressure_table": lambda c, s: chartdata.pressure_table(c, s),
        "services_table edited": lambda c, s: chartdata.services_table(c, s, "arsverk", edited),
        "usage section": lambda c, s: needs_views.usage_section(c, s, "nb"),
        "usage_table trend": lambda c, s: chartdata.usage_table(c, s, "trend", "institusjon"),
        "fylke services_table": lambda c, s: chartdata.services_table(c[:2], s, "brukere"),
        "Norway services_table": lambda c, s: chartdata.services_table("0", s, "brukere"),
    }
    cold_and_warm("section", sections, rng, codes, scen, counter)

    steps: dict[str, list[str]] = {}
    for rec in json.loads(FIXTURE.read_text(encoding="utf-8")):
        steps.setdefault(rec["step"], []).append(json.dumps(rec["body"]))
    client = app.server.test_client()

    def replay(step: str, code: str, scenario: str) -> int:
        bad = 0
        for text in steps[step]:
            body = text.replace("1804", code).replace("MMMM", scenario)
            r = client.post("/_dash-update-component", data=body, content_type="application/json")
            bad += r.status_code >= 400
        return bad

    print("\ncallback step (all its POSTs) cold ms  warm ms  project() cold/warm  errors")
    for step in steps:
        c, s = rng.choice(codes), rng.choice(scen)
        cold = timed(lambda step=step, c=c, s=s: replay(step, c, s))
        n_cold = counter.take()
        warm = timed(lambda step=step, c=c, s=s: replay(step, c, s), 3)
        n_warm = counter.take()
        print(f"  {step:26s} {cold:8.1f} {warm:8.1f}  {n_cold}/{n_warm}  {replay(step, c, s)}")

    n_codes = 20 if args.quick else 80
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    rss0 = rss_mb()
    t0 = time.perf_counter()
    renders = 0
    for c in rng.sample(codes, n_codes):
        for s in scen:
            for name in ("oversikt", "befolkning", "tjenester"):
                pages[name](c, s)
                renders += 1
    elapsed = time.perf_counter() - t0
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    stats = after.compare_to(before, "filename")
    kept = sum(st.size_diff for st in stats) / 1e6
    print(
        f"\n{renders} renders ({n_codes} kommuner x {len(scen)} scenarios x 3 pages): "
        f"{elapsed / renders * 1000:.1f} ms each (tracemalloc on), project() calls "
        f"{counter.take()}, memory kept {kept:.1f} MB, RSS {rss0:.0f} -> {rss_mb():.0f} MB"
    )
    for st in stats[:8]:
        print(f"    {st.size_diff / 1e6:7.2f} MB  {st.traceback[0].filename}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
