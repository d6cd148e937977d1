"""Costs in kroner (TBU method): unit costs against published figures, aggregation, CLI."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import data_sources
from projections import project
from projections.cli import main as projections_main
from projections.needs import (
    compute_needs,
    estimate_care_rates,
    needs_from_population,
    observed_population,
)
from projections.needs.coefficients import value
from projections.needs.costs import COST_COLUMNS, costs, observed_users
from projections.needs.published import figure_from

TBU_YEARS = (2018, 2019, 2020)


@pytest.fixture(scope="module")
def projected():
    needs = compute_needs(project("MMMM", to_year=2036))
    return needs, costs(needs)


@pytest.fixture(scope="module")
def registered():
    """Costs on the registered populations 2017-2023 (TBU years and the care year 2023)."""
    pop, years, kommuner = observed_population(range(2017, 2024))
    return costs(needs_from_population(pop, years, kommuner))


def test_every_row_names_its_price_year_and_kommuner_add_up(projected) -> None:
    _, c = projected
    norway = c.frame("0")
    assert list(norway.columns) == COST_COLUMNS
    assert norway["price_year"].notna().all()
    assert all(str(p) in u for p, u in zip(norway["price_year"], norway["unit"], strict=True))
    assert set(norway["measure"]) == {"kostnad", "demografikostnad"}
    keys = ["year", "sector", "measure"]
    every = c.frame("all").groupby(keys)["value"].sum()
    np.testing.assert_allclose(every.to_numpy(), norway.set_index(keys)["value"].loc[every.index])
    fylker = (
        pd.concat([c.frame(f) for f in sorted({k[:2] for k in c.kommuner})], ignore_index=True)
        .groupby(keys)["value"]
        .sum()
    )
    np.testing.assert_allclose(fylker.to_numpy(), every.to_numpy())
    base = norway[(norway["year"] == 2026) & (norway["measure"] == "demografikostnad")]
    assert (base["value"] == 0).all()


def test_care_parts_add_up_and_care_cost_grows_with_ageing(projected) -> None:
    _, c = projected
    parts = c.get("pleie_og_omsorg_institusjon") + c.get("pleie_og_omsorg_hjemmebasert")
    np.testing.assert_allclose(parts, c.get("pleie_og_omsorg"))
    nat = c.get("pleie_og_omsorg", "demografikostnad").sum(axis=1)
    assert nat[-1] > 0.2 * c.get("pleie_og_omsorg")[0].sum()  # > 20 % more by 2036


def test_unit_costs_agree_with_the_published_checks(projected) -> None:
    """Barnehage: Udir's per child over 3 (2020); grunnskole: the public pupils it implies."""
    _, c = projected
    u = c.unit_costs
    assert u.barnehage.kroner == pytest.approx(u.barnehage_per_child_over_3_published, rel=0.01)
    children = data_sources.read_table("population").query("year == 2022 and 6 <= age <= 15")
    implied_share = u.grunnskole_implied_public_pupils / children["persons"].sum()
    assert implied_share == pytest.approx(u.grunnskole_public_share_gsi, abs=0.02)
    assert {u.barnehage.price_year, u.grunnskole.price_year, u.institusjon.price_year} == {
        2020,
        2021,
        2023,
    }


def test_care_cost_of_2023_users_is_ssbs_total_and_the_gap_is_usage(registered) -> None:
    """The 2023 users observed in the panel cost SSB's 171.9 bn exactly; 2025 rates on the
    registered 2023 population cost less only because usage fell from 2023 to 2025."""
    table = data_sources.read_table("cost_workforce_figures")
    ssb = figure_from(table, "elderly_care", 2023, "gross operating expenditure").value * 1e9
    rates = estimate_care_rates()
    u = registered.unit_costs
    observed = rates.levels.arsverk(observed_users(rates, 2023))  # K, 3
    cost = (
        observed[:, 0] * u.institusjon.kroner + observed[:, 1:].sum(axis=1) * u.hjemmebasert.kroner
    )
    assert cost.sum() == pytest.approx(ssb, rel=1e-9)
    model = registered.get("pleie_og_omsorg")[list(registered.years).index(2023)].sum()
    assert 0.85 * ssb < model < ssb
    panel = data_sources.read_table("care_panel")
    users = panel.groupby("year")[["Y_1_a_ialt", "Y_3_a_ialt"]].sum().sum(axis=1)
    fall = users[2025] / users[2023] - 1  # observed fall in users per year of ageing
    assert fall < 0


def test_yearly_demographic_cost_is_of_tbus_order(registered) -> None:
    """TBU's actual merutgifter 2018-2020 (1.0-1.8 bn, 2020 kr, more sectors) vs ours."""
    table = data_sources.read_table("cost_workforce_figures")
    years = list(registered.years)
    for year in TBU_YEARS:
        tbu = figure_from(
            table, "demography_cost", year, "additional costs from population change: actual"
        ).value
        ours = (
            sum(
                registered.get(s)[years.index(year)].sum()
                - registered.get(s)[years.index(year) - 1].sum()
                for s in ("barnehage", "grunnskole", "pleie_og_omsorg")
            )
            / 1e9
        )
        assert 0.5 * tbu < ours < 2.0 * tbu, (year, tbu, ours)


def test_costs_cli_norway(tmp_path) -> None:
    out = tmp_path / "c.csv"
    assert projections_main(["costs", "--norge", "--to", "2030", "--out", str(out)]) == 0
    df = pd.read_csv(out, dtype={"region": str})
    assert list(df.columns) == COST_COLUMNS
    assert set(df["region"]) == {"0"} and df["year"].max() == 2030
    assert set(df["sector"]) >= {"barnehage", "grunnskole", "pleie_og_omsorg"}


def test_care_total_coefficient_is_the_published_figure() -> None:
    table = data_sources.read_table("cost_workforce_figures")
    ssb = figure_from(table, "elderly_care", 2023, "årsverk in care services")
    assert value("pleie_og_omsorg.total_arsverk_national") == ssb.value == 157076
