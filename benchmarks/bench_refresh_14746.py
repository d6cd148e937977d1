"""`refresh 14746`: time and memory for one response piece, and why pieces are reduced.

    python benchmarks/bench_refresh_14746.py

The real refresh asks for 5 692 200 cells (Norway + 357 kommuner, 2 sexes, 106 ages, 3
alternatives, 25 years) in 8 requests under SSB's 800 000-cell limit. This builds one piece of
that shape from the recorded 14746 metadata (tests/fixtures/jsonstat; values synthetic), then
prints: the JSON size, parse time, reduce time, the tidy frame's memory, and what holding all
8 pieces as one frame (the plain ``SSBClient.data`` path) would take instead.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
META = ROOT / "tests" / "fixtures" / "jsonstat" / "ssb_v0_table_14746_metadata.json"


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from data_sources.projection_14746 import reduce_piece
    from data_sources.ssb import jsonstat, query
    from data_sources.ssb.tables import TABLES

    meta = json.loads(META.read_text(encoding="utf-8"))
    offered = {v["code"]: v["values"] for v in meta["variables"]}
    selection = TABLES["14746"].selection(offered)
    pieces = query.split_selection(selection, query.DEFAULT_MAX_CELLS)
    piece = pieces[0]
    cells = query.cell_count(piece)
    values = np.random.default_rng(1).integers(0, 500, cells).tolist()
    doc = {
        "version": "2.0",
        "class": "dataset",
        "id": list(piece),
        "size": [len(v) for v in piece.values()],
        "dimension": {
            d: {"category": {"index": {c: i for i, c in enumerate(codes)}}}
            for d, codes in piece.items()
        },
        "value": values,
    }
    text = json.dumps(doc)
    start = time.perf_counter()
    frame = jsonstat.parse(text)
    parsed = time.perf_counter() - start
    start = time.perf_counter()
    reduce_piece(frame)
    reduced = time.perf_counter() - start
    frame_mb = frame.memory_usage(deep=True).sum() / 1e6
    print(f"whole query: {query.cell_count(selection):,} cells in {len(pieces)} requests")
    print(f"one piece: {cells:,} cells, JSON {len(text) / 1e6:.1f} MB")
    print(f"parse {parsed:.2f} s, reduce {reduced:.2f} s, tidy frame {frame_mb:.0f} MB")
    print(
        f"all {len(pieces)} pieces as one frame: ~{frame_mb * len(pieces):.0f} MB; reduced per "
        f"piece: ~{frame_mb:.0f} MB at a time"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
