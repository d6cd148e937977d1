"""NeedsResult: users and årsverk as one (measure, year, kommune) array, with region views.

Aggregates (fylke, Norway) are sums of kommuner; ratios are computed from the summed numerator
and denominator, never averaged.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from data_sources import catalogue
from projections.needs.assumptions import Assumptions
from projections.needs.indicators import STAFFED_SECTORS, indicator_arrays, ratio

ALL_KOMMUNER = "all"
# usage = the usage path shown ("today" = dagens standard, "trend" = lavere dekning som 2015-2025)
FRAME_COLUMNS = ["scenario", "usage", "year", "kommune", "sector", "measure", "value", "unit"]
INDICATOR_COLUMNS = ["scenario", "usage", "year", "kommune", "indicator", "value", "unit"]


def region_weights(kommuner: tuple[str, ...], region: str) -> tuple[list[str], np.ndarray]:
    """Region codes and a (K, R) 0/1 membership matrix for summing kommuner.

    region = a kommune ("0301"), a fylke ("03"), Norway ("0") or "all" (each kommune apart).
    """
    region = str(region).strip()
    index = {k: i for i, k in enumerate(kommuner)}
    if region.lower() == ALL_KOMMUNER:
        return list(kommuner), np.eye(len(kommuner))
    if region == "0":
        members = list(kommuner)
    elif region in index:
        members = [region]
    else:
        members = [k for k in catalogue().kommuner_in(region) if k in index]
        if not members:
            raise KeyError(
                f"Regionen {region} har ingen kommuner i resultatet (no kommuner in result)"
            )
    w = np.zeros((len(kommuner), 1))
    w[[index[k] for k in members], 0] = 1.0
    return [region], w


@dataclass(frozen=True, eq=False)
class NeedsResult:
    """Needs per kommune. values[m, y, k] is measure keys[m] = (sector, measure, unit)."""

    scenario: str
    usage: str  # usage path: "today" | "trend"
    years: np.ndarray  # (Y,)
    kommuner: tuple[str, ...]  # (K,)
    keys: tuple[tuple[str, str, str], ...]  # (M,)
    values: np.ndarray  # (M, Y, K)
    population: dict[str, np.ndarray]  # name -> (Y, K), see indicators.POPULATION_GROUPS
    assumptions: Assumptions

    def get(self, sector: str, measure: str) -> np.ndarray:
        """(Y, K) array of one sector/measure."""
        for i, (s, m, _) in enumerate(self.keys):
            if s == sector and m == measure:
                return self.values[i]
        raise KeyError(f"Ukjent mål {sector}/{measure} (unknown sector/measure)")

    # --- regions -----------------------------------------------------------------------
    def _weights(self, region: str) -> tuple[list[str], np.ndarray]:
        return region_weights(self.kommuner, region)

    def region_arrays(self, region: str) -> tuple[list[str], np.ndarray, dict[str, np.ndarray]]:
        """Summed values (M, Y, R) and population groups (Y, R) for a region (or all)."""
        codes, w = self._weights(region)
        vals = self.values @ w
        pop = {name: arr @ w for name, arr in self.population.items()}
        return codes, vals, pop

    # --- tidy frames -------------------------------------------------------------------
    def frame(self, region: str = "0") -> pd.DataFrame:
        """Tidy needs: scenario, usage, year, kommune, sector, measure, value, unit.

        `region` = kommune ("0301"), fylke ("03"), Norway ("0") or "all" (every kommune).
        Adds arsverk_per_1000_20_66 per staffed sector, from summed årsverk and population.
        """
        codes, vals, pop = self.region_arrays(region)
        keys = list(self.keys)
        blocks = [vals]
        extra = []
        for sector in STAFFED_SECTORS:
            i = keys.index((sector, "arsverk", "årsverk"))
            extra.append(ratio(vals[i], pop["folk_20_66"], 1000.0))
            keys.append((sector, "arsverk_per_1000_20_66", "per 1000 personer 20-66"))
        blocks.append(np.stack(extra))
        allv = np.concatenate(blocks)  # (M', Y, R)
        return self._long(allv, codes, keys, ("sector", "measure", "unit"), FRAME_COLUMNS)

    def indicators(self, region: str = "0") -> pd.DataFrame:
        """Tidy indicators: scenario, usage, year, kommune, indicator, value, unit."""
        codes, vals, pop = self.region_arrays(region)
        arsverk = {s: vals[self.keys.index((s, "arsverk", "årsverk"))] for s in STAFFED_SECTORS}
        items = indicator_arrays(pop, arsverk)
        allv = np.stack([v for _, v, _ in items])
        keys = [(name, unit) for name, _, unit in items]
        return self._long(allv, codes, keys, ("indicator", "unit"), INDICATOR_COLUMNS)

    def _long(
        self,
        allv: np.ndarray,
        codes: list[str],
        keys: list[tuple[str, ...]],
        key_names: tuple[str, ...],
        columns: list[str],
    ) -> pd.DataFrame:
        m, y, r = allv.shape
        # order: region, measure, year
        data = {
            "scenario": np.full(m * y * r, self.scenario, dtype=object),
            "usage": np.full(m * y * r, self.usage, dtype=object),
            "year": np.tile(np.asarray(self.years, dtype=int), m * r),
            "kommune": np.repeat(np.asarray(codes, dtype=object), m * y),
        }
        for j, name in enumerate(key_names):
            col = np.asarray([k[j] for k in keys], dtype=object)
            data[name] = np.tile(np.repeat(col, y), r)
        data["value"] = allv.transpose(2, 0, 1).reshape(-1)
        return pd.DataFrame(data)[columns]
