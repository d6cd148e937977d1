"""The robust one-year-jump option (evaluated in issue 8, not adopted): Etnedal's 2025 jump."""

from __future__ import annotations

import numpy as np

from projections.api import fit, survival_by_year
from projections.inputs import population_data
from projections.migration import _jump_excess


def test_etnedal_jump_of_2025_is_capped():
    data = population_data()
    surv = survival_by_year(data, fit(2026).mortality, 2026)
    excess = _jump_excess(data, 2026, {t: v[0] for t, v in surv.items()}, 10, 3.0)
    k = data.kommuner.index("3450")
    tot = data.pop.sum(axis=(2, 3))
    assert tot[data.year_index(2025), k] == 1254 and tot[data.year_index(2026), k] == 1593
    assert excess[2025][k] > 200  # most of the +339 persons is beyond 3 robust SDs
    assert excess[2025][k] < 339
    # a large kommune with steady growth is left alone
    assert all(abs(e[data.kommuner.index("0301")]) == 0 for e in excess.values())
    assert np.isfinite(np.concatenate(list(excess.values()))).all()
