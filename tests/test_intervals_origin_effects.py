"""The spread law separates 'earlier origins erred more' from 'errors grow with the horizon'."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from projections import intervals as iv


def _synthetic(first_origin_extra: float, last_target: int, seed: int = 11) -> pd.DataFrame:
    """Errors with a known law, local level exp(first_origin_extra) higher for the origins
    2006-2007, and only the pairs a forecaster at ``last_target`` has seen (origin + horizon
    <= it)."""
    rng = np.random.default_rng(seed)
    sizes = np.exp(rng.uniform(np.log(300), np.log(500_000), 250))
    rows = []
    for o in range(2006, last_target):
        for h in range(1, min(10, last_target - o) + 1):
            nat = rng.normal(0.0, 0.004 * h)
            level = -1.5 + (first_origin_extra if o <= 2007 else 0.0)
            local = np.exp(level + 0.6 * np.log(h) - 0.3 * np.log(sizes))
            e = nat + rng.normal(0.0, local)
            rows += [
                (o, h, "kommune", f"k{i}", s, x)
                for i, (s, x) in enumerate(zip(sizes, e, strict=True))
            ]
            rows.append((o, h, "norge", "0", sizes.sum(), nat))
    df = pd.DataFrame(
        rows, columns=["origin", "horizon", "level", "region", "size", "log_error"]
    ).assign(age_group="total", national_log_error=np.nan)
    return pd.concat([df.assign(age_group=g) for g in iv.GROUPS], ignore_index=True)


def test_horizon_slope_is_not_confounded_by_noisy_first_origins():
    """Base year 2016: 9- and 10-year errors come only from 2006-2007. With their errors 65 %
    larger at every horizon, a law without origin effects reads that as growth with the
    horizon (slope about 0.7 instead of the true 0.6); with them the slope holds, and the level
    is the mean over the origins (each counted once)."""
    df = _synthetic(first_origin_extra=0.5, last_target=2016)
    model = iv.fit_interval_model(df)
    gm = model.groups["total"]
    a, b, c, d = gm.local
    assert b == pytest.approx(0.6, abs=0.04)
    # E log|N(0, s)| = log s - 0.635; the mean origin is 2 x 0.5 / 10 above the others
    ls = np.log(np.array([1_000.0, 10_000.0, 100_000.0]))
    fitted = a + b * np.log(5) + c * ls + d * ls**2
    true = -1.5 + 0.1 + 0.6 * np.log(5) - 0.3 * ls - 0.635
    np.testing.assert_allclose(fitted, true, atol=0.1)
    # in-sample coverage of the later origins stays right with the standardised quantiles
    k = df[(df["age_group"] == "total") & (df["level"] == "kommune") & (df["origin"] > 2007)]
    scored = iv.score(k, model)
    assert scored["covered_80"].mean() == pytest.approx(0.80, abs=0.04)


def test_national_part_grows_at_least_like_a_random_walk():
    """With three horizons only (base year 2009) the national RMS can fall with the horizon by
    chance; the law keeps a slope of at least 0.5 (sqrt h)."""
    df = _synthetic(first_origin_extra=0.0, last_target=2009, seed=3)
    model = iv.fit_interval_model(df)
    assert model.groups["total"].national[1] >= iv.MIN_NATIONAL_GROWTH
    s5 = model.groups["total"].scale(np.array([5]), np.array([1e9]), local=False)[0]
    s1 = model.groups["total"].scale(np.array([1]), np.array([1e9]), local=False)[0]
    assert s5 >= s1 * 5**iv.MIN_NATIONAL_GROWTH * (1 - 1e-9)
