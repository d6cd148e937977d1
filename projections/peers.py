"""Peer groups of similar kommuner, the prior that small kommuners' rates are shrunk toward.

A kommune of 500 people has too few births and movers for its own rates to be trusted, so its
fertility index and net domestic migration level borrow from a group. Shrinking toward the
fylke (the old prior) pulls remote decliners up toward the mean of their fylke, which its
growing centres set (issue 18: kommuner under 1 000 over-projected by 2-3 % in five years).
The peer group here is kommuner of similar size at the base year (``SIZE_BANDS``): remote
small kommuner resemble each other more than their regional centre. SSB's centrality index
(sentralitetsindeks) would be the natural second axis, but it is not in the store.
"""

from __future__ import annotations

import numpy as np

from projections.inputs import PopulationData

PEER_KINDS = ("fylke", "size")
# band edges (inhabitants at the base year); eight bands, each with 15-90 kommuner in 2026
SIZE_BANDS = (1_000.0, 2_000.0, 3_500.0, 6_000.0, 10_000.0, 20_000.0, 50_000.0)


def peer_groups(pop: PopulationData, base_year: int, kind: str = "size") -> tuple[np.ndarray, int]:
    """(K,) group index of every kommune and the number of groups (data <= base year)."""
    if kind == "fylke":
        return pop.fylke_index, len(pop.fylker)
    if kind != "size":
        raise ValueError(f"ukjent gruppering {kind!r}; gyldige: {PEER_KINDS}")
    total = pop.pop[pop.year_index(base_year)].sum(axis=(1, 2))
    return np.searchsorted(SIZE_BANDS, total, side="right"), len(SIZE_BANDS) + 1
