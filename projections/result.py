"""ProjectionResult: the arrays of one projection plus region aggregation and tidy frames."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from data_sources import catalogue
from projections.engine import deaths_by_age

PERSONS_DECIMALS = 2


def round_persons(values: np.ndarray | pd.Series, decimals: int = PERSONS_DECIMALS) -> np.ndarray:
    """The one rounding used for every published number (CLI, dashboard, CSV): 2 decimals."""
    return np.round(np.asarray(values, dtype=float), decimals)


@dataclass(frozen=True, eq=False)
class ProjectionResult:
    """One scenario's projection for all kommuner. Axis order: (year, kommune, sex, age).

    ``population[0]`` is the observed base-year stock. Flows are indexed by the start year t
    (length Y-1). ``deaths`` is by age on 1 January t; deaths of the year's own births are in
    ``infant_deaths``; ``net_migration`` is by age on 1 January t+1 and already contains
    ``clipped`` (persons added so no cell goes negative). Identity, exactly:
    ``population[t+1] == survivors(population[t]) + births * infant_survival (age 0) + net_migration``.

    Stocks and flows (population, births, net_migration, infant_deaths, deaths) are float32,
    computed with ``survival`` and ``infant_survival`` (stored float64) rounded to float32, so
    the identity holds exactly in float32. Every aggregate (region, total, frames) is summed
    in float64 and returned as float64.
    """

    scenario: str
    years: np.ndarray
    kommuner: tuple[str, ...]
    population: np.ndarray  # (Y, K, 2, 106)
    births: np.ndarray  # (Y-1, K, 2)
    net_migration: np.ndarray  # (Y-1, K, 2, 106)
    infant_deaths: np.ndarray  # (Y-1, K, 2)
    international: np.ndarray  # (Y-1, K) net international migration
    clipped: np.ndarray  # (Y-1, K)
    survival: np.ndarray  # (Y-1, 2, 106) national survival probabilities used
    infant_survival: np.ndarray  # (Y-1, 2)
    male_share: float
    tfr: np.ndarray  # (Y-1,) national TFR assumed for each year
    e0: np.ndarray  # (Y-1, 2) life expectancy at birth (male, female) for each year
    base_year: int
    overrides: object = None
    assumptions: dict = field(default_factory=dict)

    @cached_property
    def deaths(self) -> np.ndarray:
        """(Y-1, K, 2, 106) deaths during year t by age on 1 January t (= P - P * S)."""
        d = deaths_by_age(self.population, self.survival)
        d.setflags(write=False)
        return d

    @cached_property
    def domestic(self) -> np.ndarray:
        """(Y-1, K) net domestic migration before clipping: the rest of net migration."""
        nm = self.net_migration.sum(axis=(2, 3), dtype=np.float64)
        return nm - self.international - self.clipped

    @cached_property
    def _index(self) -> dict[str, int]:
        return {c: i for i, c in enumerate(self.kommuner)}

    def kommune_indices(self, code: str) -> np.ndarray:
        """Positions of the kommuner making up ``code`` (kommune, fylke or "0" = Norway)."""
        codes = catalogue().kommuner_in(str(code))  # raises UnknownRegionError
        return np.array([self._index[c] for c in codes], dtype=np.intp)

    def region(self, code: str) -> np.ndarray:
        """(Y, 2, 106) float64 population of a kommune, fylke or Norway: always a sum of
        kommuner, summed in float64 (the stored cells are float32)."""
        idx = self.kommune_indices(code)
        if len(idx) == 1:
            return self.population[:, idx[0]].astype(np.float64)
        return self.population[:, idx].sum(axis=1, dtype=np.float64)

    def total(self, code: str = "0") -> np.ndarray:
        """(Y,) total population of a region."""
        return self.region(code).sum(axis=(1, 2))

    def _codes(self, region: str | Sequence[str]) -> list[str]:
        if isinstance(region, str):
            return list(self.kommuner) if region == "all" else [region]
        return list(region)

    def to_frame(self, region: str | Sequence[str] = "0") -> pd.DataFrame:
        """Tidy: scenario, year, kommune, sex (1/2), age, persons (rounded to 2 decimals).

        ``region`` is one code, a list of codes or "all" (every kommune); the ``kommune``
        column holds the region code (e.g. "03" for a fylke, "0" for Norway).
        """
        codes = self._codes(region)
        blocks = np.stack([self.region(c) for c in codes], axis=1)  # (Y, R, 2, 106)
        Y, R, S, A = blocks.shape
        years = np.repeat(self.years, R * S * A)
        reg = np.tile(np.repeat(np.array(codes, dtype=object), S * A), Y)
        sex = np.tile(np.repeat(np.array([1, 2]), A), Y * R)
        age = np.tile(np.arange(A), Y * R * S)
        return pd.DataFrame(
            {
                "scenario": self.scenario,
                "year": years.astype(int),
                "kommune": reg,
                "sex": sex,
                "age": age,
                "persons": round_persons(blocks.reshape(-1)),
            }
        )

    def components_frame(
        self, region: str | Sequence[str] = "0", detail: bool = False
    ) -> pd.DataFrame:
        """scenario, year, kommune, population, births, deaths, net_migration (rounded).

        population is the 1 January stock; the flows are those during the year (empty for the
        last year). ``deaths`` includes infant deaths. With ``detail``: international,
        domestic (incl. clipping) and clipped migration too.
        """
        rows = []
        for c in self._codes(region):
            idx = self.kommune_indices(c)
            f8 = np.float64  # cells are float32; every total is summed in float64
            pop = self.population[:, idx].sum(axis=(1, 2, 3), dtype=f8)
            births = np.append(self.births[:, idx].sum(axis=(1, 2), dtype=f8), np.nan)
            deaths = self.deaths[:, idx].sum(axis=(1, 2, 3), dtype=f8) + self.infant_deaths[
                :, idx
            ].sum(axis=(1, 2), dtype=f8)
            nm = self.net_migration[:, idx].sum(axis=(1, 2, 3), dtype=f8)
            d = {
                "scenario": self.scenario,
                "year": self.years.astype(int),
                "kommune": c,
                "population": round_persons(pop),
                "births": round_persons(births),
                "deaths": round_persons(np.append(deaths, np.nan)),
                "net_migration": round_persons(np.append(nm, np.nan)),
            }
            if detail:
                intl = self.international[:, idx].sum(axis=1)
                clip = self.clipped[:, idx].sum(axis=1)
                d["international"] = round_persons(np.append(intl, np.nan))
                d["domestic"] = round_persons(np.append(nm - intl, np.nan))
                d["clipped"] = round_persons(np.append(clip, np.nan))
            rows.append(pd.DataFrame(d))
        return pd.concat(rows, ignore_index=True)
