"""Sector models on synthetic and observed populations: norms, monotonicity, aggregation."""

from __future__ import annotations

import numpy as np
import pytest

import data_sources
from projections.needs import Assumptions, needs_from_population, observed_population
from projections.needs.coefficients import value

KOMMUNER = ("0301", "1101", "1103")  # Oslo, Eigersund, Stavanger


def flat_population(persons: float = 100.0, years: int = 2) -> np.ndarray:
    return np.full((years, len(KOMMUNER), 2, 106), persons)


def needs(pop: np.ndarray, a: Assumptions | None = None):
    return needs_from_population(pop, list(range(2030, 2030 + pop.shape[0])), KOMMUNER, a)


@pytest.fixture(scope="module")
def observed():
    pop, years, kommuner = observed_population(range(2020, 2027))
    return needs_from_population(pop, years, kommuner)


def test_zero_population_gives_zero_needs() -> None:
    res = needs(np.zeros((3, len(KOMMUNER), 2, 106)))
    assert res.values.shape[0] > 20
    assert np.all(res.values == 0)
    ind = res.indicators("0")
    assert ind["value"].isna().any()  # ratios with zero denominators are NaN, not errors


def test_more_elderly_means_more_care_users_and_arsverk() -> None:
    pop = flat_population()
    more = pop.copy()
    more[1, :, :, 80:] *= 1.5
    res = needs(more)
    for sector, measure in [
        ("hjemmetjenester", "brukere"),
        ("institusjon", "brukere"),
        ("bolig_heldogn", "brukere"),
        ("pleie_og_omsorg", "arsverk_sykepleiere"),
        ("pleie_og_omsorg", "arsverk"),
    ]:
        v = res.get(sector, measure)
        assert np.all(v[1] > v[0]), (sector, measure)
    # children unchanged -> barnehage and grunnskole unchanged
    np.testing.assert_allclose(
        res.get("barnehage", "arsverk")[1], res.get("barnehage", "arsverk")[0]
    )


def test_care_users_scale_linearly_with_population_and_multiplier() -> None:
    pop = flat_population()
    base = needs(pop).get("institusjon", "brukere")
    np.testing.assert_allclose(needs(pop * 2).get("institusjon", "brukere"), 2 * base)
    half = needs(pop, Assumptions(institution_coverage_multiplier=0.5))
    np.testing.assert_allclose(half.get("institusjon", "brukere"), 0.5 * base)


def test_barnehage_norm_gives_legal_ratios() -> None:
    pop = np.zeros((1, len(KOMMUNER), 2, 106))
    pop[..., 1] = 30.0  # 60 one-year-olds per kommune
    pop[..., 4] = 30.0  # 60 four-year-olds
    full = Assumptions(barnehage_coverage=(1, 1, 1, 1, 1, 1), barnehage_staffing_preset="lovkrav")
    res = needs(pop, full)
    np.testing.assert_allclose(res.get("barnehage", "brukere_0_2"), 60)
    # barnehageloven § 26: 1 adult per 3 under 3, per 6 over 3 -> 20 + 10
    np.testing.assert_allclose(res.get("barnehage", "arsverk"), 60 / 3 + 60 / 6)
    # pedagogisk norm: 1 per 7 under 3, 1 per 14 over 3
    np.testing.assert_allclose(res.get("barnehage", "arsverk_pedagogiske_ledere"), 60 / 7 + 60 / 14)
    scaled = Assumptions(
        barnehage_coverage=(1,) * 6,
        barnehage_staffing_preset="norm",
        barnehage_staffing_multiplier=1.2,
    )
    np.testing.assert_allclose(needs(pop, scaled).get("barnehage", "arsverk"), 1.2 * 30)


def test_barnehage_default_coverage_is_udir_2016() -> None:
    pop = np.zeros((1, len(KOMMUNER), 2, 106))
    pop[..., 2] = 50.0
    res = needs(pop)
    np.testing.assert_allclose(
        res.get("barnehage", "brukere"), 100 * value("barnehage.coverage.age_2")
    )


def test_grunnskole_norm_and_actual_presets() -> None:
    pop = np.zeros((1, len(KOMMUNER), 2, 106))
    pop[..., 6:10] = 15.0  # 4 ages x 30 = 120 pupils in grades 1-4
    pop[..., 10:16] = 10.0  # 6 ages x 20 = 120 pupils in grades 5-10
    res = needs(pop, Assumptions(teacher_preset="lovkrav"))
    np.testing.assert_allclose(res.get("grunnskole", "brukere"), 240)
    np.testing.assert_allclose(res.get("grunnskole", "arsverk"), 120 / 15 + 120 / 20)
    actual = needs(
        pop,
        Assumptions(
            teacher_preset="actual",
            actual_pupils_per_teacher_1_4=12.0,
            actual_pupils_per_teacher_5_10=16.0,
            grunnskole_public_share=0.5,
        ),
    )
    np.testing.assert_allclose(actual.get("grunnskole", "brukere"), 120)
    np.testing.assert_allclose(actual.get("grunnskole", "arsverk"), 60 / 12 + 60 / 16)
    assert value("grunnskole.norm.pupils_per_teacher_1_4") == 15
    assert value("grunnskole.norm.pupils_per_teacher_5_10") == 20


def test_round_the_clock_is_institution_plus_housing_and_total_is_sum_of_sectors() -> None:
    res = needs(flat_population())
    np.testing.assert_allclose(
        res.get("heldogns_omsorg", "brukere"),
        res.get("institusjon", "brukere") + res.get("bolig_heldogn", "brukere"),
    )
    np.testing.assert_allclose(
        res.get("alle", "arsverk"),
        res.get("barnehage", "arsverk")
        + res.get("grunnskole", "arsverk")
        + res.get("pleie_og_omsorg", "arsverk"),
    )
    for sector in ("hjemmetjenester", "institusjon", "bolig_heldogn"):
        parts = sum(res.get(sector, f"brukere_{g}") for g in ("0_66", "67_79", "80p"))
        np.testing.assert_allclose(parts, res.get(sector, "brukere"))


def test_fylke_and_norway_are_sums_of_kommuner(observed) -> None:
    fylke = "46"
    members = data_sources.catalogue().kommuner_in(fylke)
    allk = observed.frame("all")
    sub = allk[allk["kommune"].isin(members)]
    additive = sub[sub["unit"].isin(["personer", "årsverk"])]
    summed = additive.groupby(["year", "sector", "measure"])["value"].sum()
    agg = observed.frame(fylke).set_index(["year", "sector", "measure"])["value"]
    np.testing.assert_allclose(agg.loc[summed.index].to_numpy(), summed.to_numpy(), rtol=1e-12)
    norway = observed.frame("0").set_index(["year", "sector", "measure"])["value"]
    total = (
        allk[allk["unit"].isin(["personer", "årsverk"])]
        .groupby(["year", "sector", "measure"])["value"]
        .sum()
    )
    np.testing.assert_allclose(norway.loc[total.index].to_numpy(), total.to_numpy(), rtol=1e-12)


def test_ratios_of_aggregates_come_from_sums_not_averages(observed) -> None:
    fylke = "46"
    members = data_sources.catalogue().kommuner_in(fylke)
    idx = [observed.kommuner.index(k) for k in members]
    arsverk = observed.get("pleie_og_omsorg", "arsverk")[:, idx].sum(1)
    folk = observed.population["folk_20_66"][:, idx].sum(1)
    f = observed.frame(fylke)
    per1000 = f[(f["sector"] == "pleie_og_omsorg") & (f["measure"] == "arsverk_per_1000_20_66")]
    np.testing.assert_allclose(per1000["value"].to_numpy(), 1000 * arsverk / folk)
    ind = observed.indicators(fylke).set_index(["indicator", "year"])["value"]
    p2066 = observed.population["folk_20_66"][:, idx].sum(1)
    p80 = observed.population["folk_80p"][:, idx].sum(1)
    np.testing.assert_allclose(ind.loc["forsorgerbrok_20_66_per_80p"].to_numpy(), p2066 / p80)
    # an average of kommune ratios would differ
    kommune_ratios = (
        observed.population["folk_20_66"][:, idx] / observed.population["folk_80p"][:, idx]
    )
    assert not np.allclose(kommune_ratios.mean(1), p2066 / p80)


def test_indicator_change_is_relative_to_first_year(observed) -> None:
    ind = observed.indicators("0301").set_index(["indicator", "year"])["value"]
    level = ind.loc["bemanningspress_alle"]
    change = ind.loc["bemanningspress_alle_endring"]
    np.testing.assert_allclose(change.to_numpy(), (level - level.iloc[0]).to_numpy())
    assert change.iloc[0] == 0
    share = ind.loc["andel_20_66_i_pleie_og_omsorg"]
    per1000 = ind.loc["bemanningspress_pleie_og_omsorg"]
    np.testing.assert_allclose(share.to_numpy(), per1000.to_numpy() / 10)


def test_frame_is_tidy_with_contract_columns(observed) -> None:
    f = observed.frame("0301")
    assert list(f.columns) == [
        "scenario",
        "usage",
        "year",
        "kommune",
        "sector",
        "measure",
        "value",
        "unit",
    ]
    assert not f.duplicated(["year", "sector", "measure"]).any()
    assert set(f["kommune"]) == {"0301"}
    assert f.loc[f["measure"] == "arsverk", "unit"].eq("årsverk").all()
    ind = observed.indicators("0")
    assert list(ind.columns) == [
        "scenario",
        "usage",
        "year",
        "kommune",
        "indicator",
        "value",
        "unit",
    ]


def test_unknown_region_and_kommune_raise() -> None:
    res = needs(flat_population())
    with pytest.raises(LookupError):
        res.frame("9999")
    with pytest.raises(KeyError, match="Ingen omsorgsrater"):
        needs_from_population(np.zeros((1, 1, 2, 106)), [2030], ["9999"])
    with pytest.raises(ValueError, match="formen"):
        needs_from_population(np.zeros((1, 1, 106)), [2030], ["0301"])


def test_every_sector_measure_and_indicator_has_a_label(observed) -> None:
    from projections.needs import INDICATOR_LABELS, MEASURE_LABELS, SECTOR_LABELS, label

    f = observed.frame("0301")
    assert set(f["sector"]) <= set(SECTOR_LABELS)
    assert set(f["measure"]) <= set(MEASURE_LABELS)
    assert set(observed.indicators("0301")["indicator"]) <= set(INDICATOR_LABELS)
    assert label("sector", "barnehage") == "Barnehage"
    assert label("sector", "barnehage", "en") == "Kindergarten"
