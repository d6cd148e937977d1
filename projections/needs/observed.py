"""Observed population as the (Y, K, 2, 106) array the needs model takes (for checks/tests)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def observed_population(
    years: Sequence[int], kommuner: Sequence[str] | None = None
) -> tuple[np.ndarray, np.ndarray, tuple[str, ...]]:
    """Registered 1 January population from the store: (pop, years, kommuner), catalogue order."""
    import data_sources

    df = data_sources.read_table("population")
    codes = (
        tuple(kommuner) if kommuner is not None else tuple(data_sources.catalogue().kommune_codes)
    )
    yrs = np.asarray(list(years), dtype=int)
    df = df[df["year"].isin(yrs) & df["kommune_code"].isin(codes)]
    k_index = {k: i for i, k in enumerate(codes)}
    y_index = {int(y): i for i, y in enumerate(yrs)}
    pop = np.zeros((len(yrs), len(codes), 2, 106))
    yi = df["year"].map(y_index).to_numpy()
    ki = df["kommune_code"].map(k_index).to_numpy()
    si = df["sex"].to_numpy() - 1
    ai = np.minimum(df["age"].to_numpy(), 105)
    np.add.at(pop, (yi, ki, si, ai), df["persons"].to_numpy(dtype=float))
    return pop, yrs, codes
