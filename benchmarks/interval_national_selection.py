"""How the national part of the interval model was chosen: proper scores on origins before 2015.

Run: python benchmarks/interval_national_selection.py        (about 30 s)

Two choices, each scored with the interval score (80 + 95 %, log % x 100, lower is better) in
real time (every scored origin with laws fitted on errors whose target year is <= the origin)
on origins BEFORE the held-out ones (2015-2021); the held-out figures are printed for the
report only, they chose nothing.

1. The long-history law (``fit_national_spread``): every origin weighted equally (the model),
   against origins down-weighted exponentially with a half-life of 40, 20, 10 or 5 years
   (weight 2^-(last target - target) / half-life within each horizon), and origins from 1986
   only (the SSB series). Scored on the long national history, origins 1991-2013, horizons
   1-10 with target <= 2014. With the 80+ error's root mean square by period.
2. How far the recent law (the kommune backtest's common part) is used:
   ``intervals_fit.MIN_COMMON_ORIGINS`` = N, the law fitted on and used up to the last horizon
   seen from N origins, growing at the long history's slope beyond (N = 1: every horizon, about
   the earlier "wider of" rule), and the long-history law alone. Scored on the kommune
   backtest, origins 2009-2014, 5 and 10 years (the issue's groups).

3. Held out, for the report: the coverage of fylker and Norway (total, 80+) against the range
   the model itself implies over seven consecutive, correlated origins.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from projections import intervals_backtest as bt  # noqa: E402
from projections import intervals_fit as fit  # noqa: E402
from projections import intervals_score as sc  # noqa: E402
from projections.intervals_national import (  # noqa: E402
    GROUPS,
    MIN_NATIONAL_GROWTH,
    NationalSpread,
    effective_origins,
    fit_national_spread,
    national_errors,
)

LAST_SELECTION_TARGET = 2014  # no error with a later target year chooses anything (part 1)
SELECTION_ORIGINS = range(2009, 2015)  # kommune backtest origins scored in part 2
HELD_OUT = [(b, 5) for b in range(2015, 2022)] + [(2015, 10), (2016, 10)]


def weighted_spread(
    errors: pd.DataFrame, last_target: int, half_life: float | None, first_origin: int
) -> dict[str, NationalSpread]:
    """``fit_national_spread`` with down-weighted old origins or a later first origin."""
    e = errors[(errors["origin"] + errors["horizon"] <= last_target)]
    e = e[e["origin"] >= first_origin]
    if half_life is None:
        return fit_national_spread(e, last_target)
    out = {}
    for g in GROUPS:
        rows = []
        for h, x in e[e["age_group"] == g].groupby("horizon"):
            if len(x) < 3:
                continue
            x = x.sort_values("origin")
            v = x["log_error"].to_numpy()
            w = 0.5 ** ((last_target - x["origin"].to_numpy() - h) / half_life)
            kish = w.sum() ** 2 / (w**2).sum() / len(v)  # effective share of the origins
            rows.append((h, np.sqrt((w * v**2).sum() / w.sum()), effective_origins(v) * kish))
        h, rms, n_eff = (np.array(c, dtype=float) for c in zip(*rows, strict=True))
        lh, ly, wt = np.log(h), np.log(rms), np.sqrt(np.maximum(n_eff, 1.0))
        b, a = np.polyfit(lh, ly, 1, w=wt)
        if b < MIN_NATIONAL_GROWTH:
            b = MIN_NATIONAL_GROWTH
            a = float(np.average(ly - b * lh, weights=wt**2))
        out[g] = NationalSpread(float(a), float(b), 0, 0.0)
    return out


def long_history_scores(nat: pd.DataFrame) -> pd.DataFrame:
    variants = {"equal (model)": (None, 0), "from 1986": (None, 1986)}
    variants |= {f"half-life {hl}": (hl, 0) for hl in (40, 20, 10, 5)}
    rows = []
    for name, (hl, first) in variants.items():
        for o in range(1991, LAST_SELECTION_TARGET):
            x = nat[(nat["origin"] == o) & (nat["horizon"] <= 10)]
            x = x[x["origin"] + x["horizon"] <= LAST_SELECTION_TARGET]
            spread = weighted_spread(nat, o, hl, first)
            for g in GROUPS:
                y = x[x["age_group"] == g]
                s = spread[g].scale(y["horizon"].to_numpy())
                e = y["log_error"].to_numpy()
                score = sum(
                    100 * sc.interval_score(e, -fit.Z[lv] * s, fit.Z[lv] * s, lv) for lv in (80, 95)
                )
                rows += [{"variant": name, "age_group": g, "score": v} for v in score]
    t = pd.DataFrame(rows).groupby(["age_group", "variant"], sort=False)["score"].mean()
    return t.unstack("variant")


def real_time(errors: pd.DataFrame, nat: pd.DataFrame, cells: list[tuple[int, int]]):
    """Scored rows of each (origin, horizon) cell with the model fitted on what was known at
    the origin, and those models."""
    frames, models = [], {}
    for b, h in cells:
        if b not in models:
            seen = errors[(errors["origin"] < b) & (errors["origin"] + errors["horizon"] <= b)]
            models[b] = fit.fit_interval_model(seen, nat)
        cell = errors[(errors["origin"] == b) & (errors["horizon"] == h)]
        frames.append(sc.score(cell, models[b]))
    return pd.concat(frames, ignore_index=True), models


def kommune_scores(errors: pd.DataFrame, nat: pd.DataFrame, cells: list[tuple[int, int]]):
    """Mean interval score (80 + 95 %) per reporting group and horizon, real-time vintages."""
    t = sc.group_table(real_time(errors, nat, cells)[0])
    index = pd.MultiIndex.from_frame(t[["group", "horizon"]])
    return (t["score_80"] + t["score_95"]).set_axis(index)


def implied_regional_coverage(
    scored: pd.DataFrame, models: dict, group: str, n_sim: int = 20_000, seed: int = 1
) -> tuple[float, np.ndarray, float, float]:
    """Fylker + Norway, 5 years, 80 %: observed coverage over the held-out origins, the
    coverage the model implies (one value per simulation), the model's chance of at least the
    observed and the lag-1 autocorrelation used: the national draws of consecutive origins AR(1) with
    the lag-1 autocorrelation of the long history's 5-year errors (targets <= 2014), fylke
    local draws N(0, q_fylke s_fyl / z)."""
    nat = national_errors()
    e = nat[(nat["age_group"] == group) & (nat["horizon"] == 5)]
    e = e[e["origin"] + 5 <= LAST_SELECTION_TARGET].sort_values("origin")["log_error"]
    x = e.to_numpy() - e.mean()
    r1 = float(x[:-1] @ x[1:] / (x @ x))
    f = scored[(scored["age_group"] == group) & (scored["horizon"] == 5)]
    f = f[f["level"].isin(["fylke", "norge"])]
    rng = np.random.default_rng(seed)
    inside, u = np.zeros(n_sim), rng.normal(size=n_sim)
    for i, (o, x) in enumerate(f.groupby("origin")):
        gm = models[o].groups[group]
        if i:
            u = r1 * u + np.sqrt(1 - r1**2) * rng.normal(size=n_sim)
        s_loc = gm.q_fylke["80"] * float(gm.fylke_scale(np.array([5.0]))[0]) / fit.Z[80]
        loc = rng.normal(size=(n_sim, len(x))) * np.where(x["level"] == "fylke", s_loc, 0.0)
        e_sim = u[:, None] * float(gm.national_scale(np.array([5.0]))[0]) + loc
        inside += (np.abs(e_sim) <= x["hw_80"].to_numpy()[None, :]).sum(axis=1)
    implied = 100 * inside / len(f)
    observed = 100 * float(f["covered_80"].mean())
    chance = float(np.mean(implied >= observed - 1e-9))
    return observed, implied, chance, r1


def main() -> int:
    t0 = time.perf_counter()
    pd.set_option("display.width", 200)
    nat = national_errors()
    print("1. Long-history law, real-time score, origins 1991-2013, targets <= 2014:")
    print(long_history_scores(nat).round(2).to_string())
    five = nat[(nat["age_group"] == "80+") & (nat["horizon"] == 5)].set_index("origin")["log_error"]
    for a, b in ((1971, 1994), (1995, 2009), (2015, 2021)):
        rms = 100 * float(np.sqrt(np.mean(five.loc[a:b] ** 2)))
        print(f"   80+, 5 years, origins {a}-{b}: root mean square error {rms:.2f} %")
    errors = bt.backtest_errors(range(bt.FIRST_ORIGIN, 2026), bt.MAX_FIT_HORIZON)
    select = [(b, h) for b in SELECTION_ORIGINS for h in (5, 10)]
    cols_sel, cols_held = {}, {}
    default = fit.MIN_COMMON_ORIGINS
    for n in (1, 3, 5, 7, 99):
        fit.MIN_COMMON_ORIGINS = n  # 99: never enough origins, the long-history law alone
        name = "long only" if n == 99 else f"N={n}"
        cols_sel[name] = kommune_scores(errors, nat, select)
        cols_held[name] = kommune_scores(errors, nat, HELD_OUT)
    fit.MIN_COMMON_ORIGINS = default
    print("\n2. Recent law up to N origins; selection: kommune backtest origins 2009-2014:")
    print(pd.DataFrame(cols_sel).round(2).to_string())
    print("\n   held out (origins 2015-2021 at 5 years, 2015-2016 at 10; report only):")
    print(pd.DataFrame(cols_held).round(2).to_string())
    scored, models = real_time(errors, nat, HELD_OUT)
    print("\n3. Fylker + Norway, held out, 5 years, 80 %: observed and model-implied coverage")
    for g in ("total", "80+"):
        obs, implied, chance, r1 = implied_regional_coverage(scored, models, g)
        pts = np.percentile(implied, [2.5, 5, 10, 50, 90, 95, 97.5])
        # how often a model exactly as calibrated as it claims meets the 70-92 % band
        in_band = float(np.mean((implied >= 70) & (implied <= 92)))
        print(
            f"   {g}: observed {obs:.1f} %, model 2.5/5/10/50/90/95/97.5 %: {np.round(pts, 1)},"
            f" P(>= observed) {chance:.3f}, P(70-92 %) {in_band:.2f} (lag-1 {r1:.2f})"
        )
    print(f"\n{time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
