"""Costs in kroner: `kostnad` and `demografikostnad` per sector, kommune and year (TBU method).

kostnad(t) = the model's users or årsverk in year t x today's national unit cost (unit_costs.py),
in the fixed prices of the unit cost's own year; demografikostnad(t) = kostnad(t) - kostnad of
the base (first) year: the extra cost of population change at today's standard (with the
"trend" usage path it also carries the change in usage). Sectors with different price years
are never added up: there is no sourced deflator, so there is no all-sector total.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

import data_sources
from projections.needs.calibration import CareRates, estimate_care_rates
from projections.needs.result import NeedsResult, region_weights
from projections.needs.unit_costs import CARE_YEAR, UnitCosts, unit_costs

COST_SECTORS = (
    "barnehage",
    "grunnskole",
    "pleie_og_omsorg_institusjon",
    "pleie_og_omsorg_hjemmebasert",
    "pleie_og_omsorg",
)
COST_MEASURES = ("kostnad", "demografikostnad")
COST_COLUMNS = [
    "scenario",
    "usage",
    "year",
    "region",
    "sector",
    "measure",
    "value",
    "unit",
    "price_year",
]


def cost_unit(price_year: int) -> str:
    return f"kroner per år ({price_year}-priser)"


@dataclass(frozen=True, eq=False)
class CostResult:
    """kostnad[s, y, k] in kroner per year, sector COST_SECTORS[s], prices of price_years[s]."""

    scenario: str
    usage: str
    years: np.ndarray  # (Y,)
    kommuner: tuple[str, ...]  # (K,)
    sectors: tuple[str, ...]  # (S,)
    price_years: tuple[int, ...]  # (S,)
    kostnad: np.ndarray  # (S, Y, K)
    inhabitants: np.ndarray  # (Y, K) all ages
    unit_costs: UnitCosts

    @property
    def demografikostnad(self) -> np.ndarray:
        """(S, Y, K) cost minus the base year's cost."""
        return self.kostnad - self.kostnad[:, :1, :]

    def get(self, sector: str, measure: str = "kostnad") -> np.ndarray:
        """(Y, K) array of one sector and measure."""
        if measure not in COST_MEASURES:
            raise KeyError(f"Ukjent kostnadsmål {measure!r} (unknown cost measure)")
        arr = self.kostnad if measure == "kostnad" else self.demografikostnad
        return arr[self.sectors.index(sector)]

    def price_year(self, sector: str) -> int:
        return self.price_years[self.sectors.index(sector)]

    def region_arrays(self, region: str) -> tuple[list[str], np.ndarray, np.ndarray]:
        """Region codes, summed kostnad (S, Y, R) and inhabitants (Y, R)."""
        codes, w = region_weights(self.kommuner, region)
        return codes, self.kostnad @ w, self.inhabitants @ w

    def frame(self, region: str = "0") -> pd.DataFrame:
        """Tidy: scenario, usage, year, region, sector, measure, value, unit, price_year."""
        codes, kost, _ = self.region_arrays(region)
        vals = np.stack([kost, kost - kost[:, :1, :]], axis=1)  # S, 2, Y, R
        s, m, y, r = vals.shape
        n = s * m * y * r
        price = np.asarray(self.price_years, dtype=int)
        data = {
            "scenario": np.full(n, self.scenario, dtype=object),
            "usage": np.full(n, self.usage, dtype=object),
            "year": np.tile(np.asarray(self.years, dtype=int), s * m * r),
            "region": np.repeat(np.asarray(codes, dtype=object), s * m * y),
            "sector": np.tile(np.repeat(np.asarray(self.sectors, dtype=object), m * y), r),
            "measure": np.tile(np.repeat(np.asarray(COST_MEASURES, dtype=object), y), s * r),
            "value": vals.transpose(3, 0, 1, 2).reshape(-1),
            "unit": np.tile(
                np.repeat(np.asarray([cost_unit(p) for p in price], dtype=object), m * y), r
            ),
            "price_year": np.tile(np.repeat(price, m * y), r),
        }
        return pd.DataFrame(data)[COST_COLUMNS]


def care_arsverk_share_institution(rates: CareRates, panel_year_users: np.ndarray) -> float:
    """Share of the model's care årsverk in institutions, for observed users (K, 3) of one year.

    panel_year_users columns: institution residents, 24-hour-housing residents, home users
    (NaN = suppressed, counted as 0). Uses the same intensity as the staffing model.
    """
    per_service = rates.levels.arsverk(panel_year_users)
    return float(per_service[:, 0].sum() / per_service.sum())


def observed_users(rates: CareRates, year: int = CARE_YEAR) -> np.ndarray:
    """(K, 3) observed institution, 24-hour-housing and home users of `year` from the panel."""
    panel = data_sources.read_table("care_panel")
    p = panel[panel["year"] == year].set_index("kommune_code").reindex(list(rates.kommuner))
    return p[["Y_3_a_ialt", "Y_2_ialt", "Y_1_a_ialt"]].to_numpy(dtype=float)


def costs(needs: NeedsResult, rates: CareRates | None = None) -> CostResult:
    """Costs per sector for a needs result (same kommuner, years, scenario and usage path)."""
    care = rates if rates is not None else estimate_care_rates(needs.assumptions.rate_window_years)
    uc = unit_costs(round(care_arsverk_share_institution(care, observed_users(care)), 12))
    institution = needs.get("pleie_og_omsorg", "arsverk_institusjon") * uc.institusjon.kroner
    home = (
        needs.get("pleie_og_omsorg", "arsverk_bolig_heldogn")
        + needs.get("pleie_og_omsorg", "arsverk_hjemmetjenester")
    ) * uc.hjemmebasert.kroner
    equivalents = 2.0 * needs.get("barnehage", "brukere_0_2") + needs.get(
        "barnehage", "brukere_3_5"
    )
    values = {
        "barnehage": (equivalents * uc.barnehage.kroner, uc.barnehage.price_year),
        "grunnskole": (
            needs.get("grunnskole", "brukere") * uc.grunnskole.kroner,
            uc.grunnskole.price_year,
        ),
        "pleie_og_omsorg_institusjon": (institution, uc.institusjon.price_year),
        "pleie_og_omsorg_hjemmebasert": (home, uc.hjemmebasert.price_year),
        "pleie_og_omsorg": (institution + home, uc.institusjon.price_year),
    }
    return CostResult(
        scenario=needs.scenario,
        usage=needs.usage,
        years=needs.years,
        kommuner=needs.kommuner,
        sectors=COST_SECTORS,
        price_years=tuple(values[s][1] for s in COST_SECTORS),
        kostnad=np.stack([values[s][0] for s in COST_SECTORS]),
        inhabitants=needs.population["folk_ialt"],
        unit_costs=uc,
    )
