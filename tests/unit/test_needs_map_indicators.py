"""Map indicators for every kommune: shapes, identities with the region sums, and units."""

from __future__ import annotations

import numpy as np
import pytest

from projections import project
from projections.needs import compute_needs, costs, map_indicators


@pytest.fixture(scope="module")
def indicators():
    needs = compute_needs(project("MMMM", to_year=2040))
    cost = costs(needs)
    return needs, cost, map_indicators(needs, cost)


def test_every_kommune_has_every_indicator_every_year(indicators) -> None:
    needs, _, m = indicators
    assert m.values.shape == (len(m.names), len(needs.years), 357)
    assert np.isfinite(m.values).all()
    assert (m.get("bemanningspress_alle_endring")[0] == 0).all()
    assert (m.get("demografikostnad_per_innbygger_pleie_og_omsorg")[0] == 0).all()
    assert m.unit("demografikostnad_per_innbygger_pleie_og_omsorg").endswith("(2023-priser)")
    assert len(m.frame()) == m.values.size


def test_cost_per_inhabitant_times_inhabitants_adds_up_to_norway(indicators) -> None:
    _, cost, m = indicators
    for sector in ("barnehage", "grunnskole", "pleie_og_omsorg"):
        per = m.get(f"demografikostnad_per_innbygger_{sector}")
        norway = cost.frame("0").query("sector == @sector and measure == 'demografikostnad'")
        np.testing.assert_allclose((per * cost.inhabitants).sum(axis=1), norway["value"])


def test_care_pressure_is_care_arsverk_per_1000_aged_20_66(indicators) -> None:
    needs, _, m = indicators
    y = list(needs.years).index(2040)
    k = needs.kommuner.index("5501")
    arsverk = needs.get("pleie_og_omsorg", "arsverk")[y, k]
    assert m.at("bemanningspress_pleie_og_omsorg", 2040)[k] == pytest.approx(
        1000 * arsverk / needs.population["folk_20_66"][y, k]
    )
    # ageing: care pressure rises in most kommuner by 2040
    rise = m.at("bemanningspress_pleie_og_omsorg", 2040) > m.at(
        "bemanningspress_pleie_og_omsorg", int(needs.years[0])
    )
    assert rise.mean() > 0.8
