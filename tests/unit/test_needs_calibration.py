"""Calibration: the last observed panel year is reproduced kommune by kommune."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import data_sources
from projections.needs import estimate_care_rates, needs_from_population, observed_population
from projections.needs.calibration import (
    credibility_rates,
    estimate_care_rates_from,
    fill_single_missing_group,
)


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    return data_sources.read_table("care_panel")


@pytest.fixture(scope="module")
def base(panel: pd.DataFrame):
    rates = estimate_care_rates()
    year = rates.base_year
    pop, years, kommuner = observed_population([year])
    needs = needs_from_population(pop, years, kommuner, rates=rates)
    obs = panel[panel["year"] == year].set_index("kommune_code").reindex(list(kommuner))
    return rates, needs, obs


def test_base_year_is_last_panel_year_and_population_matches_panel(panel, base) -> None:
    rates, needs, obs = base
    assert rates.base_year == panel["year"].max()
    # The panel's folk_* are the 1 January population of the panel year.
    assert np.array_equal(needs.population["folk_80p"][0], obs["folk_80p"].to_numpy(float))
    assert np.array_equal(needs.population["folk_ialt"][0], obs["folk_ialt"].to_numpy(float))


@pytest.mark.parametrize(
    ("sector", "measure", "column"),
    [
        ("hjemmetjenester", "brukere", "Y_1_a_ialt"),
        ("institusjon", "brukere", "Y_3_a_ialt"),
        ("bolig_heldogn", "brukere", "Y_2_ialt"),
        ("pleie_og_omsorg", "arsverk_sykepleiere", "Y_5_ialt"),
    ],
)
def test_each_kommune_with_data_reproduces_observed_base_year(base, sector, measure, column):
    _, needs, obs = base
    model = needs.get(sector, measure)[0]
    observed = obs[column].to_numpy(float)
    has = ~np.isnan(observed)
    assert has.sum() > 340
    np.testing.assert_allclose(model[has], observed[has], rtol=1e-9, atol=1e-6)
    # national sum over kommuner with data equals the panel's national sum
    assert model[has].sum() == pytest.approx(np.nansum(observed), abs=0.5)


def test_published_national_totals_2025(base) -> None:
    _, needs, obs = base
    has = obs["Y_1_a_ialt"].notna().to_numpy()
    assert round(needs.get("hjemmetjenester", "brukere")[0][has].sum()) == 213_654
    assert round(needs.get("pleie_og_omsorg", "arsverk_sykepleiere")[0].sum()) == 33_130


def test_total_care_arsverk_scale_is_national_total_over_nurses_2023(panel) -> None:
    rates = estimate_care_rates()
    nurses_2023 = panel.loc[panel["year"] == 2023, "Y_5_ialt"].sum()
    assert rates.total_per_nurse * nurses_2023 == pytest.approx(157_076)


def test_missing_group_derived_from_total() -> None:
    total = np.array([100.0, 100.0, np.nan, 100.0])
    groups = np.array(
        [
            [10.0, np.nan, 60.0],  # derived 30
            [np.nan, np.nan, 60.0],  # two missing: stays missing
            [10.0, np.nan, 60.0],  # no total: stays missing
            [50.0, np.nan, 60.0],  # negative remainder: stays missing
        ]
    )
    out = fill_single_missing_group(total, groups)
    assert out[0, 1] == 30
    assert np.isnan(out[1, :2]).all() and np.isnan(out[2, 1]) and np.isnan(out[3, 1])


def test_credibility_shrinks_small_kommuner_more_and_fills_missing() -> None:
    rng = np.random.default_rng(1)
    k = 60
    fylke = np.repeat([0, 1], k // 2)
    true = np.where(fylke == 0, 0.1, 0.2) * rng.uniform(0.7, 1.3, k)
    expo = np.tile(np.where(np.arange(k) % 2 == 0, 50.0, 50_000.0)[:, None], (1, 3))
    users = rng.poisson(true[:, None] * expo).astype(float)
    users[5] = np.nan  # a kommune without data
    rate, z = credibility_rates(users, expo, fylke)
    small, large = np.arange(k) % 2 == 0, np.arange(k) % 2 == 1
    assert z[small].max() < z[large & (np.arange(k) != 5)].min()
    assert z[5] == 0
    fylke0 = np.nansum(users[fylke == 0]) / expo[fylke == 0][~np.isnan(users[fylke == 0])].sum()
    assert rate[5] == pytest.approx(fylke0)
    raw = users.sum(1) / expo.sum(1)
    # every estimate lies between the kommune's own rate and the fylke rate
    prior = np.where(fylke == 0, fylke0, rate[5])
    ok = ~np.isnan(raw) & (fylke == 0)
    lo, hi = np.minimum(raw, prior), np.maximum(raw, prior)
    assert np.all((rate[ok] >= lo[ok] - 1e-12) & (rate[ok] <= hi[ok] + 1e-12))


def _synthetic_tables(y1_2010: float, base_users: float):
    """Two kommuner in one fylke, panel 2008-2011 with a broken 2010 home-service value."""
    kommuner = pd.DataFrame({"kommune_code": ["0301", "1101"], "fylke_code": ["03", "03"]})
    rows = []
    for k in ("0301", "1101"):
        for y in range(2008, 2012):
            users = y1_2010 if y == 2010 else (base_users if y == 2011 else 100.0)
            rows.append(
                {
                    "kommune_code": k,
                    "year": y,
                    "folk_0_66": 10_000,
                    "folk_67_79": 1_000,
                    "folk_80p": 500,
                    "Y_1_a_ialt": users,
                    "Y_1_a_0_66": users * 0.2,
                    "Y_1_a_67_79": users * 0.3,
                    "Y_1_a_80p": users * 0.5,
                    "Y_2_ialt": 10.0,
                    "Y_3_a_ialt": 20.0,
                    "Y_3_a_0_66": 2.0,
                    "Y_3_a_67_79": 6.0,
                    "Y_3_a_80p": 12.0,
                    "Y_5_ialt": 30.0,
                }
            )
    population = pd.DataFrame(
        {"year": [2008] * 3, "age": [30, 70, 85], "persons": [1000.0, 100.0, 50.0]}
    )
    return pd.DataFrame(rows), kommuner, population


def test_2010_break_is_excluded_for_home_services() -> None:
    a = estimate_care_rates_from(*_synthetic_tables(10.0, 100.0), window=4)
    b = estimate_care_rates_from(*_synthetic_tables(500.0, 100.0), window=4)
    np.testing.assert_allclose(a.home.structure, b.home.structure)
    # structure is the same age profile in each year: calibration factor is exactly 1
    np.testing.assert_allclose(a.home.scale, 1.0)


def test_structure_is_scaled_to_the_observed_base_year() -> None:
    r = estimate_care_rates_from(*_synthetic_tables(100.0, 130.0), window=3)
    model = (r.home.rates * r.base_population).sum(1)
    np.testing.assert_allclose(model, 130.0)
    # recent average (100, 100, 130 over 2009-2011 excluding 2010 -> 115) scaled by 130/115
    np.testing.assert_allclose(r.home.scale, 130.0 / 115.0)
