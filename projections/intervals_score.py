"""Calibration of the interval model: coverage, interval scores and the held-out protocols.

The tests of docs/uncertainty.md, "Calibration test": (a) national z-scores over the long
history, (b) local coverage by size and past-growth class, (c) per-origin coverage against
the spread the model itself implies (simulated), (d) the interval score (a proper score) by
region group. ``calibrate`` fits the production model and writes the committed files.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from data_sources import read_table
from projections.api import available_base_years
from projections.inputs import population_data
from projections.intervals_backtest import FIRST_ORIGIN, MAX_FIT_HORIZON, backtest_errors
from projections.intervals_fit import (
    GROUPS,
    LEVELS,
    MODEL_JSON,
    IntervalModel,
    Z,
    fit_interval_model,
    fit_vintage,
)
from projections.intervals_national import (
    fit_national_spread,
    national_errors,
    rms_by_horizon,
    standardised_national,
)
from projections.needs.usage_uncertainty import (
    SPREAD_JSON,
    fit_usage_spreads,
    held_out_coverage,
    spreads_to_json,
)

COVERAGE_CSV = Path(__file__).resolve().parent / "data" / "interval_coverage.csv"
VALIDATION_LAST_ORIGIN = 2014  # the protocol: fit on origins <= 2014, score 2015+
HELD_OUT_HORIZONS = (5, 10)
SIZE_CLASSES = ((0, 2_000), (2_000, 10_000), (10_000, 50_000), (50_000, 10**9))
SIZE_LABELS = ("< 2 000", "2 000-9 999", "10 000-49 999", ">= 50 000")
# past growth (log, five years before the origin): decliners, stable, growers
GROWTH_CLASSES = ((-np.inf, -0.02), (-0.02, 0.04), (0.04, np.inf))
GROWTH_LABELS = ("decline < -2 %", "-2 to 4 %", "growth > 4 %")
SCORE_GROUPS = ("kommuner", "fylker", "Norway", "kommuner >= 50 000", "0-5", "80+")


def size_class(size: np.ndarray) -> np.ndarray:
    out = np.empty(len(size), dtype=object)
    for (lo, hi), label in zip(SIZE_CLASSES, SIZE_LABELS, strict=True):
        out[(size >= lo) & (size < hi)] = label
    return out


def growth_class(growth: np.ndarray) -> np.ndarray:
    out = np.full(len(growth), "unknown", dtype=object)
    for (lo, hi), label in zip(GROWTH_CLASSES, GROWTH_LABELS, strict=True):
        out[(growth >= lo) & (growth < hi)] = label
    return out


def interval_score(y: np.ndarray, lo: np.ndarray, hi: np.ndarray, level: int) -> np.ndarray:
    """Gneiting & Raftery's interval score (lower is better), on whatever scale y is given."""
    alpha = 1.0 - level / 100.0
    return (hi - lo) + 2 / alpha * np.maximum(lo - y, 0) + 2 / alpha * np.maximum(y - hi, 0)


def score(errors: pd.DataFrame, model: IntervalModel) -> pd.DataFrame:
    """Per error row: covered at 80 and 95 %, relative width (upper - lower) / median, the
    half-width and the interval score in log % (log y against log bounds, x 100)."""
    out = errors.copy()
    rl = out["level"].to_numpy()
    h, n = out["horizon"].to_numpy(), out["size"].to_numpy()
    gr = out["growth"].to_numpy() if "growth" in out else np.full(len(out), np.nan)
    e = out["log_error"].to_numpy()
    for lv in LEVELS:
        hw = np.empty(len(out))
        for g in GROUPS:
            m = (out["age_group"] == g).to_numpy()
            hw[m] = model.half_width(g, lv, h[m], n[m], rl[m])
        out[f"hw_{lv}"] = hw
        out[f"covered_{lv}"] = np.abs(e) <= hw
        out[f"width_{lv}"] = 2 * np.sinh(hw)  # (P e^hw - P e^-hw) / P
        # log y = log P - e; bounds log P -+ hw: the score of -e against [-hw, hw]
        out[f"score_{lv}"] = 100 * interval_score(-e, -hw, hw, lv)
    out["size_class"] = size_class(n)
    out["growth_class"] = growth_class(gr)
    return out


def coverage_summary(scored: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """Coverage (%), mean relative width (%) and mean interval score of the 80 and 95 %
    intervals."""
    agg = {"n": ("log_error", "size")}
    for lv in LEVELS:
        agg[f"coverage_{lv}"] = (f"covered_{lv}", "mean")
        agg[f"width_{lv}"] = (f"width_{lv}", "mean")
    for lv in LEVELS:
        agg[f"score_{lv}"] = (f"score_{lv}", "mean")
    out = scored.groupby(list(by), sort=False).agg(**agg).reset_index()
    for c in out.columns:
        if c.startswith(("coverage_", "width_")):
            out[c] = out[c] * 100.0
    return out


def score_groups(scored: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The issue's reporting groups (total unless the group is an age group)."""
    tot = scored[scored["age_group"] == "total"]
    k = tot[tot["level"] == "kommune"]
    kommuner = scored[scored["level"] == "kommune"]
    return {
        "kommuner": k,
        "fylker": tot[tot["level"] == "fylke"],
        "Norway": tot[tot["level"] == "norge"],
        "kommuner >= 50 000": k[k["size"] >= 50_000],
        "0-5": kommuner[kommuner["age_group"] == "0-5"],
        "80+": kommuner[kommuner["age_group"] == "80+"],
    }


def group_table(scored: pd.DataFrame) -> pd.DataFrame:
    """Coverage and interval score per reporting group and horizon."""
    frames = [
        coverage_summary(f, ["horizon"]).assign(group=name)
        for name, f in score_groups(scored).items()
        if len(f)
    ]
    t = pd.concat(frames, ignore_index=True)
    return t[["group", *[c for c in t.columns if c != "group"]]]


def validation(
    last_fit_origin: int = VALIDATION_LAST_ORIGIN,
) -> tuple[IntervalModel, pd.DataFrame]:
    """Fit on origins <= 2014 (kommune backtest 1-10 years; national history origins <= 2014),
    score later origins at 5 and 10 years."""
    last = int(population_data().years[-1])
    errors = backtest_errors(range(FIRST_ORIGIN, last), MAX_FIT_HORIZON)
    nat = national_errors()
    model = fit_interval_model(
        errors[errors["origin"] <= last_fit_origin], nat[nat["origin"] <= last_fit_origin]
    )
    held = errors[(errors["origin"] > last_fit_origin) & errors["horizon"].isin(HELD_OUT_HORIZONS)]
    return model, score(held, model)


def vintage_scores(origins: Iterable[int], horizon: int = 5) -> pd.DataFrame:
    """Real-time check: each origin's intervals from a model fitted on errors known by then
    (what ``--base-year`` does)."""
    frames = []
    for o in origins:
        model = fit_vintage(o)
        errors = backtest_errors([o], horizon)
        frames.append(score(errors[errors["horizon"] == horizon], model))
    return pd.concat(frames, ignore_index=True)


def national_calibration(first_scored: int = 1991) -> pd.DataFrame:
    """(a) National z-scores over the long history, per age group and horizon: in sample
    (law fitted on all origins) and in real time (origin o scored with the law fitted on
    errors whose target year is <= o)."""
    nat = national_errors()
    nat = nat[nat["horizon"] <= MAX_FIT_HORIZON]
    z_in = standardised_national(nat, fit_national_spread(nat, int(nat["origin"].max()) + 1))
    z_rt = np.full(len(nat), np.nan)
    for o in range(first_scored, int(nat["origin"].max()) + 1):
        m = (nat["origin"] == o).to_numpy()
        z_rt[m] = standardised_national(nat[m], fit_national_spread(nat, o))
    nat = nat.assign(z_in=z_in, z_rt=z_rt)
    rms = rms_by_horizon(nat)
    rows = []
    for (g, h), f in nat.groupby(["age_group", "horizon"], sort=False):
        rt = f["z_rt"].dropna()
        r = rms[(rms["age_group"] == g) & (rms["horizon"] == h)].iloc[0]
        rows.append(
            {
                "age_group": g,
                "horizon": int(h),
                "origins": len(f),
                "non_overlapping": len(f) // int(h),
                "n_effective": r["n_effective"],
                "rms_error": 100 * r["rms"],
                "z_rms": float(np.sqrt(np.mean(f["z_in"] ** 2))),
                "inside_80": 100 * float(np.mean(np.abs(f["z_in"]) <= Z[80])),
                "inside_95": 100 * float(np.mean(np.abs(f["z_in"]) <= Z[95])),
                "z_rms_real_time": float(np.sqrt(np.mean(rt**2))),
                "inside_80_real_time": 100 * float(np.mean(np.abs(rt) <= Z[80])),
            }
        )
    return pd.DataFrame(rows)


def simulated_origin_coverage(
    scored: pd.DataFrame, model: IntervalModel, level: int = 80, n_sim: int = 2000, seed: int = 1
) -> pd.DataFrame:
    """(c) Per origin and horizon, the kommune coverage observed and the 10-90 % range the
    model implies: one national draw N(0, s_nat) shared by all kommuner, local draws
    N(0, q_loc s_loc / z) (the local part alone covering ``level``), coverage of each draw."""
    rng = np.random.default_rng(seed)
    rows = []
    k = scored[scored["level"] == "kommune"]
    for (o, h, g), f in k.groupby(["origin", "horizon", "age_group"], sort=False):
        gm = model.groups[g]
        hw = f[f"hw_{level}"].to_numpy()
        n = f["size"].to_numpy()
        s_nat = float(gm.national_scale(np.array([h]))[0])
        s_loc = gm.local_quantile(level, n, h) * gm.local_scale(h, n) / Z[level]
        nat = rng.normal(0.0, s_nat, (n_sim, 1))
        loc = rng.normal(0.0, 1.0, (n_sim, len(f))) * s_loc[None, :]
        cov = (np.abs(nat + loc) <= hw[None, :]).mean(axis=1) * 100
        lo, hi = np.quantile(cov, [0.1, 0.9])
        obs = 100 * float(f[f"covered_{level}"].mean())
        rows.append(
            {
                "origin": int(o),
                "horizon": int(h),
                "age_group": g,
                "observed": obs,
                "model_p10": float(lo),
                "model_p90": float(hi),
                "inside": bool(lo <= obs <= hi),
            }
        )
    return pd.DataFrame(rows)


def calibrate(write: bool = True) -> dict[str, pd.DataFrame]:
    """Fit the production model (all errors to the last year), score the held-out protocols.

    Writes projections/data/interval_model.json and interval_coverage.csv when ``write``.
    """
    base = available_base_years()[-1]
    model = fit_vintage(base)
    val_model, held = validation()
    vintage = vintage_scores(range(2015, base - 4))
    k = held[held["level"] == "kommune"]
    tables = {
        "national": national_calibration(),
        "by_group": coverage_summary(held, ["level", "horizon", "age_group"]),
        "by_size": coverage_summary(k, ["horizon", "age_group", "size_class"]),
        "by_growth": coverage_summary(k, ["horizon", "age_group", "growth_class"]),
        "scores": group_table(held),
        "per_origin": simulated_origin_coverage(
            held[held["age_group"].isin(["total", "80+"])], val_model
        ),
        "vintage": coverage_summary(vintage, ["level", "age_group"]),
        "vintage_by_size": coverage_summary(
            vintage[vintage["level"] == "kommune"], ["age_group", "size_class"]
        ),
        "vintage_scores": group_table(vintage),
    }
    spreads = fit_usage_spreads()
    last_panel = int(read_table("care_panel", columns=["year"])["year"].max())
    tables["usage_held_out"] = pd.concat(
        [held_out_coverage(level=lv).assign(level=lv) for lv in LEVELS], ignore_index=True
    )
    tables["usage_spread"] = pd.DataFrame(
        [
            {"service": s, "group": g, "tau_5": float(np.exp(v.a + v.b * np.log(5))), "b": v.b}
            | {"tau_10": float(np.exp(v.a + v.b * np.log(10))), "kappa": v.kappa, "phi": v.phi}
            | {"q80": v.q[80], "q95": v.q[95], "changes": v.n}
            for (s, g), v in spreads.items()
        ]
    )
    if write:
        MODEL_JSON.parent.mkdir(parents=True, exist_ok=True)
        MODEL_JSON.write_text(model.to_json(), encoding="utf-8")
        SPREAD_JSON.write_text(spreads_to_json(spreads, last_panel), encoding="utf-8")
        frames = [t.assign(table=name) for name, t in tables.items()]
        pd.concat(frames, ignore_index=True).to_csv(COVERAGE_CSV, index=False, float_format="%.4g")
    tables["model"] = pd.DataFrame(
        [
            {"age_group": g, "a_n": m.national[0], "b_n": m.national[1]}
            | {"a": m.local[0], "b": m.local[1], "c": m.local[2], "d": m.local[3]}
            | {"a_c": m.common[0], "b_c": m.common[1], "h_c": m.common[2]}
            | {"a_f": m.fylke[0], "b_f": m.fylke[1]}
            | {f"q{lv}_beta": m.q_kommune[str(lv)][0] for lv in LEVELS}
            | {f"q{lv}_alpha_5": m.q_kommune[str(lv)][5] for lv in LEVELS}
            | {f"q{lv}_fylke": m.q_fylke[str(lv)] for lv in LEVELS}
            for g, m in model.groups.items()
        ]
    )
    return tables
