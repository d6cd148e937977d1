"""Peer groups (issue 18 item 3): small kommuner borrow from kommuner of similar size, not
from their fylke, whose mean their growing centres set."""

from __future__ import annotations

import numpy as np

from projections import ModelConfig, fit
from projections.inputs import population_data
from projections.peers import SIZE_BANDS, peer_groups


def test_size_bands_from_the_base_year_stock():
    pop = population_data()
    group, n = peer_groups(pop, 2026)
    total = pop.pop[pop.year_index(2026)].sum(axis=(1, 2))
    assert n == len(SIZE_BANDS) + 1 and group.min() == 0 and group.max() == n - 1
    assert (group[total < 1_000] == 0).all() and (group[total >= 50_000] == n - 1).all()
    counts = np.bincount(group, minlength=n)
    assert counts.min() >= 10  # every band has enough kommuner to estimate a mean
    fylke, nf = peer_groups(pop, 2026, "fylke")
    assert nf == 15 and np.array_equal(fylke, pop.fylke_index)


def test_small_kommuner_are_pulled_toward_small_peers_not_the_fylke():
    pop = population_data()
    tot = pop.pop[pop.year_index(2026)].sum(axis=(1, 2))
    small = tot < 1_000
    by_size, by_fylke = fit(2026, ModelConfig()), fit(2026, ModelConfig(peers="fylke"))

    def level(fm):  # mean net domestic migration per inhabitant and year, small kommuner
        return (fm.migration.domestic_count.sum(axis=(1, 2))[small] / tot[small]).mean()

    # small kommuner lose people to the centres: their own peers' mean is lower than the
    # fylke's, so the credibility-weighted level is lower with size peers
    assert level(by_size) < level(by_fylke) < 0
    # the fertility index moves toward the small kommuner' own mean
    raw = by_size.fertility.raw_index
    assert np.array_equal(np.isnan(raw), np.isnan(by_fylke.fertility.raw_index))
    assert not np.array_equal(by_size.fertility.local_index, by_fylke.fertility.local_index)
