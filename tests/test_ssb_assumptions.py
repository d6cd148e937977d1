"""Stated assumptions: the numbers come from the projection the engine actually ran."""

from __future__ import annotations

import numpy as np
import pytest

from projections import (
    InvalidScenarioError,
    ModelConfig,
    Overrides,
    fit,
    project,
    scenario_assumptions,
    ssb_assumptions,
)


@pytest.mark.parametrize("code", ["MMMM", "LLML", "SSB"])
def test_end_year_values_equal_a_projection_one_year_longer(code):
    a = scenario_assumptions(code)
    longer = project(code, to_year=2051)  # its last flow year is 2050
    assert a.base_year == 2026 and a.end_year == 2050
    assert a.tfr_end == pytest.approx(float(longer.tfr[-1]), abs=1e-9)
    assert a.e0_male_end == pytest.approx(float(longer.e0[-1, 0]), abs=1e-9)
    assert a.e0_female_end == pytest.approx(float(longer.e0[-1, 1]), abs=1e-9)
    res = project(code)
    assert a.tfr_base == res.tfr[0]
    assert (a.e0_male_base, a.e0_female_base) == tuple(res.e0[0])
    intl = res.international.sum(axis=1)
    assert a.net_immigration_base == intl[0] and a.net_immigration_mean == pytest.approx(
        intl.mean()
    )


def test_main_alternative_numbers_match_method_doc():
    a = scenario_assumptions("MMMM")
    assert a.tfr_base == a.tfr_end == pytest.approx(1.44, abs=0.005)  # held at jump-off
    # the 2016-2025 national mean carried forward (the last year: any first-years adjustment
    # of the kommune totals, such as a forecast combination, is over by then)
    fitted = fit(2026, ModelConfig()).migration.international[..., 1:].sum()
    assert a.net_immigration_last == pytest.approx(fitted, rel=1e-9)
    assert a.net_immigration_last == pytest.approx(28_500, abs=100)
    assert 81.5 < a.e0_male_base < a.e0_male_end and a.e0_female_base > a.e0_male_base
    assert a.calibrated_to is None


def test_ssb_counterparts_are_implied_not_stated():
    s = ssb_assumptions()
    assert s.stated is None  # SSB's stated assumptions are not in our data
    assert s.table == "14746" and s.implied.calibrated_to == "14746 MMMM"
    main = scenario_assumptions("MMMM")
    # the diagnosis, now measured: SSB implies lower immigration and higher fertility
    assert s.implied.net_immigration_mean < 0.8 * main.net_immigration_mean
    assert s.implied.tfr_end > main.tfr_end + 0.1


def test_overrides_are_reflected():
    a = scenario_assumptions("MMMM", overrides=Overrides(tfr=1.7, e0_change_2050=2.0))
    assert a.tfr_end == pytest.approx(1.7)
    gain = (a.e0_male_end + a.e0_female_end - a.e0_male_base - a.e0_female_base) / 2
    assert gain == pytest.approx(2.0, abs=0.01)
    assert np.isfinite(a.net_immigration_last)


def test_bad_code():
    with pytest.raises(InvalidScenarioError):
        scenario_assumptions("XYZ")
