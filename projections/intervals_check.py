"""Coverage of the CLI's intervals against the registered population (held-out origins).

What a sceptical user does: run ``python -m projections intervals --kommune all --base-year B
--to B+H --level 80 --level 95`` (every rate and the interval model fitted on data up to B
only) and count how many kommuner's registered population of year B+H (store table
``population``, 2024 kommune structure) falls inside. Kommuner whose stock is approximate at B
or B+H (split kommuner before the split) are left out, as in the backtest.
Used by ``benchmarks/interval_coverage_report.py`` and the tests.
"""

from __future__ import annotations

import contextlib
import io
import tempfile
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from data_sources import read_table
from projections.intervals_national import INTERVAL_GROUPS as AGE_GROUPS
from projections.intervals_score import SIZE_CLASSES, SIZE_LABELS

GROUP_ORDER = tuple(AGE_GROUPS)


def registered(years: Iterable[int]) -> pd.DataFrame:
    """year, region, age_group, observed, exact: registered 1 January population by group."""
    years = list(years)
    pop = read_table("population", columns=["year", "kommune_code", "age", "persons", "exact"])
    pop = pop[pop["year"].isin(years)]
    frames = []
    for g, (lo, hi) in AGE_GROUPS.items():
        part = pop[(pop["age"] >= lo) & (pop["age"] <= hi)]
        frames.append(
            part.groupby(["year", "kommune_code"], as_index=False)
            .agg(observed=("persons", "sum"), exact=("exact", "all"))
            .assign(age_group=g)
        )
    out = pd.concat(frames, ignore_index=True).rename(columns={"kommune_code": "region"})
    out["region"] = out["region"].astype(str)
    return out


def cli_intervals(base_year: int, to_year: int, levels: Iterable[int] = (80, 95)) -> pd.DataFrame:
    """Run the intervals CLI for every kommune and read its output back."""
    from projections.cli import main

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "iv.parquet"
        argv = ["intervals", "--kommune", "all", "--base-year", str(base_year)]
        argv += ["--to", str(to_year), "--format", "parquet", "--out", str(out)]
        for lv in levels:
            argv += ["--level", str(lv)]
        with contextlib.redirect_stdout(io.StringIO()):
            if main(argv) != 0:
                raise RuntimeError(f"intervals CLI failed: {' '.join(argv)}")
        return pd.read_parquet(out)


def score_origin(df: pd.DataFrame, base_year: int, horizon: int) -> pd.DataFrame:
    """One row per kommune, age group and level: covered, relative width, size class."""
    target = base_year + horizon
    obs = registered([base_year, target])
    size = obs[(obs["year"] == base_year) & (obs["age_group"] == "total")]
    exact_base = size.set_index("region")["exact"]
    size = size.set_index("region")["observed"]
    m = df[df["year"] == target].merge(
        obs[obs["year"] == target].drop(columns="year"), on=["region", "age_group"]
    )
    m = m[m["exact"] & m["region"].map(exact_base).fillna(False).astype(bool)]
    m = m.assign(
        origin=base_year,
        horizon=horizon,
        covered=(m["observed"] >= m["lower"]) & (m["observed"] <= m["upper"]),
        width=(m["upper"] - m["lower"]) / m["median"],
        size=m["region"].map(size).to_numpy(),
    )
    cls = np.empty(len(m), dtype=object)
    for (lo, hi), label in zip(SIZE_CLASSES, SIZE_LABELS, strict=True):
        cls[(m["size"] >= lo) & (m["size"] < hi)] = label
    return m.assign(size_class=cls)


def coverage_table(scored: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Coverage (%) and mean relative width (%) per ``by`` and level, 80 and 95 side by side."""
    t = (
        scored.groupby([*by, "level"], sort=False)
        .agg(n=("covered", "size"), coverage=("covered", "mean"), width=("width", "mean"))
        .reset_index()
    )
    t[["coverage", "width"]] *= 100.0
    wide = t.pivot_table(index=by, columns="level", values=["coverage", "width", "n"])
    wide.columns = [f"{a}_{b}" for a, b in wide.columns]
    wide = wide.reset_index()
    wide["n"] = wide.pop("n_80").astype(int)
    wide = wide.drop(columns=[c for c in wide.columns if c.startswith("n_")])
    cols = [*by, "n", "coverage_80", "coverage_95", "width_80", "width_95"]
    return wide[cols]


def held_out_origins(last_year: int) -> list[tuple[int, int]]:
    """(origin, horizon): 2015.. at 5 years and 2015.. at 10 years, as far as data allow."""
    return [(b, 5) for b in range(2015, last_year - 4)] + [
        (b, 10) for b in range(2015, last_year - 9)
    ]


def national_shock_table(scored: pd.DataFrame) -> pd.DataFrame:
    """Per origin, horizon and age group: the national error and what it does to coverage.

    national_error: the median over kommuner of log(median / observed), in % (the common part
    of the errors, mostly the national immigration level). coverage_{80,95}: share of kommuner
    inside their interval; recentred_{80,95}: the same if every interval were moved by the
    national error (known only afterwards). If the recentred coverage is near or above the
    level while the raw one is far off, the miss of that origin is the national shock, not the
    local spread or the size law.
    """
    s = scored.copy()
    s["e"] = np.log(s["median"] / s["observed"])
    s["hw"] = np.log(s["upper"] / s["median"])  # the intervals are symmetric in logs
    s["national_error"] = s.groupby(["origin", "horizon", "age_group", "level"], observed=True)[
        "e"
    ].transform("median")
    s["recentred"] = (s["e"] - s["national_error"]).abs() <= s["hw"] * (1 + 1e-9)
    t = (
        s.groupby(["origin", "horizon", "age_group", "level"], observed=True)
        .agg(
            national_error=("national_error", "first"),
            coverage=("covered", "mean"),
            recentred=("recentred", "mean"),
        )
        .reset_index()
    )
    t["national_error"] *= 100.0
    t[["coverage", "recentred"]] *= 100.0
    wide = t.pivot_table(
        index=["origin", "horizon", "age_group"],
        columns="level",
        values=["coverage", "recentred"],
        observed=True,
    )
    wide.columns = [f"{a}_{b}" for a, b in wide.columns]
    ne = t.groupby(["origin", "horizon", "age_group"], observed=True)["national_error"].first()
    out = wide.join(ne).reset_index()
    cols = ["origin", "horizon", "age_group", "national_error"]
    return out[cols + [c for c in out.columns if c not in cols]]
