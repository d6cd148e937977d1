"""Load store tables into the dense numpy arrays the projection core works on.

Axis order everywhere in ``projections``: (year, kommune, sex, age).
``sex`` index 0 = male (SSB code 1), 1 = female (SSB code 2); ``age`` index 0..105, where 105 is
the open group "105 år eller eldre". Everything here reads through ``data_sources`` only.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pyarrow as pa

from data_sources import catalogue, read_table

N_AGE = 106  # 0..105+
N_SEX = 2
HMD_AGES = 111  # 0..110+


@dataclass(frozen=True)
class PopulationData:
    """1 January stocks by (year, kommune, sex, age) in the 2024 kommune structure.

    ``exact[t, k]`` is False where any row of that kommune-year is an approximation (split
    kommuner before the split) or missing (Vindafjord and Aure in 2005); such kommune-years are
    kept out of rate estimation and backtest scoring.
    """

    years: np.ndarray  # (T,)
    kommuner: tuple[str, ...]  # (K,) catalogue order
    pop: np.ndarray  # (T, K, 2, 106) float64
    exact: np.ndarray  # (T, K) bool
    fylke_index: np.ndarray  # (K,) position of each kommune's fylke in ``fylker``
    fylker: tuple[str, ...]

    def year_index(self, year: int) -> int:
        idx = int(year) - int(self.years[0])
        if idx < 0 or idx >= len(self.years):
            raise KeyError(year)
        return idx


@lru_cache(maxsize=1)
def population_data() -> PopulationData:
    """Pivot the long ``population`` table into a dense array (vectorised, ~50 ms)."""
    cat = catalogue()
    codes = tuple(cat.kommune_codes)
    df = read_table(
        "population", columns=["year", "kommune_code", "sex", "age", "persons", "exact"]
    )
    years = np.arange(int(df["year"].min()), int(df["year"].max()) + 1)
    # dictionary-encode the code column in Arrow (10x faster than a pandas Categorical)
    enc = pa.chunked_array(pa.array(df["kommune_code"])).combine_chunks().dictionary_encode()
    lookup = {c: i for i, c in enumerate(codes)}
    dict_codes = enc.dictionary.to_pylist()
    unknown = [c for c in dict_codes if c not in lookup]
    if unknown:
        raise ValueError(f"population table has kommune codes outside the catalogue: {unknown[:5]}")
    remap = np.array([lookup[c] for c in dict_codes], dtype=np.intp)
    k = remap[enc.indices.to_numpy(zero_copy_only=False)]
    t = df["year"].to_numpy().astype(np.intp) - years[0]
    s = df["sex"].to_numpy().astype(np.intp) - 1
    a = df["age"].to_numpy().astype(np.intp)
    if a.max() >= N_AGE:
        raise ValueError("population table has ages above the open group 105")
    shape = (len(years), len(codes), N_SEX, N_AGE)
    flat = np.ravel_multi_index((t, k, s, a), shape)
    pop = np.zeros(shape)
    pop.reshape(-1)[flat] = df["persons"].to_numpy().astype(np.float64)  # one row per cell
    tk = t * len(codes) + k
    count = np.bincount(tk, minlength=len(years) * len(codes)).reshape(len(years), len(codes))
    if count.max() > N_SEX * N_AGE:
        raise ValueError("population table has duplicate rows")
    bad = np.bincount(tk, weights=~df["exact"].to_numpy(), minlength=count.size)
    inexact = bad.reshape(count.shape) > 0
    exact = (~inexact) & (count == N_SEX * N_AGE)
    fylker = tuple(f.code for f in cat.fylker)
    fidx = np.array([fylker.index(cat.get(c).fylke_code) for c in codes], dtype=np.intp)
    for arr in (pop, exact):
        arr.setflags(write=False)
    return PopulationData(years, codes, pop, exact, fidx, fylker)


@dataclass(frozen=True)
class NationalPopulation:
    """Norway's 1 January stocks (year, sex, age) from 1986: a longer history than the kommuner."""

    years: np.ndarray
    pop: np.ndarray  # (T, 2, 106)


@lru_cache(maxsize=1)
def national_population() -> NationalPopulation:
    df = read_table("population_national")
    df = df[df["sex"] > 0]
    years = np.arange(int(df["year"].min()), int(df["year"].max()) + 1)
    pop = np.zeros((len(years), N_SEX, N_AGE))
    pop[
        df["year"].to_numpy() - years[0],
        df["sex"].to_numpy().astype(np.intp) - 1,
        np.minimum(df["age"].to_numpy(), N_AGE - 1),
    ] = df["persons"].to_numpy()
    pop.setflags(write=False)
    return NationalPopulation(years, pop)


@dataclass(frozen=True)
class NationalData:
    """National HMD/HFD series. mx axes (year, sex, age 0..110+); asfr (year, age 0..105)."""

    mx_years: np.ndarray
    mx: np.ndarray  # (Tm, 2, 111), NaN where HMD has no exposure
    deaths: np.ndarray  # (Tm, 2, 111)
    asfr_years: np.ndarray
    asfr: np.ndarray  # (Tf, 106) by age in completed years (12 = "12 and younger", 55 = "55+")
    births_years: np.ndarray
    male_share_births: np.ndarray  # (Tb,) share of boys among live births


@lru_cache(maxsize=1)
def national_data() -> NationalData:
    mxdf = read_table("hmd_mx").sort_values(["year", "age"])
    mx_years = np.sort(mxdf["year"].unique())
    shape = (len(mx_years), HMD_AGES)
    ti = mxdf["year"].to_numpy() - mx_years[0]
    ai = mxdf["age"].to_numpy()
    mx = np.full((len(mx_years), N_SEX, HMD_AGES), np.nan)
    deaths = np.zeros((len(mx_years), N_SEX, HMD_AGES))
    for s, name in enumerate(("male", "female")):
        m = np.full(shape, np.nan)
        m[ti, ai] = mxdf[f"mx_{name}"].to_numpy()
        mx[:, s] = m
        d = np.zeros(shape)
        d[ti, ai] = mxdf[f"deaths_{name}"].to_numpy()
        deaths[:, s] = d

    fdf = read_table("hfd_asfr")
    asfr_years = np.sort(fdf["year"].unique())
    asfr = np.zeros((len(asfr_years), N_AGE))
    asfr[fdf["year"].to_numpy() - asfr_years[0], fdf["age"].to_numpy()] = fdf["asfr"].to_numpy()

    bdf = read_table("hmd_births").sort_values("year")
    share = (bdf["births_male"] / bdf["births_total"]).to_numpy()
    return NationalData(
        mx_years, mx, deaths, asfr_years, asfr, bdf["year"].to_numpy(), share.astype(float)
    )


def approximate_until(data: PopulationData | None = None) -> dict[str, int]:
    """Kommune code -> last year whose 1 January stock is approximate (not merely missing).

    These are kommuner split after a merger (Ålesund/Haram in 2024; Narvik/Hamarøy and
    Heim/Hitra/Orkland in 2020): SSB publishes no stock for the 2024 borders before the split, so
    the earlier years are an approximation. A base year up to that year rests on it.
    """
    data = population_data() if data is None else data
    present = (data.pop > 0).any(axis=(2, 3))
    approx = ~data.exact & present
    out = {}
    for k in np.flatnonzero(approx.any(axis=0)):
        out[data.kommuner[k]] = int(data.years[np.flatnonzero(approx[:, k])[-1]])
    return out


def approximate_at(base_year: int, codes: list[str] | tuple[str, ...]) -> list[str]:
    """The kommuner among ``codes`` whose stock in ``base_year`` is approximate."""
    until = approximate_until()
    return [c for c in codes if c in until and base_year <= until[c]]
