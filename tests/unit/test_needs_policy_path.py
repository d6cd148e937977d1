"""The policy path "lavere dekning som 2015-2025": per-kommune convergence toward a floor,
the intensity trend on årsverk, and the backtest scoring nurse årsverk."""

from __future__ import annotations

import numpy as np
import pytest

from projections.needs import (
    Assumptions,
    estimate_care_rates,
    needs_from_population,
    observed_population,
)
from projections.needs.backtest import NURSES_ROW, needs_backtest
from projections.needs.usage import FLOOR_QUANTILE, policy_factors, weighted_quantile


@pytest.fixture(scope="module")
def paths():
    pop, _, kommuner = observed_population([2026])
    # the registered 2026 population held to 2040: only usage changes along the path
    held = np.repeat(pop, 15, axis=0)
    yrs = list(range(2026, 2041))
    today = needs_from_population(held, yrs, kommuner)
    policy = needs_from_population(held, yrs, kommuner, Assumptions(usage_path="trend"))
    return today, policy


def test_high_use_kommuner_fall_most_and_the_floor_holds(paths) -> None:
    today, policy = paths
    rates = estimate_care_rates()
    r80 = rates.institution.fine_rates[:, 2]
    ratio = (
        policy.get("institusjon", "brukere_80_89")[-1]
        / today.get("institusjon", "brukere_80_89")[-1]
    )
    has = today.get("institusjon", "brukere_80_89")[-1] > 0
    high = has & (r80 > np.quantile(r80[has], 0.75))
    low = has & (r80 < np.quantile(r80[has], 0.25))
    assert np.median(ratio[high]) < np.median(ratio[low]) <= 1.0
    # nobody is pushed below the floor (10th percentile of rates, weighted by persons)
    persons = today.get("institusjon", "brukere_80_89")[0] / np.where(r80 > 0, r80, np.nan)
    floor = weighted_quantile(r80[has], np.nan_to_num(persons[has]), FLOOR_QUANTILE)
    new_rate = r80 * ratio
    assert (new_rate[has & (r80 > floor)] >= floor - 1e-12).all()


def test_national_pace_is_kept_while_kommuner_converge() -> None:
    """At base-year persons, the national rate follows R x F(t) when no kommune is below f."""
    rates = np.array([[0.05], [0.10], [0.20], [0.40]])
    persons = np.array([[100.0], [100.0], [100.0], [100.0]])
    national = np.array([[1.0], [0.9], [0.7]])
    f = policy_factors(national, rates, persons)[..., 0]  # Y, K
    new = rates[:, 0][None, :] * f
    np.testing.assert_allclose(new.mean(axis=1), rates.mean() * national[:, 0])
    assert f[-1, 0] == 1.0 and f[-1, 3] < f[-1, 2] < f[-1, 1] < 1.0  # the floor kommune stays


def test_arsverk_per_user_follow_the_intensity_trend(paths) -> None:
    today, policy = paths
    rates = estimate_care_rates()
    slope = rates.levels.intensity_slope
    assert 0 < slope < 0.01  # observed 2018-2025: intensity rose a little
    per_user = policy.get("pleie_og_omsorg", "arsverk_institusjon") / policy.get(
        "institusjon", "brukere"
    )
    base = today.get("pleie_og_omsorg", "arsverk_institusjon") / today.get("institusjon", "brukere")
    ok = np.isfinite(per_user[-1]) & np.isfinite(base[-1])
    assert (per_user[-1][ok] > base[-1][ok]).all()


def test_backtest_scores_nurse_arsverk_and_the_policy_path_is_closer_from_2019() -> None:
    t = needs_backtest().summary().set_index(["origin", "service", "usage"])["national_error"]
    today, policy = t[(2019, NURSES_ROW, "today")], t[(2019, NURSES_ROW, "trend")]
    assert 0 < policy < today < 0.15  # +4.0 % vs +8.1 % of SSB's 33 130 nurse årsverk 2025
