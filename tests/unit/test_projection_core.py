"""Behaviour of projections.project() on the real snapshot."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from data_sources import catalogue, read_table
from projections import (
    SCENARIOS,
    InvalidOverridesError,
    InvalidScenarioError,
    InvalidYearError,
    Overrides,
    clear_cache,
    project,
)
from projections.inputs import national_data
from projections.migration import survivors
from projections.mortality import life_table, smoothed_history


@pytest.fixture(scope="module")
def main():
    return project("MMMM")


def _ssb_fylke_total(alt: str, year: int) -> int:
    f = read_table("ssb_projection_fylke")
    return int(f[(f["alternative_code"] == alt) & (f["year"] == year)]["persons"].sum())


def test_shapes_follow_the_contract(main):
    Y, K = len(main.years), len(main.kommuner)
    assert main.years[0] == 2026 and main.years[-1] == 2050
    assert K == 357 and main.kommuner == tuple(catalogue().kommune_codes)
    assert main.population.shape == (Y, K, 2, 106)
    assert main.births.shape == (Y - 1, K, 2)
    assert main.deaths.shape == (Y - 1, K, 2, 106)
    assert main.net_migration.shape == (Y - 1, K, 2, 106)


def test_accounting_identity_holds_for_every_cell(main):
    """population[t+1] == survivors + births surviving to 1 Jan (age 0) + net migration.

    The engine works in float32 with the (float64) survival rounded to float32 once; the
    identity is recomputed with exactly those operations, so it must hold bit for bit.
    """
    f4 = np.float32
    assert main.population.dtype == main.net_migration.dtype == main.births.dtype == f4
    for t in range(len(main.years) - 1):
        P = main.population[t]
        expected = survivors(P, main.survival[t].astype(f4))
        assert expected.dtype == f4
        expected[..., 0] = expected[..., 0] + main.births[t] * main.infant_survival[t].astype(f4)
        expected = expected + main.net_migration[t]
        # same float operations as the engine: identical, not just close
        assert np.array_equal(main.population[t + 1], expected)
        # deaths close the balance of the 1 January stock, with the same float32 products
        assert np.array_equal(main.deaths[t], P - P * main.survival[t].astype(f4))
    # the balancing equation on totals, summed in float64: P' = P + B - D + M. Each float32
    # cell of P' = survivors + M is rounded once (<= 6e-8 relative), so the totals agree to
    # well within 1e-7 relative (~0.6 person for Norway), not to float64 precision.
    f8 = np.float64
    tot = main.population.sum(axis=(1, 2, 3), dtype=f8)
    flows = (
        main.births.sum(axis=(1, 2), dtype=f8)
        - main.deaths.sum(axis=(1, 2, 3), dtype=f8)
        - main.infant_deaths.sum(axis=(1, 2), dtype=f8)
        + main.net_migration.sum(axis=(1, 2, 3), dtype=f8)
    )
    np.testing.assert_allclose(tot[1:], tot[:-1] + flows, rtol=1e-7)


def test_no_negative_population_and_clipping_is_booked(main):
    assert (main.population >= 0).all()
    assert (main.clipped >= 0).all()
    # clipping is inside net migration: international + domestic + clipped = net migration
    nm = main.net_migration.sum(axis=(2, 3), dtype=np.float64)
    np.testing.assert_allclose(nm, main.international + main.domestic + main.clipped, atol=1e-6)


def test_base_year_equals_the_store(main):
    pop = read_table("population")
    p26 = pop[pop["year"] == 2026]
    assert main.total("0")[0] == 5_627_400
    assert main.total("0301")[0] == 728_714
    oslo = p26[p26["kommune_code"] == "0301"].set_index(["sex", "age"])["persons"]
    got = main.region("0301")[0]
    assert got[0, 50] == oslo[(1, 50)] and got[1, 105] == oslo[(2, 105)]
    assert main.total("0")[0] == p26["persons"].sum()


def test_kommuner_sum_to_fylke_and_norway(main):
    cat = catalogue()
    fylker = sum(main.region(f.code) for f in cat.fylker)
    np.testing.assert_allclose(fylker, main.region("0"), rtol=1e-12)
    assert main.region("0").dtype == np.float64  # float32 cells, float64 sums
    np.testing.assert_allclose(
        main.region("0"), main.population.sum(axis=1, dtype=np.float64), rtol=1e-12
    )
    vestland = cat.kommuner_in("46")
    direct = sum(main.region(k) for k in vestland)
    np.testing.assert_allclose(main.region("46"), direct, rtol=1e-12)


def test_survival_probabilities_are_probabilities(main):
    assert ((main.survival > 0) & (main.survival < 1)).all()
    assert ((main.infant_survival > 0.99) & (main.infant_survival < 1)).all()
    # old-age survival declines with age (to the open group)
    assert (np.diff(main.survival[0, :, 60:], axis=-1) < 0).all()


def test_life_expectancy_2023_matches_published_figures():
    """e0 from our life table on HMD 2023 mx: SSB/HMD publish about 81.2 (men), 84.8 (women)."""
    years, mx = smoothed_history(national_data(), 2023)
    assert years[-1] == 2023
    e0 = life_table(mx[-1]).e0
    assert abs(e0[0] - 81.2) < 0.3
    assert abs(e0[1] - 84.8) < 0.3


def test_life_expectancy_improves_in_main_scenario(main):
    assert (main.e0[-1] > main.e0[0] + 1.0).all()
    assert (main.e0[-1] < main.e0[0] + 8.0).all()


def test_main_scenario_is_near_ssb_main_alternative(main):
    ssb_2050 = _ssb_fylke_total("MMMM", 2050)
    assert ssb_2050 == 6_114_899
    ours = main.total("0")[-1]
    assert abs(ours / ssb_2050 - 1) < 0.08


def test_no_migration_gives_plausible_natural_growth():
    no_mig = project("MM00")
    assert np.allclose(no_mig.net_migration, 0.0)
    total_2050 = no_mig.total("0")[-1]
    # natural change only: between -6 % and +3 % of today's population by 2050, well below
    # SSB's main alternative (which includes immigration)
    assert 5_627_400 * 0.94 < total_2050 < 5_627_400 * 1.03
    assert total_2050 < _ssb_fylke_total("MMMM", 2050)


def test_scenario_ordering(main):
    high, low = project("HHMH"), project("LLML")
    assert high.total("0")[-1] > main.total("0")[-1] > low.total("0")[-1]
    assert project("MMMH").total("0")[-1] > main.total("0")[-1] > project("MMML").total("0")[-1]

    def share_80(res):
        p = res.population[-1].sum(axis=(0, 1))
        return p[80:].sum() / p.sum()

    assert share_80(project("LHML")) > share_80(main) > share_80(project("HLMH"))


def test_all_named_scenarios_run():
    for code in SCENARIOS:
        res = project(code, to_year=2030)
        assert res.scenario == code
        assert np.isfinite(res.population).all()


def test_k_is_an_alias_for_m(main):
    k = project("MMKM")
    assert k.scenario == "MMKM"
    assert np.array_equal(k.population, main.population)


def test_results_are_cached():
    first = project("MMMM")
    assert project("MMMM") is first
    assert project("mmmm", base_year=2026, to_year=2050).population is first.population
    clear_cache()  # e.g. after a store refresh: recomputed, same numbers
    again = project("MMMM")
    assert again is not first and np.array_equal(again.population, first.population)


def test_invalid_scenario_lists_valid_codes():
    with pytest.raises(InvalidScenarioError) as err:
        project("MMMX")
    msg = str(err.value)
    assert msg.startswith("Ugyldig scenariokode")
    assert "MMMM" in msg and "LLML" in msg
    with pytest.raises(InvalidScenarioError):
        project(42)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"tfr": 0.3},
        {"tfr": 4.5},
        {"tfr": float("nan")},
        {"migration_multiplier": -0.1},
        {"migration_multiplier": 6},
        {"e0_change_2050": 40},
        {"tfr": "1.5"},
    ],
)
def test_overrides_reject_impossible_values(kwargs):
    with pytest.raises(InvalidOverridesError) as err:
        Overrides(**kwargs)
    assert str(err.value).split()[0] in {"Samlet", "Flyttemultiplikator", "Endring"}


def test_overrides_change_the_projection(main):
    o = project("MMMM", overrides=Overrides(tfr=1.9))
    assert o.births[-1].sum() > main.births[-1].sum() * 1.15
    assert o.assumptions["tfr_target"] == 1.9
    m0 = project("MMMM", overrides=Overrides(migration_multiplier=0))
    np.testing.assert_allclose(m0.net_migration, 0.0)
    e = project("MMMM", overrides=Overrides(e0_change_2050=1.0))
    gain = (e.e0[-1] - e.e0[0]).mean()
    assert abs(gain - 1.0) < 0.15  # 2049 is the last flow year; the target is set for 2050
    with pytest.raises(dataclasses.FrozenInstanceError):
        Overrides(tfr=1.5).tfr = 2.0  # type: ignore[misc]


def test_invalid_years():
    with pytest.raises(InvalidYearError):
        project("MMMM", to_year=2101)
    with pytest.raises(InvalidYearError):
        project("MMMM", base_year=1990)
    with pytest.raises(InvalidYearError):
        project("MMMM", base_year=2026, to_year=2026)


def test_base_year_starts_from_that_years_population():
    res = project("MMMM", base_year=2015, to_year=2020)
    pop = read_table("population")
    assert res.total("0")[0] == pop[pop["year"] == 2015]["persons"].sum()
    assert list(res.years) == list(range(2015, 2021))


def test_frames(main):
    df = main.to_frame("0301")
    assert list(df.columns) == ["scenario", "year", "kommune", "sex", "age", "persons"]
    assert len(df) == len(main.years) * 2 * 106
    assert df.groupby("year")["persons"].sum().iloc[0] == 728_714
    assert (df["persons"].round(2) == df["persons"]).all()
    comp = main.components_frame("03")
    assert list(comp.columns) == [
        "scenario",
        "year",
        "kommune",
        "population",
        "births",
        "deaths",
        "net_migration",
    ]
    c = comp.iloc[:-1]
    nxt = comp["population"].to_numpy()[1:]
    np.testing.assert_allclose(
        nxt, c["population"] + c["births"] - c["deaths"] + c["net_migration"], atol=0.05
    )
    assert len(main.to_frame("all")) == len(main.years) * 357 * 212
