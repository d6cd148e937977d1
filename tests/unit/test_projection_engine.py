"""The pure numerical core on small synthetic arrays (no data needed)."""

from __future__ import annotations

import numpy as np

from projections.engine import EngineInputs, deaths_by_age, domestic_flow, run
from projections.fertility import cohort_rates
from projections.migration import smooth_age, survivors
from projections.mortality import a0_andreev_kingkade, life_table, survival


def _inputs(K=3, steps=4, S=1.0, fert=0.0, dom=None, intl=None):
    pop0 = np.full((K, 2, 106), 10.0)
    rates = np.zeros((steps, 106))
    rates[:, 15:50] = fert
    zeros = np.zeros((K, 2, 106))
    return EngineInputs(
        pop0=pop0,
        S=np.full((steps, 2, 106), S),
        Sb=np.full((steps, 2), 1.0),
        fert=rates,
        local_index=np.ones(K),
        male_share=0.5,
        international=zeros if intl is None else intl,
        intl_scale=np.ones(steps),
        dom_neg_rate=zeros,
        dom_pos=zeros if dom is None else dom,
        dom_mode="counts",
        pos_is_rate=False,
        dom_scale=np.ones(steps),
    )


def test_ageing_without_events_shifts_cohorts_and_accumulates_open_group():
    out = run(_inputs())
    p = out.population
    assert np.all(p[1][..., 0] == 0)  # no births
    assert np.all(p[1][..., 1:105] == 10)
    assert np.all(p[1][..., 105] == 20)  # 104 and 105+ both land in 105+
    assert np.all(deaths_by_age(out.population, np.ones((4, 2, 106))) == 0)


def test_clipping_prevents_negative_cells_and_is_recorded():
    K = 3
    dom = np.zeros((K, 2, 106))
    dom[0] = -50.0  # more leave than live there
    dom[1] = 50.0
    out = run(_inputs(dom=dom))
    assert (out.population >= 0).all()
    assert out.clipped[0, 0] > 0
    # the booked net migration includes the clip, so the identity still holds exactly
    P, nm = out.population[0], out.net_migration[0]
    s = survivors(P, np.ones((2, 106)))
    assert np.array_equal(out.population[1][..., 1:], (s + nm)[..., 1:])


def test_births_follow_rates_and_sex_ratio():
    out = run(_inputs(fert=0.1, steps=1))
    # 35 fertile cohorts with 10 women each at start and end, rate 0.1: 35 births per kommune
    np.testing.assert_allclose(out.births[0].sum(axis=1), 0.1 * 10 * 35)
    np.testing.assert_allclose(out.births[0][:, 0], out.births[0][:, 1])


def test_engine_does_not_modify_inputs():
    inp = _inputs(S=0.99, fert=0.05)
    before = inp.pop0.copy()
    run(inp)
    assert np.array_equal(inp.pop0, before)


def test_domestic_rebalancing_sums_to_zero():
    rng = np.random.default_rng(1)
    surv = rng.uniform(10, 100, (5, 2, 106))
    rate = -rng.uniform(0, 0.05, (5, 2, 106)) * (rng.uniform(size=(5, 2, 106)) < 0.5)
    pos = np.where(rate < 0, 0, rng.uniform(0, 3, (5, 2, 106)))
    d = domestic_flow(surv, rate, pos, "rebalance", pos_is_rate=False)
    np.testing.assert_allclose(d.sum(axis=0)[(pos.sum(axis=0) > 0)], 0.0, atol=1e-9)


def test_life_table_constant_hazard():
    """Constant mx = m gives e0 close to 1/m and S = exp(-m) away from age 0."""
    mx = np.full((2, 111), 0.02)
    lt = life_table(mx)
    np.testing.assert_allclose(lt.e0, 1 / 0.02, rtol=0.01)
    S, Sb = survival(mx)
    np.testing.assert_allclose(S[:, 10:100], np.exp(-0.02), rtol=1e-3)
    assert ((Sb > 0.98) & (Sb < 1)).all()


def test_a0_is_in_hmd_range():
    a0 = a0_andreev_kingkade(np.array([0.002, 0.002]))
    assert 0.1 < a0[0] < 0.16 and 0.1 < a0[1] < 0.16


def test_cohort_rates_preserve_tfr_and_smoothing_preserves_totals():
    f = np.zeros(106)
    f[20:40] = 0.08
    assert abs(cohort_rates(f).sum() - f.sum()) < 1e-12
    x = np.zeros((2, 106))
    x[:, 30] = 100
    sm = smooth_age(x, 5)
    np.testing.assert_allclose(sm.sum(axis=-1), 100)
    assert sm[0, 30] < 100 and sm[0, 29] > 0 and sm[0, 0] == 0


def test_level_credibility_trusts_stable_kommuner_and_doubts_noisy_ones():
    from projections.migration import level_credibility

    rng = np.random.default_rng(3)
    T, K = 8, 40
    level = rng.normal(0, 0.01, K)  # true levels differ between kommuner
    noise = np.where(np.arange(K) < 20, 0.001, 0.05)  # first half stable, second half noisy
    rates = level + rng.normal(0, 1, (T, K)) * noise
    ok = np.ones((T, K), dtype=bool)
    ok[:, 0] = False  # no usable year: no credibility
    w = level_credibility(rates, ok, np.ones(K), np.zeros(K, dtype=int), 1)
    assert ((w >= 0) & (w <= 1)).all()
    assert w[0] == 0
    assert np.median(w[1:20]) > 0.9 > np.median(w[20:]) * 2
