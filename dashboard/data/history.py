"""The registered population (1 January, table 07459) for the pages: one float32 array of
every kommune, age-group sums, and the data's vintage."""

from __future__ import annotations

import logging
import math
from functools import lru_cache

import numpy as np
import pandas as pd

from dashboard.data.regions import region_members
from data_sources import TableNotFoundError, catalogue, read_table, table_meta
from projections.age_groups import DASHBOARD_KEYS, bounds_by_key

log = logging.getLogger("kommunefram")
REGION_CACHE = 1024  # every kommune, fylke and Norway fit


# Age groups shown everywhere (projections.age_groups: the one vocabulary)
AGE_GROUPS: dict[str, tuple[int, int]] = bounds_by_key(DASHBOARD_KEYS)


# -- observed population ---------------------------------------------------------------------
@lru_cache(maxsize=1)
def history_array() -> tuple[np.ndarray, np.ndarray]:
    """Observed population as (years, array[Y, K, 2, 106]) in catalogue kommune order.

    float32 (persons are whole numbers, exact in float32): half the memory; sums are float64.
    """
    pop = read_table("population", columns=["year", "kommune_code", "sex", "age", "persons"])
    years = np.sort(pop["year"].unique())
    codes = catalogue().kommune_codes
    k = pd.Index(codes).get_indexer(pop["kommune_code"])
    y = np.searchsorted(years, pop["year"].to_numpy())
    s = pop["sex"].to_numpy() - 1
    a = np.clip(pop["age"].to_numpy(), 0, 105)
    values = pop["persons"].to_numpy(dtype=float)
    shape = (len(years), len(codes), 2, 106)
    flat = np.ravel_multi_index((y, k, s, a), shape)
    # bincount sums duplicates (if any) and is ~10x faster than np.add.at.
    arr = np.bincount(flat, weights=values, minlength=math.prod(shape)).reshape(shape)
    del pop
    out = arr.astype(np.float32)
    out.setflags(write=False)
    return years.astype(int), out


def group_sums(arr: np.ndarray) -> dict[str, np.ndarray]:
    """Sum the last (age) axis of ``arr`` (… , 2, 106) into AGE_GROUPS, both sexes."""
    both = arr.sum(axis=-2, dtype=np.float64)  # cells are float32
    return {g: both[..., lo : hi + 1].sum(axis=-1) for g, (lo, hi) in AGE_GROUPS.items()}


@lru_cache(maxsize=1)
def history_groups() -> dict[str, np.ndarray]:
    """Observed age-group totals per year and kommune: group -> array[Y, K]."""
    return group_sums(history_array()[1])


@lru_cache(maxsize=REGION_CACHE)
def history_region(code: str) -> np.ndarray:
    """Observed population for a region: array[Y, 2, 106] (float64)."""
    _, arr = history_array()
    return arr[:, region_members(code)].sum(axis=1, dtype=np.float64)


def history_frame(code: str) -> pd.DataFrame:
    """Observed totals per year and age group for a region."""
    years, _ = history_array()
    idx = region_members(code)
    sums = {g: arr[:, idx].sum(axis=1) for g, arr in history_groups().items()}
    return pd.DataFrame({"year": years, **sums})


@lru_cache(maxsize=1)
def data_vintage() -> tuple[int, str, str]:
    """(last observed year, SSB table, SSB's update date dd.mm.yyyy) of the population data."""
    year = int(history_array()[0][-1])
    try:
        meta = table_meta("population")
    except TableNotFoundError:
        log.warning("no provenance record for the population table")
        return year, "07459", ""
    table = (meta.get("ssb_tables") or ["07459"])[0]
    raw = str((meta.get("ssb_updated") or {}).get(table, ""))[:10]
    date = ".".join(reversed(raw.split("-"))) if raw else ""
    return year, table, date
