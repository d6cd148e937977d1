"""The national part of the interval errors, origin by origin, and what was knowable then.

Why this module: the intervals (projections/intervals.py) cover the right share of kommuner
pooled over origins, but single origins miss because every kommune moves with one national
error (docs/uncertainty.md, "Why single origins miss"). Here we measure that error per origin
and horizon (the median kommune log error, and Norway's own) beside the national net
international migration: what the projection assumed, what had just been observed at the
origin, and what followed. Used by ``benchmarks/interval_national_error.py`` and the tests.

Net migration is the demographic residual, as in the projection's own fit
(projections/migration.py): N(t+1) - survivors of N(t), for ages 1+, with observed HMD
survival (the last HMD year's survival for later years).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from projections.api import project
from projections.inputs import national_data, national_population
from projections.migration import survivors
from projections.mortality import smoothed_history, survival

RECENT_YEARS = 3  # "what had just been observed": the mean of the last three years
LONG_YEARS = 10  # the old immigration rule's window (the ten-year mean, before issue 18)


def national_net_migration() -> pd.Series:
    """Net international migration to Norway per calendar year (persons), residual method."""
    nat = national_population()
    hmd = national_data()
    years, mx = smoothed_history(hmd, int(hmd.mx_years[-1]))
    S = survival(mx)[0]  # (T, 2, 106)
    out = {}
    for i, t in enumerate(nat.years[:-1]):
        j = min(int(np.searchsorted(years, t)), len(years) - 1)
        nm = nat.pop[i + 1] - survivors(nat.pop[i], S[j])
        out[int(t)] = float(nm[..., 1:].sum())
    return pd.Series(out, name="net_migration")


def national_errors(errors: pd.DataFrame) -> pd.DataFrame:
    """origin, horizon, age_group, common (median kommune log error), norway (Norway's own).

    ``errors`` as from ``intervals.backtest_errors``; log errors in %.
    """
    k = errors[errors["level"] == "kommune"]
    common = k.groupby(["origin", "horizon", "age_group"])["log_error"].median()
    norway = errors[errors["level"] == "norge"].set_index(["origin", "horizon", "age_group"])
    out = pd.concat([common.rename("common"), norway["log_error"].rename("norway")], axis=1)
    return (out * 100.0).reset_index()


def immigration_at_origins(origins: range, horizon: int = 5) -> pd.DataFrame:
    """Per origin B (thousand persons a year): what the projection from B assumed for the
    first ``horizon`` years (MMMM, summed over kommuner), the last year and the last three
    years observed at B, the ten-year mean before B, and what followed (mean of B..B+h-1,
    NaN where not yet observed). gap_recent = assumed - last three years: knowable at B.
    """
    nm = national_net_migration()
    pop = national_population()
    rows = []
    for b in origins:
        res = project("MMMM", base_year=b, to_year=b + horizon)
        after = [nm.get(t, np.nan) for t in range(b, b + horizon)]
        rows.append(
            {
                "origin": b,
                "assumed": float(res.international.sum(axis=1).mean()),
                "last_year": nm.get(b - 1, np.nan),
                "recent": float(nm.loc[b - RECENT_YEARS : b - 1].mean()),
                "long_mean": float(nm.loc[b - LONG_YEARS : b - 1].mean()),
                "realised": float(np.mean(after)) if np.isfinite(after).all() else np.nan,
                "population": float(pop.pop[b - int(pop.years[0])].sum()),
            }
        )
    out = pd.DataFrame(rows)
    for c in ("assumed", "last_year", "recent", "long_mean", "realised"):
        out[c] /= 1000.0
    out["gap_recent"] = out["assumed"] - out["recent"]
    out["assumption_error"] = out["assumed"] - out["realised"]  # known only afterwards
    # the assumption error as a share of the population after ``horizon`` years, in %
    out["assumption_error_pct"] = (
        100.0 * out["assumption_error"] * 1000.0 * horizon / out["population"]
    )
    return out


def gap_error_correlations(
    table: pd.DataFrame, periods: dict[str, tuple[int, int]]
) -> pd.DataFrame:
    """corr(|gap_recent|, |error|) and corr(gap_recent, error) per period of origins.

    ``table`` has origin, gap_recent and an ``error`` column (the national error or the
    immigration-rule error). A width conditional on the gap needs a stable positive first
    correlation; a centre shifted by the gap needs a stable sign of the second.
    """
    rows = []
    for name, (lo, hi) in periods.items():
        t = table[(table["origin"] >= lo) & (table["origin"] <= hi)].dropna()
        rows.append(
            {
                "period": name,
                "n": len(t),
                "corr_abs": float(t["gap_recent"].abs().corr(t["error"].abs())),
                "corr_signed": float(t["gap_recent"].corr(t["error"])),
            }
        )
    return pd.DataFrame(rows)


def immigration_rule_errors(horizon: int = 5, first_origin: int = 1996) -> pd.DataFrame:
    """The old immigration rule (the ten-year mean, before issue 18's stated level; the
    analysis of docs/uncertainty.md's previous revision) applied to the long national
    series from 1986: per origin its cumulative error after ``horizon`` years in % of the
    population, and the knowable gap (ten-year mean - last three years, thousand a year)."""
    nm = national_net_migration()
    pop = national_population()
    last = int(nm.index[-1])
    rows = []
    for b in range(first_origin, last - horizon + 2):
        m10 = float(nm.loc[b - LONG_YEARS : b - 1].mean())
        p = float(pop.pop[b - int(pop.years[0])].sum())
        rows.append(
            {
                "origin": b,
                "gap_recent": (m10 - float(nm.loc[b - RECENT_YEARS : b - 1].mean())) / 1000.0,
                "error": 100.0 * (horizon * m10 - float(nm.loc[b : b + horizon - 1].sum())) / p,
            }
        )
    return pd.DataFrame(rows)
