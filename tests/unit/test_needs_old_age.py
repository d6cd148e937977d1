"""Finer old-age usage: 80+ split into 80-89 and 90+, base year reproduced by age group."""

from __future__ import annotations

import numpy as np
import pytest

import data_sources
from projections.needs import estimate_care_rates, needs_from_population, observed_population
from projections.needs.calibration import calibrate_groups, split_old_age

GROUPS = ("0_66", "67_79", "80p")


@pytest.fixture(scope="module")
def base():
    rates = estimate_care_rates()
    pop, years, kommuner = observed_population([rates.base_year])
    needs = needs_from_population(pop, years, kommuner, rates=rates)
    panel = data_sources.read_table("care_panel")
    obs = panel[panel["year"] == rates.base_year].set_index("kommune_code").reindex(list(kommuner))
    return rates, needs, obs


@pytest.mark.parametrize(
    ("sector", "prefix"), [("hjemmetjenester", "Y_1_a"), ("institusjon", "Y_3_a")]
)
def test_base_year_reproduces_observed_users_by_age_group(base, sector, prefix) -> None:
    rates, needs, obs = base
    service = rates.home if sector == "hjemmetjenester" else rates.institution
    checked = 0
    for g, group in enumerate(GROUPS):
        model = needs.get(sector, f"brukere_{group}")[0]
        published = obs[f"{prefix}_{group}"].to_numpy(float)
        derived = service.observed_groups[:, g]  # published, or total minus the other groups
        total = obs[f"{prefix}_ialt"].to_numpy(float)
        known = obs[[f"{prefix}_{x}" for x in GROUPS]].to_numpy(float)
        consistent = ~(np.isnan(known).sum(1) == 0) | (np.abs(known.sum(1) - total) < 0.5)
        has = ~np.isnan(derived) & consistent
        np.testing.assert_allclose(model[has], derived[has], rtol=1e-9, atol=1e-6)
        direct = ~np.isnan(published) & consistent
        np.testing.assert_allclose(model[direct], published[direct], rtol=1e-9, atol=1e-6)
        checked += int(has.sum())
    assert checked > (700 if sector == "institusjon" else 1000)


def test_80_89_and_90p_add_up_to_80p(base) -> None:
    _, needs, _ = base
    for sector in ("hjemmetjenester", "institusjon", "bolig_heldogn"):
        np.testing.assert_allclose(
            needs.get(sector, "brukere_80_89") + needs.get(sector, "brukere_90p"),
            needs.get(sector, "brukere_80p"),
        )


def test_published_profile_makes_90p_use_more_and_institutions_most(base) -> None:
    rates, _, _ = base
    rho = {s.service: s.ratio_90_to_80_89 for s in (rates.home, rates.institution, rates.housing)}
    # SSB 2004 institution residents and 2008 home-service recipients by age, per inhabitant
    assert rho["institusjon"] == pytest.approx(3.03, abs=0.01)
    assert rho["hjemmetjenester"] == pytest.approx(1.73, abs=0.01)
    assert rho["institusjon"] > rho["bolig_heldogn"] > rho["hjemmetjenester"] > 1


def test_institution_grows_faster_than_home_services_when_80p_ages(base) -> None:
    rates, _, _ = base
    pop, years, kommuner = observed_population([rates.base_year])
    older = pop.copy()
    # move 30 % of everyone aged 80-89 to age 92: the 80+ total is unchanged, the group ages
    moved = older[..., 80:90] * 0.3
    older[..., 80:90] -= moved
    older[..., 92] += moved.sum(axis=-1)
    a = needs_from_population(pop, years, kommuner, rates=rates)
    b = needs_from_population(older, years, kommuner, rates=rates)
    growth = {
        s: b.get(s, "brukere_80p").sum() / a.get(s, "brukere_80p").sum() - 1
        for s in ("hjemmetjenester", "institusjon")
    }
    assert growth["institusjon"] > growth["hjemmetjenester"] > 0.05


def test_calibrate_groups_distributes_the_rest_to_missing_groups() -> None:
    structure = np.array([[0.01, 0.05, 0.2]])
    pop = np.array([[1000.0, 100.0, 50.0]])
    groups = np.array([[np.nan, np.nan, 12.0]])
    r = calibrate_groups(structure, pop, np.array([27.0]), groups)
    users = r * pop
    assert users[0, 2] == pytest.approx(12.0)
    assert users.sum() == pytest.approx(27.0)
    # the missing 15 users are shared 10 : 5 as the structure says
    assert users[0, 0] / users[0, 1] == pytest.approx(2.0)
    fine = split_old_age(r, np.array([40.0]), np.array([10.0]), 3.0)
    assert fine[0, 2] * 40 + fine[0, 3] * 10 == pytest.approx(r[0, 2] * 50)
    assert fine[0, 3] == pytest.approx(3 * fine[0, 2])
