"""The spread law separates 'earlier origins erred more' from 'errors grow with the horizon'."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from projections import intervals as iv
from projections import intervals_national as inat


def _national(seed: int = 5, scale: float = 0.004, growth: float = 1.0) -> pd.DataFrame:
    """Synthetic long-history national errors with RMS scale * h^growth (origins 1971-2005)."""
    rng = np.random.default_rng(seed)
    rows = [
        (o, h, g, rng.normal(0.0, scale * h**growth))
        for o in range(1971, 2006)
        for h in range(1, 11)
        for g in iv.GROUPS
    ]
    return pd.DataFrame(rows, columns=["origin", "horizon", "age_group", "log_error"])


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
            rows.append((o, h, "norge", "0", sizes.sum(), nat, nat))
            for f in range(5):
                fy = nat + rng.normal(0.0, 0.002 * h)
                rows.append((o, h, "fylke", f"f{f}", sizes[f::5].sum(), fy, nat))
    cols = ["origin", "horizon", "level", "region", "size", "log_error", "national_log_error"]
    rows = [r if len(r) == 7 else (*r, np.nan) for r in rows]
    df = pd.DataFrame(rows, columns=cols).assign(age_group="total")
    return pd.concat([df.assign(age_group=g) for g in iv.GROUPS], ignore_index=True)


def test_horizon_slope_is_not_confounded_by_noisy_first_origins():
    """Base year 2016: 9- and 10-year errors come only from 2006-2007. With their errors 65 %
    larger at every horizon, a law without origin effects reads that as growth with the
    horizon (slope about 0.7 instead of the true 0.6); with them the slope holds, and the level
    is the mean over the origins (each counted once)."""
    df = _synthetic(first_origin_extra=0.5, last_target=2016)
    model = iv.fit_interval_model(df, _national())
    gm = model.groups["total"]
    a, b, c, d = gm.local
    assert b == pytest.approx(0.6, abs=0.04)
    # E log|N(0, s)| = log s - 0.635; the mean origin is 2 x 0.5 / 10 above the others
    ls = np.log(np.array([1_000.0, 10_000.0, 100_000.0]))
    fitted = a + b * np.log(5) + c * ls + d * ls**2
    true = -1.5 + 0.1 + 0.6 * np.log(5) - 0.3 * ls - 0.635
    np.testing.assert_allclose(fitted, true, atol=0.1)
    # in-sample coverage of the later origins: the law's level is the mean origin, 0.1 above
    # theirs, so their local part is 10.5 % wide of its own 80 % quantile:
    # P(|N(0, 1)| <= 1.2816 x 1.105) = 0.84 (the national part is exact: its law is known)
    k = df[(df["age_group"] == "total") & (df["level"] == "kommune") & (df["origin"] > 2007)]
    scored = iv.score(k, model)
    assert scored["covered_80"].mean() == pytest.approx(0.84, abs=0.03)


def test_national_part_grows_at_least_like_a_random_walk():
    """National errors whose RMS falls with the horizon (by chance, as the 1-3 horizons of the
    early base years did): the law keeps a slope of at least 0.5 (sqrt h)."""
    nat = _national(seed=3, growth=-0.3)
    spread = inat.fit_national_spread(nat, 2100)
    assert spread["total"].b == pytest.approx(inat.MIN_NATIONAL_GROWTH)
    s1, s5 = spread["total"].scale(np.array([1.0, 5.0]))
    assert s5 == pytest.approx(s1 * 5**inat.MIN_NATIONAL_GROWTH)


def test_national_law_recovers_a_known_spread_and_is_used_for_norway():
    """RMS 0.4 % x h: slope 1 and level recovered from the national errors; Norway's
    half-width is then the normal quantile times that spread (no local part)."""
    nat = _national(seed=9, growth=1.0)
    spread = inat.fit_national_spread(nat, 2100)
    assert spread["total"].b == pytest.approx(1.0, abs=0.1)
    assert spread["total"].scale(5.0) == pytest.approx(0.02, rel=0.15)
    model = iv.fit_interval_model(_synthetic(0.0, 2016), nat)
    gm = model.groups["total"]
    hw = gm.half_width(80, np.array([5]), np.array([5e6]), np.array(["norge"]))
    assert hw[0] == pytest.approx(1.2816 * gm.national_scale(np.array([5]))[0], rel=1e-4)
