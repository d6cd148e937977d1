"""Record, then compare, every response of a fixed replay of the load test's traffic.

    python benchmarks/response_replay.py save /tmp/replay.pkl      # before a change (~40 s)
    python benchmarks/response_replay.py compare /tmp/replay.pkl   # after it

For speed work that must not change what the browser receives: bench_load.py's client loop
(benchmarks/fixtures/callback_traffic.json, every page, kommuner plus Norway and three
fylker, every scenario) in bokmål, nynorsk and English through Flask's test client; 1 611
requests. Responses are compared as parsed JSON (key order and unicode escaping do not matter
to the browser); page HTML only by status (it carries a per-request URL).
"""

from __future__ import annotations

import gzip
import json
import os
import pickle
import random
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("KOMMUNEFRAM_WARM", "0")

import bench_load  # noqa: E402  (the load test's fixture, substitutions and page mix)

Record = tuple[tuple[str, str, str | None], int, Any]
VISITS = {"nb": 40, "nn": 15, "en": 15}


def replay() -> list[Record]:
    import app
    from dashboard.data import model
    from data_sources import catalogue

    app.warm_all()
    steps = bench_load.load_steps()
    codes = [*catalogue().kommune_codes, "0", "03", "18", "46"]
    every = model.scenario_codes()
    client = app.server.test_client()
    out: list[Record] = []
    for lang, visits in VISITS.items():
        rng = random.Random(7)

        def request(method: str, path: str, body: str | None = None, lang: str = lang) -> None:
            if lang != "nb":
                path = path.replace("lang=nb", f"lang={lang}")
                body = re.sub(r"\bnb\b", lang, body) if body else body
            headers = {"Accept-Encoding": "gzip"}
            if method == "GET":
                r = client.get(path, headers=headers)
            else:
                r = client.post(path, data=body, content_type="application/json", headers=headers)
            data = r.data
            if r.headers.get("Content-Encoding") == "gzip":
                data = gzip.decompress(data)
            value: Any = None
            if not path.startswith(("/kommune", "/kart")):  # page HTML: status only
                try:
                    value = json.loads(data)
                except ValueError:
                    value = data
            out.append(((method, path, body), r.status_code, value))

        def post_step(step: str, k_from: str, k_to: str, subs: dict[str, str]) -> None:
            for text in steps.get(step, []):
                request(
                    "POST", "/_dash-update-component", bench_load.fill(text, k_from, k_to, subs)
                )

        for _ in range(visits):
            bench_load.visit(rng, codes, every, request, post_step)
    return out


def first_difference(a: Any, b: Any) -> str:
    x = json.dumps(a, sort_keys=True, ensure_ascii=False, default=str)
    y = json.dumps(b, sort_keys=True, ensure_ascii=False, default=str)
    i = next((i for i in range(min(len(x), len(y))) if x[i] != y[i]), min(len(x), len(y)))
    return f"    was: {x[max(0, i - 120) : i + 120]}\n    now: {y[max(0, i - 120) : i + 120]}"


def main() -> int:
    if len(sys.argv) != 3 or sys.argv[1] not in ("save", "compare"):
        print(__doc__)
        return 2
    mode, path = sys.argv[1], Path(sys.argv[2])
    records = replay()
    if mode == "save":
        path.write_bytes(pickle.dumps(records))
        print(f"saved {len(records)} responses to {path}")
        return 0
    reference: list[Record] = pickle.loads(path.read_bytes())  # a file this script wrote
    differ = 0
    for (key, status, value), (key2, status2, value2) in zip(reference, records, strict=False):
        if key != key2 or status != status2 or value != value2:
            differ += 1
            if differ <= 5:
                print(f"DIFF {key[0]} {key[1][:60]} status {status} -> {status2}")
                print(first_difference(value, value2))
    print(f"compared {len(reference)} vs {len(records)} responses, {differ} differ")
    return 1 if differ or len(reference) != len(records) else 0


if __name__ == "__main__":
    raise SystemExit(main())
