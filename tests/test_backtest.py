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
