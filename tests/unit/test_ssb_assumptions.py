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
    # the stated path (projections/immigration.py): 2025's level decaying toward the 1986-2025
    # mean; both are about 21 700 for base 2026, so the path is nearly flat
    imm = fit(2026, ModelConfig()).immigration
    assert imm.last == pytest.approx(21_678, abs=5) and imm.long_run == pytest.approx(
        21_700, abs=50
    )
    assert a.net_immigration_last == pytest.approx(a.net_immigration_stated[-1], rel=1e-6)
    assert a.net_immigration_mean == pytest.approx(np.mean(a.net_immigration_stated), rel=1e-6)
    assert 81.5 < a.e0_male_base < a.e0_male_end and a.e0_female_base > a.e0_male_base
    assert a.calibrated_to is None


def test_ssb_counterparts_are_implied_not_stated():
    s = ssb_assumptions()
    assert s.stated is None  # SSB's stated assumptions are not in our data
    assert s.table == "14746" and s.implied.calibrated_to == "14746 MMMM"
    main = scenario_assumptions("MMMM")
    # SSB implies about the same immigration (issue 18: ~20 000 a year, ours ~21 700) and
    # higher fertility
    assert 0.8 < s.implied.net_immigration_mean / main.net_immigration_mean < 1.0
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
