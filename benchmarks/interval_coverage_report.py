"""Per-origin coverage of the intervals CLI on held-out origins (issue 10's Done-when check).

Run: python benchmarks/interval_coverage_report.py [--origins 2010 2016 2019] [--csv FILE]

For each origin B (2015-2021 five years ahead, 2015-2016 ten years ahead, as far as the data
go) it runs ``python -m projections intervals --kommune all --base-year B --to B+H --level 80
--level 95`` in-process and compares with the registered population of B+H. Prints coverage
(%) of the 80 and 95 % intervals and the mean relative width (upper - lower) / median (%), by
origin and age group, by origin and size class (total), pooled over origins, and per origin the
national error with the coverage the intervals would have had if moved by it.
Targets: 80 % intervals cover 75-85 %, 95 % intervals 90-98 %.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout

import pandas as pd  # noqa: E402

from projections import intervals_check as ic  # noqa: E402
from projections.inputs import population_data  # noqa: E402


def _fmt(df: pd.DataFrame) -> str:
    return df.to_string(index=False, float_format=lambda v: f"{v:.1f}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--origins", type=int, nargs="*", help="only these origins")
    parser.add_argument("--csv", help="also write the per-kommune scores to this CSV")
    args = parser.parse_args()
    last = int(population_data().years[-1])
    pairs = ic.held_out_origins(last)
    if args.origins:  # any base year the CLI accepts (2009..), 5 and 10 years as data allow
        pairs = [(b, h) for h in (5, 10) for b in sorted(args.origins) if b + h <= last]
    t0 = time.perf_counter()
    scored = []
    for b, h in pairs:
        df = ic.cli_intervals(b, b + h)
        scored.append(ic.score_origin(df, b, h))
    s = pd.concat(scored, ignore_index=True)
    s["age_group"] = pd.Categorical(s["age_group"], ic.GROUP_ORDER, ordered=True)
    print("CLI coverage, kommuner: intervals --kommune all --base-year B --to B+H")
    print("(coverage and mean relative width in %; targets 80 %: 75-85, 95 %: 90-98)\n")
    by_origin = ic.coverage_table(s, ["horizon", "origin", "age_group"])
    for h, t in by_origin.groupby("horizon"):
        print(f"== {h} years ahead, by origin and age group")
        print(_fmt(t.drop(columns="horizon").sort_values(["age_group", "origin"])) + "\n")
    tot = s[s["age_group"] == "total"]
    print("== total by origin and size class (population at the origin)")
    print(_fmt(ic.coverage_table(tot, ["horizon", "origin", "size_class"])) + "\n")
    print("== pooled over origins, by age group")
    print(_fmt(ic.coverage_table(s, ["horizon", "age_group"])) + "\n")
    print("== pooled over origins, by size class and age group")
    print(_fmt(ic.coverage_table(s, ["horizon", "size_class", "age_group"])) + "\n")
    print("== national error per origin (median kommune log error, %) and coverage recentred on it")
    shock = ic.national_shock_table(s[s["age_group"].isin(["total", "80+"])])
    print(_fmt(shock) + "\n")
    inside = by_origin[by_origin["age_group"].isin(["total", "80+"])]
    ok80 = inside["coverage_80"].between(75, 85)
    ok95 = inside["coverage_95"].between(90, 98)
    print(
        f"total and 80+, per origin: {int(ok80.sum())}/{len(inside)} in 75-85 at 80 %, "
        f"{int(ok95.sum())}/{len(inside)} in 90-98 at 95 %"
    )
    print(f"({time.perf_counter() - t0:.1f} s)")
    if args.csv:
        s.to_csv(args.csv, index=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
