"""Map indicators for every kommune, per scenario and year: what the map colours.

One typed object (arrays (indicator, year, kommune)) so the map can pick a year without
building frames: staffing pressure (all sectors' årsverk per 1 000 inhabitants 20-66, and its
change since the base year), care årsverk per 1 000 inhabitants 20-66 and the demographic
cost per inhabitant per sector (each in its own price year: sectors are never added up).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from projections.needs.costs import CostResult, costs
from projections.needs.indicators import ratio
from projections.needs.result import INDICATOR_COLUMNS, NeedsResult

COST_INDICATOR_SECTORS = ("barnehage", "grunnskole", "pleie_og_omsorg")
PER_1000 = "årsverk per 1000 personer 20-66"


@dataclass(frozen=True, eq=False)
class MapIndicators:
    """values[i, y, k]: indicator names[i] for years[y] and kommuner[k], in units[i]."""

    scenario: str
    usage: str
    years: np.ndarray  # (Y,)
    kommuner: tuple[str, ...]  # (K,)
    names: tuple[str, ...]  # (I,)
    units: tuple[str, ...]  # (I,)
    values: np.ndarray  # (I, Y, K)

    def get(self, name: str) -> np.ndarray:
        """(Y, K) values of one indicator."""
        return self.values[self.names.index(name)]

    def at(self, name: str, year: int) -> np.ndarray:
        """(K,) values of one indicator in one year, in kommuner order (for the choropleth)."""
        years = [int(y) for y in self.years]
        if int(year) not in years:
            raise KeyError(f"Året {year} er ikke i resultatet (year not in result)")
        return self.get(name)[years.index(int(year))]

    def unit(self, name: str) -> str:
        return self.units[self.names.index(name)]

    def frame(self) -> pd.DataFrame:
        """Tidy: scenario, usage, year, kommune, indicator, value, unit (every kommune)."""
        i, y, k = self.values.shape
        n = i * y * k
        return pd.DataFrame(
            {
                "scenario": np.full(n, self.scenario, dtype=object),
                "usage": np.full(n, self.usage, dtype=object),
                "year": np.tile(np.repeat(np.asarray(self.years, dtype=int), k), i),
                "kommune": np.tile(np.asarray(self.kommuner, dtype=object), i * y),
                "indicator": np.repeat(np.asarray(self.names, dtype=object), y * k),
                "value": self.values.reshape(-1),
                "unit": np.repeat(np.asarray(self.units, dtype=object), y * k),
            }
        )[INDICATOR_COLUMNS]


def map_indicators(needs: NeedsResult, cost: CostResult | None = None) -> MapIndicators:
    """The map's indicators for every kommune of a needs result (costs computed if not given)."""
    c = cost if cost is not None else costs(needs)
    folk = needs.population["folk_20_66"]
    pressure = ratio(needs.get("alle", "arsverk"), folk, 1000.0)
    items: list[tuple[str, np.ndarray, str]] = [
        ("bemanningspress_alle", pressure, PER_1000),
        (
            "bemanningspress_alle_endring",
            pressure - pressure[:1],
            "endring i årsverk per 1000 personer 20-66 fra basisåret",
        ),
        (
            "bemanningspress_pleie_og_omsorg",
            ratio(needs.get("pleie_og_omsorg", "arsverk"), folk, 1000.0),
            PER_1000,
        ),
    ]
    for sector in COST_INDICATOR_SECTORS:
        items.append(
            (
                f"demografikostnad_per_innbygger_{sector}",
                ratio(c.get(sector, "demografikostnad"), c.inhabitants),
                f"kroner per innbygger ({c.price_year(sector)}-priser)",
            )
        )
    return MapIndicators(
        scenario=needs.scenario,
        usage=needs.usage,
        years=needs.years,
        kommuner=needs.kommuner,
        names=tuple(n for n, _, _ in items),
        units=tuple(u for _, _, u in items),
        values=np.stack([v for _, v, _ in items]),
    )
