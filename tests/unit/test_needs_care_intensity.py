"""Care intensity by service, estimated from the kommune cross-section and tested out of sample."""

from __future__ import annotations

import numpy as np
import pytest

import data_sources
from projections.needs import estimate_care_rates, needs_from_population, observed_population
from projections.needs.care_intensity import SERVICES, fit_care_intensity, wls


@pytest.fixture(scope="module")
def rates():
    return estimate_care_rates()


def test_intensity_is_positive_ordered_and_has_an_interval(rates) -> None:
    ci = rates.intensity
    b = dict(zip(SERVICES, ci.coefficients, strict=True))
    # a nursing-home resident needs far more nurse time than a home-service user
    assert b["institusjon"] > b["bolig_heldogn"] > b["hjemmetjenester"] > 0
    assert b["institusjon"] > 4 * b["hjemmetjenester"]
    lo, hi = ci.interval_90[:, 0], ci.interval_90[:, 1]
    assert np.all(lo < ci.coefficients) and np.all(ci.coefficients < hi)
    assert np.all(hi - lo > 0)
    assert ci.n_kommuner > 340 and ci.years == (2023, 2024, 2025)


def test_held_out_kommuner_are_predicted_well(rates) -> None:
    ci = rates.intensity
    assert ci.held_out_weighted_ape < 0.25
    assert abs(ci.held_out_total_error) < 0.10
    assert ci.held_out_median_ape < 0.30


def test_fit_on_half_of_the_kommuner_predicts_the_other_half() -> None:
    panel = data_sources.read_table("care_panel")
    b = panel[panel["year"] == 2025].dropna(
        subset=["Y_3_a_ialt", "Y_2_ialt", "Y_1_a_ialt", "Y_5_ialt"]
    )
    x = b[["Y_3_a_ialt", "Y_2_ialt", "Y_1_a_ialt"]].to_numpy(float)
    y = b["Y_5_ialt"].to_numpy(float)
    w = 1 / b["folk_ialt"].to_numpy(float)
    odd = b["kommune_code"].astype(int).to_numpy() % 2 == 1
    beta = wls(x[odd], y[odd], w[odd])
    pred = x[~odd] @ beta
    assert abs(pred.sum() / y[~odd].sum() - 1) < 0.10
    # better than one ratio per care user (home + institution), fitted on the same half
    users = x[:, 0] + x[:, 2]
    flat = wls(users[odd, None], y[odd], w[odd])
    err_service = np.abs(pred - y[~odd]).sum()
    err_flat = np.abs(users[~odd] * flat[0] - y[~odd]).sum()
    assert err_service < err_flat


def test_fit_recovers_known_coefficients() -> None:
    rng = np.random.default_rng(3)
    n = 300
    users = rng.uniform(10, 1000, (n, 3)) * np.array([0.1, 0.1, 1.0])
    truth = np.array([0.5, 0.2, 0.05])
    pop = users.sum(1) * 30
    nurses = users @ truth * rng.normal(1, 0.02, n)
    ci = fit_care_intensity(users, nurses, pop, np.arange(n), np.full(n, 2025), (2025,))
    np.testing.assert_allclose(ci.coefficients, truth, rtol=0.05)
    assert np.all(ci.interval_90[:, 0] < truth) and np.all(truth < ci.interval_90[:, 1])


def test_arsverk_by_service_add_up_and_base_year_is_observed(rates) -> None:
    pop, years, kommuner = observed_population([rates.base_year])
    needs = needs_from_population(pop, years, kommuner, rates=rates)
    total = needs.get("pleie_og_omsorg", "arsverk")
    parts = sum(needs.get("pleie_og_omsorg", f"arsverk_{s}") for s in SERVICES)
    np.testing.assert_allclose(parts, total)
    np.testing.assert_allclose(
        needs.get("pleie_og_omsorg", "arsverk_sykepleiere")[0], rates.nurse_observed_base
    )


def test_indicators_follow_actual_staffing_and_care_intensity(rates) -> None:
    from projections.needs import Assumptions

    pop, years, kommuner = observed_population([rates.base_year])
    today = needs_from_population(pop, years, kommuner, rates=rates)
    law = needs_from_population(
        pop,
        years,
        kommuner,
        Assumptions(teacher_preset="lovkrav", barnehage_staffing_preset="lovkrav"),
        rates=rates,
    )
    ind = today.indicators("0").set_index("indicator")["value"]
    ind_law = law.indicators("0").set_index("indicator")["value"]
    folk = today.population["folk_20_66"][0].sum()
    for sector in ("barnehage", "grunnskole", "pleie_og_omsorg"):
        arsverk = today.get(sector, "arsverk")[0].sum()
        assert ind[f"bemanningspress_{sector}"] == pytest.approx(arsverk / folk * 1000)
    assert ind["bemanningspress_grunnskole"] > 1.3 * ind_law["bemanningspress_grunnskole"]
    assert ind["bemanningspress_barnehage"] > 1.2 * ind_law["bemanningspress_barnehage"]
    care = sum(today.get("pleie_og_omsorg", f"arsverk_{s}")[0].sum() for s in SERVICES)
    assert ind["andel_20_66_i_pleie_og_omsorg"] == pytest.approx(care / folk * 100)
