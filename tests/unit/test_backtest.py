"""Backtest scoring: out-of-sample, excluded kommuner, baselines."""

from __future__ import annotations

import numpy as np
import pytest

from projections.backtest import run_backtest
from projections.inputs import population_data


@pytest.fixture(scope="module")
def bt():
    return run_backtest(2019, 5)


def test_scores_against_observed_population(bt):
    data = population_data()
    d = bt.per_kommune
    m = d[(d["method"] == "model") & (d["measure"] == "total")].set_index("kommune")
    i = data.year_index(2024)
    k = data.kommuner.index("0301")
    assert m.loc["0301", "observed"] == data.pop[i, k].sum()
    np.testing.assert_allclose(
        m["ape"], (m["projected"] - m["observed"]).abs() / m["observed"] * 100
    )


def test_approximate_kommuner_are_excluded(bt):
    # Ålesund/Haram (<=2023) and the 2020 splits (<=2019) are approximate in 2019
    assert bt.n_excluded == 7
    kept = set(bt.per_kommune["kommune"])
    assert not kept & {"1508", "1580", "1806", "1875", "5055", "5056", "5059"}
    assert len(kept) == 350


def test_model_beats_constant_population_baseline(bt):
    s = bt.summary()
    tot = s[s["measure"] == "total"].set_index("method")
    assert set(tot.index) == {"model", "constant", "linear", "geometric"}
    assert tot.loc["model", "mape"] < tot.loc["constant", "mape"]
    assert tot.loc["model", "within_5pct"] > tot.loc["constant", "within_5pct"]
    assert 0 < tot.loc["model", "medape"] <= tot.loc["model", "mape"] * 1.5


def test_fit_uses_only_data_up_to_the_base_year():
    """Changing population data after the base year must not change the fitted projection."""
    from projections.api import fit

    a = fit(2015)
    data = population_data()
    # the projection from 2015 starts from the observed 2015 stock, not a later one
    assert np.array_equal(a.pop0, data.pop[data.year_index(2015)])
    # the fertility calibration and migration windows stop at the base year
    assert max(a.fertility.calibration) == 2014
    assert a.mortality.last_year == 2014


def test_future_data_cannot_leak_into_the_fit(monkeypatch):
    """Doubling every stock after the base year leaves the fitted rates unchanged."""
    import dataclasses

    import projections.api as api
    import projections.fitting as fitting

    data = population_data()
    fake = np.array(data.pop)
    fake[data.year_index(2016) :] *= 2.0
    altered = dataclasses.replace(data, pop=fake)
    original = api.fit.__wrapped__(2015, api.ModelConfig())
    monkeypatch.setattr(fitting, "population_data", lambda: altered)
    leaked = api.fit.__wrapped__(2015, api.ModelConfig())
    assert np.array_equal(original.pop0, leaked.pop0)
    assert np.array_equal(original.fertility.local_index, leaked.fertility.local_index)
    assert original.fertility.tfr_jump == leaked.fertility.tfr_jump
    assert np.array_equal(original.migration.international, leaked.migration.international)
    assert np.array_equal(original.migration.dom_neg_rate, leaked.migration.dom_neg_rate)
    assert np.array_equal(original.migration.dom_pos, leaked.migration.dom_pos)
    # and the same manipulation before the base year does change them (the test can fail)
    fake2 = np.array(data.pop)
    fake2[data.year_index(2012) : data.year_index(2015)] *= 1.01
    monkeypatch.setattr(fitting, "population_data", lambda: dataclasses.replace(data, pop=fake2))
    changed = api.fit.__wrapped__(2015, api.ModelConfig())
    assert not np.array_equal(original.migration.dom_pos, changed.migration.dom_pos)
