"""Mortality trend (issue 8 item 5): the pandemic years stay out of the improvement rate."""

from __future__ import annotations

import numpy as np

from projections.api import ModelConfig, fit
from projections.inputs import national_data
from projections.mortality import PANDEMIC_YEARS, fit_mortality, smoothed_history


def test_pandemic_years_are_left_out_of_the_trend_but_not_the_jump_off():
    nat = national_data()
    m = fit_mortality(nat, 2023, exclude=PANDEMIC_YEARS)
    pre = fit_mortality(nat, 2019)  # the 20 years 2000-2019
    np.testing.assert_allclose(m.drift, pre.drift, rtol=0, atol=1e-12)
    # the jump-off is still the observed 2021-2023 level, excess mortality included
    _years, mx = smoothed_history(nat, 2023)
    np.testing.assert_allclose(np.exp(m.log_mx0), mx[-3:].mean(axis=0), rtol=1e-12)
    assert m.anchor_year == 2022.0
    kept = fit_mortality(nat, 2023)
    # keeping 2020-2023 flattens the improvement at 90 (real HMD data)
    assert kept.drift[0, 90] > m.drift[0, 90] + 0.002
    assert -0.016 < m.drift[0, 90] < -0.012


def test_downweighting_lies_between_keeping_and_excluding():
    nat = national_data()
    full = fit_mortality(nat, 2023, window=24)  # 2000-2023, weight 1
    half = fit_mortality(nat, 2023, exclude=PANDEMIC_YEARS, exclude_weight=0.5)
    none = fit_mortality(nat, 2023, exclude=PANDEMIC_YEARS)
    d = [x.drift[0, 85:96].mean() for x in (full, half, none)]
    assert d[0] > d[1] > d[2]


def test_main_alternative_uses_the_pre_pandemic_trend():
    assert ModelConfig().mortality_exclude == PANDEMIC_YEARS
    base = fit(2026).mortality
    e_2026, e_2050 = base.e0(2026), base.e0(2050)
    assert (e_2050 - e_2026 > 3.5).all() and (e_2050 - e_2026 < 5.5).all()
    # base years before the pandemic are unaffected (the backtests up to origin 2020)
    assert np.array_equal(
        fit(2019).mortality.drift, fit(2019, ModelConfig(mortality_exclude=())).mortality.drift
    )
