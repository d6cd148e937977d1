"""Why our projection differs from SSB's, computed from the components, per region and year.

    ours(MMMM) - SSB = [ours(MMMM) - ours(SSB-I)]      immigration level (and its age profile)
                     + [ours(SSB-I) - ours(SSB-IF)]    fertility
                     + [ours(SSB-IF) - ours(SSB)]      mortality (life expectancy)
                     + [ours(SSB) - SSB*]              kommune distribution: our domestic
                                                       migration, local fertility, immigrant shares
                     + [SSB* - SSB]                    SSB's two vintages (see below)

``SSB-I`` and ``SSB-IF`` take the calibrated national immigration (then also fertility) of
scenario SSB and keep the rest of the main alternative, so the national parts are added one at
a time (a sequential decomposition; the order immigration, fertility, mortality is stated).
SSB's kommune figures come from ``ssb_projection_kommune`` (14288, made from 2024) while the
calibration targets 14746 (2026) nationally; ``SSB*`` is the kommune's SSB figure scaled by
14746's national total over the kommune table's, so the difference between SSB's two
projections gets its own part instead of being blamed on the kommune (zero once a ``refresh
14746`` puts 14746 in the kommune table, and zero for Norway, which uses 14746 directly).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from data_sources import NORWAY_CODE, catalogue
from projections import api
from projections.ssb_reference import ssb_figure

PARTS = ("immigration", "fertility", "mortality", "kommune", "vintage")
STEPS = ("MMMM", "SSB-I", "SSB-IF", "SSB")


@dataclass(frozen=True)
class Decomposition:
    years: np.ndarray  # (Y,)
    kommuner: tuple[str, ...]
    totals: dict[str, np.ndarray]  # step code -> (Y, K) kommune totals

    def region_totals(self, code: str) -> dict[str, np.ndarray]:
        idx = [self.kommuner.index(c) for c in catalogue().kommuner_in(code)]
        return {k: v[:, idx].sum(axis=1) for k, v in self.totals.items()}

    def frame(self, code: str) -> pd.DataFrame:
        """year, ours, ours_ssb, ssb, difference and the five parts (persons; parts sum to
        the difference exactly). Only years both projections cover."""
        tot = self.region_totals(code)
        ssb = ssb_figure(code).set_index("year")["persons"]
        scale = pd.Series(1.0, index=ssb.index)
        if str(code) != NORWAY_CODE:  # SSB's kommune table may be an older vintage
            national = ssb_figure(NORWAY_CODE).set_index("year")["persons"]
            kommune_sum = ssb_figure_all_kommuner()
            scale = (national / kommune_sum).reindex(ssb.index)
        years = [int(y) for y in self.years if y in ssb.index and np.isfinite(scale.get(y))]
        pos = [int(np.searchsorted(self.years, y)) for y in years]
        fig = ssb.loc[years].to_numpy(float)
        adj = fig * scale.loc[years].to_numpy(float)
        t = {k: v[pos] for k, v in tot.items()}
        out = pd.DataFrame(
            {
                "year": years,
                "ours": t["MMMM"],
                "ours_ssb": t["SSB"],
                "ssb": fig,
                "difference": t["MMMM"] - fig,
                "immigration": t["MMMM"] - t["SSB-I"],
                "fertility": t["SSB-I"] - t["SSB-IF"],
                "mortality": t["SSB-IF"] - t["SSB"],
                "kommune": t["SSB"] - adj,
                "vintage": adj - fig,
            }
        )
        return out


@lru_cache(maxsize=1)
def ssb_figure_all_kommuner() -> pd.Series:
    """SSB's kommune table summed over all kommuner, by year (its own national total)."""
    from data_sources import read_table

    df = read_table("ssb_projection_kommune")
    df = df[df["alternative"] == "MMMM"]
    return df.groupby(df["year"].astype(int))["persons"].sum()


@lru_cache(maxsize=1)
def decompose(to_year: int = api.DEFAULT_TO_YEAR) -> Decomposition:
    """Kommune totals of the four steps (cached; the two middle steps are not kept whole)."""
    totals: dict[str, np.ndarray] = {}
    years = None
    kommuner: tuple[str, ...] = ()
    for code in STEPS:
        if code in ("MMMM", "SSB"):  # the dashboard has these cached anyway
            res = api.project(code, to_year=to_year)
        else:  # intermediate steps: run once, keep only the totals (no 22 MB cache entry)
            base = api.available_base_years()[-1]
            res = api.project_uncached(code, base, to_year)
        totals[code] = res.population.sum(axis=(2, 3), dtype=np.float64)
        years, kommuner = res.years, res.kommuner
    return Decomposition(np.asarray(years), kommuner, totals)
