"""Store: the read path's overhead, and the cost of a crash-safe write, old layout vs new.

    python benchmarks/bench_store.py

Side by side in one run (the machine is shared and noisy, so compare the ratios):
  * ``read_table("kommuner")`` on a warm cache, per call, with (a) no live store (served
    from the snapshot) and (b) a live store holding the table, for the store at commit
    5a068e1 (flat files, two ``os.replace``) and for the current manifest store;
  * ``write_many`` of two small tables (the fsyncs and the manifest replace).
The old module is loaded from git (``git show 5a068e1:data_sources/store.py``).
"""

from __future__ import annotations

import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
OLD_COMMIT = "5a068e1"


def load_old_store(tmp: Path):
    source = subprocess.run(
        ["git", "show", f"{OLD_COMMIT}:data_sources/store.py"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    # the old module finds the snapshot next to itself: point it at the package's folder
    source = source.replace(
        'SNAPSHOT_DIR = Path(__file__).resolve().parent / "snapshot"',
        f"SNAPSHOT_DIR = Path({str(ROOT / 'data_sources' / 'snapshot')!r})",
    )
    path = tmp / "old_store.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("old_store", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["old_store"] = module  # dataclasses look their module up while decorating
    spec.loader.exec_module(module)
    return module


def per_call_us(fns: dict, n: int = 200, rounds: int = 9) -> dict[str, float]:
    """Median µs per call of each function, the functions interleaved round by round."""
    for fn in fns.values():
        fn()
    runs: dict[str, list[float]] = {k: [] for k in fns}
    for _ in range(rounds):
        for label, fn in fns.items():
            start = time.perf_counter()
            for _ in range(n):
                fn()
            runs[label].append((time.perf_counter() - start) / n * 1e6)
    return {k: statistics.median(v) for k, v in runs.items()}


def main() -> int:
    sys.path.insert(0, str(ROOT))
    import data_sources.store as new

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        old = load_old_store(tmp)
        kommuner = new.snapshot_store().read("kommuner")
        print(f"{'case':44} {'old µs':>9} {'new µs':>9} {'new/old':>8}")
        for case in ("no live store", "live store has the table"):
            for label, mod in (("old", old), ("new", new)):
                root = tmp / f"{label}-{case.replace(' ', '_')}"
                os.environ[new.STORE_ENV] = str(root)
                if case != "no live store":
                    mod.Store(root).write("kommuner", kommuner, {"source": "live"})

            def reader(label, mod, case=case):
                def read():
                    os.environ[new.STORE_ENV] = str(tmp / f"{label}-{case.replace(' ', '_')}")
                    mod.read_table("kommuner")

                return read

            results = per_call_us({"old": reader("old", old), "new": reader("new", new)})
            ratio = results["new"] / results["old"]
            print(
                f"read_table('kommuner'), {case:21} {results['old']:9.0f} "
                f"{results['new']:9.0f} {ratio:8.2f}"
            )
        small = pd.DataFrame({"year": range(2005, 2027), "persons": range(22)})
        tables = [("population", small, {}), ("population_national", small, {})]
        stores = {"old": old.Store(tmp / "write-old"), "new": new.Store(tmp / "write-new")}
        writers = {label: (lambda s=store: s.write_many(tables)) for label, store in stores.items()}
        results = per_call_us(writers, n=10, rounds=7)
        ratio = results["new"] / results["old"]
        print(
            f"write_many(2 small tables){'':18} {results['old']:9.0f} {results['new']:9.0f} {ratio:8.2f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
