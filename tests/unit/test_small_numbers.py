"""Whole persons and årsverk; counts instead of percentages on small bases (issue 19)."""

from __future__ import annotations

import numpy as np
import pytest

from projections import intervals as iv
from projections import project
from projections.small_numbers import SMALL_BASE, headline, whole, whole_interval


def test_whole_rounds_halves_away_from_zero_and_keeps_nan():
    np.testing.assert_array_equal(whole([0.5, 1.5, 2.5, -0.5, 2.4, -2.6]), [1, 2, 3, -1, 2, -3])
    assert np.isnan(whole(np.nan))
    assert str(whole(-0.2)) == "0.0"


def test_whole_interval_keeps_the_order():
    v, lo, hi = whole_interval([2.9, 6.6], [2.95, 6.4], [2.96, 9.2])
    assert (lo <= v).all() and (v <= hi).all()
    np.testing.assert_array_equal(v, [3, 7])


def test_four_children_get_counts_not_percentages():
    """The issue's headline: 0-5 year olds in the smallest kommune (Utsira, 1151) in 2040,
    with the 80 % interval: told as counts, whole numbers, in order."""
    res = project("MMMM", to_year=2040)
    ia = iv.interval_arrays(res, 80)
    g, r = iv.GROUPS.index("0-5"), ia.index("1151")
    base, y = ia.median[g, 0, r], ia.year_index(2040)
    assert base < SMALL_BASE
    h = headline(base, ia.median[g, y, r], ia.lower[g, y, r], ia.upper[g, y, r])
    assert h.kind == "count" and h.change_pct is None
    assert h.lower <= h.value <= h.upper
    assert all(float(x).is_integer() for x in (h.base, h.value, h.lower, h.upper))


def test_large_base_keeps_percentages():
    """Oslo's 80+ (about 28 000): a percentage headline, from the unrounded figures."""
    res = project("MMMM", to_year=2040)
    ia = iv.interval_arrays(res, 80)
    g, r, y = iv.GROUPS.index("80+"), ia.index("0301"), ia.year_index(2040)
    h = headline(ia.median[g, 0, r], ia.median[g, y, r], ia.lower[g, y, r], ia.upper[g, y, r])
    assert h.kind == "percent"
    assert h.change_pct == pytest.approx(100 * (ia.median[g, y, r] / ia.median[g, 0, r] - 1))
    assert h.lower_pct < h.change_pct < h.upper_pct
