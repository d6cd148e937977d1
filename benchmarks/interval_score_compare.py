"""Interval score of the interval model against a saved baseline, on held-out origins.

    # 1. in a checkout of the baseline (e.g. main c1cfd63, before issue 19):
    python benchmarks/interval_score_compare.py --dump /tmp/baseline_bounds.parquet
    # 2. in this checkout:
    python benchmarks/interval_score_compare.py --baseline /tmp/baseline_bounds.parquet

``--dump`` writes, for origins 2015-2021 at 5 years and 2015-2016 at 10 years, the real-time
bounds (``--base-year B``: the interval model fitted on errors known at B) of every region and
age group at 80 and 95 %, using only the API both versions share (``project``,
``interval_arrays``). The comparison scores both against the registered population (exact
kommuner only, as the backtest) with Gneiting & Raftery's interval score on the log scale (x
100, lower is better), per reporting group of issue 19: kommuner, fylker, Norway (total),
kommuner >= 50 000 (total), kommuner 0-5 and 80+. ``diff_se``: the standard error of the
after - before difference over the origins (each origin's mean score).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

from projections import intervals as iv
from projections.api import project

ORIGINS = [(b, 5) for b in range(2015, 2022)] + [(2015, 10), (2016, 10)]


def dump(path: str) -> None:
    rows = []
    for b, h in ORIGINS:
        res = project("MMMM", base_year=b, to_year=b + h)
        for lv in (80, 95):
            ia = iv.interval_arrays(res, lv)
            y = list(ia.years).index(b + h)
            for gi, g in enumerate(iv.GROUPS):
                rows.append(
                    pd.DataFrame(
                        {
                            "origin": b,
                            "horizon": h,
                            "level": lv,
                            "age_group": g,
                            "region": ia.regions,
                            "median": ia.median[gi, y],
                            "lower": ia.lower[gi, y],
                            "upper": ia.upper[gi, y],
                        }
                    )
                )
    pd.concat(rows, ignore_index=True).to_parquet(path)


def observed() -> pd.DataFrame:
    """Registered values at the held-out targets, exact regions only (backtest_errors)."""
    frames = []
    for b, h in ORIGINS:
        e = iv.backtest_errors([b], h)
        frames.append(e[e["horizon"] == h])
    e = pd.concat(frames, ignore_index=True)
    return e[["origin", "horizon", "level", "region", "age_group", "size", "observed"]]


def scores(bounds: pd.DataFrame, obs: pd.DataFrame) -> pd.DataFrame:
    m = bounds.rename(columns={"level": "pct"}).merge(
        obs, on=["origin", "horizon", "region", "age_group"]
    )
    y, lo, hi = (np.log(m[c].to_numpy()) for c in ("observed", "lower", "upper"))
    alpha = 1 - m["pct"].to_numpy() / 100
    m["score"] = 100 * ((hi - lo) + 2 / alpha * (np.maximum(lo - y, 0) + np.maximum(y - hi, 0)))
    m["covered"] = (y >= lo) & (y <= hi)
    return m


def groups(m: pd.DataFrame) -> dict[str, pd.DataFrame]:
    tot = m[m["age_group"] == "total"]
    k = m[m["level"] == "kommune"]
    return {
        "kommuner": tot[tot["level"] == "kommune"],
        "fylker": tot[tot["level"] == "fylke"],
        "Norway": tot[tot["level"] == "norge"],
        "kommuner >= 50 000": tot[(tot["level"] == "kommune") & (tot["size"] >= 50_000)],
        "kommuner 0-5": k[k["age_group"] == "0-5"],
        "kommuner 80+": k[k["age_group"] == "80+"],
    }


def compare(baseline: str) -> pd.DataFrame:
    obs = observed()
    base = scores(pd.read_parquet(baseline), obs)
    tmp = Path(baseline).with_name("current_bounds.parquet")
    dump(str(tmp))
    new = scores(pd.read_parquet(tmp), obs)
    rows = []
    for name in groups(base):
        for (h, pct), b in groups(base)[name].groupby(["horizon", "pct"]):
            n = groups(new)[name]
            n = n[(n["horizon"] == h) & (n["pct"] == pct)]
            # the difference origin by origin, and its standard error over the origins: a
            # handful of correlated origins, so a small difference is within their noise
            d = n.groupby("origin")["score"].mean() - b.groupby("origin")["score"].mean()
            rows.append(
                {
                    "group": name,
                    "horizon": h,
                    "level": pct,
                    "n": len(n),
                    "score_before": b["score"].mean(),
                    "score_after": n["score"].mean(),
                    "diff_se": d.std(ddof=1) / np.sqrt(len(d)) if len(d) > 1 else np.nan,
                    "coverage_before": 100 * b["covered"].mean(),
                    "coverage_after": 100 * n["covered"].mean(),
                }
            )
    return pd.DataFrame(rows)


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--dump", help="write this version's held-out bounds to this parquet file")
    p.add_argument("--baseline", help="compare with bounds written by --dump")
    args = p.parse_args()
    if args.dump:
        dump(args.dump)
    if args.baseline:
        t = compare(args.baseline)
        pd.set_option("display.width", 200)
        print(t.round(2).to_string(index=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
