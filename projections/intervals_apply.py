"""Intervals applied to a projection: all regions x years x age groups at once (numpy).

``interval_arrays`` is the vectorised core the CLI, the needs intervals and the dashboard
use (about 0.1 s for every kommune, fylke and Norway, all years, one level).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from projections.api import project
from projections.inputs import population_data
from projections.intervals_backtest import aggregate_regions, region_codes
from projections.intervals_fit import GROUPS, IntervalModel, check_level, interval_model
from projections.intervals_national import group_sums
from projections.result import ProjectionResult


@dataclass(frozen=True)
class IntervalArrays:
    """Intervals for every region (kommuner, fylker, Norway) and age group, one level."""

    scenario: str
    level: int
    years: np.ndarray  # (Y,)
    regions: list[str]  # (R,) kommuner, fylker, "0"
    median: np.ndarray  # (G, Y, R)
    lower: np.ndarray
    upper: np.ndarray

    def index(self, code: str) -> int:
        """Position of a region on the R axis; ValueError for an unknown code (as list.index)."""
        try:
            return self._positions[0][code]
        except KeyError:
            raise ValueError(f"{code!r} is not in the intervals' regions") from None

    def year_index(self, year: int) -> int:
        """Position of a year on the Y axis; ValueError for a year outside the intervals."""
        try:
            return self._positions[1][int(year)]
        except KeyError:
            raise ValueError(f"{year!r} is not in the intervals' years") from None

    def group_index(self, group: str) -> int:
        return GROUPS.index(group)

    @cached_property
    def _positions(self) -> tuple[dict[str, int], dict[int, int]]:
        # dicts, not list.index: a kommune page looks up ~25 cells per render
        return (
            {code: i for i, code in enumerate(self.regions)},
            {int(y): i for i, y in enumerate(self.years)},
        )


def half_widths(
    model: IntervalModel, level: int, horizons: np.ndarray, size: np.ndarray
) -> np.ndarray:
    """(G, Y, R) half-widths of every age group, horizon and region (regions as in
    ``region_codes``, ``size`` their population at the origin)."""
    _, levels = region_codes()
    h = np.asarray(horizons)[:, None]
    args = (h, size[None, :], levels[None, :])
    return np.stack([model.half_width(g, level, *args) for g in GROUPS])


def interval_arrays(
    res: ProjectionResult, level: int = 80, model: IntervalModel | None = None
) -> IntervalArrays:
    """Vectorised core: lower/median/upper for all regions and age groups of a projection."""
    level = check_level(level)
    model = model or interval_model(int(res.base_year))
    d = population_data()
    codes, _ = region_codes()
    med = aggregate_regions(group_sums(res.population), d.fylke_index, len(d.fylker))
    size = aggregate_regions(
        res.population[0].sum(axis=(1, 2), dtype=np.float64), d.fylke_index, len(d.fylker)
    )
    hw = half_widths(model, level, res.years - res.base_year, size)
    return IntervalArrays(
        res.scenario, level, res.years, codes, med, med * np.exp(-hw), med * np.exp(hw)
    )


def project_intervals(
    scenario: str = "MMMM",
    level: int | Sequence[int] = 80,
    base_year: int | None = None,
    to_year: int = 2050,
    regions: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Tidy intervals: scenario, year, region, age_group, level, lower, median, upper.

    ``regions``: SSB codes (kommune, fylke, "0"); default every kommune, fylke and Norway.
    ``median`` is the deterministic projection of ``scenario``; the spread is the one measured
    for MMMM in the backtests.
    """
    levels = [level] if isinstance(level, int | np.integer) else list(level)
    res = project(scenario, base_year=base_year, to_year=to_year)
    frames = []
    for lv in levels:
        ia = interval_arrays(res, lv)
        idx = list(range(len(ia.regions))) if regions is None else [ia.index(r) for r in regions]
        codes = np.array(ia.regions, dtype=object)[idx]
        G, Y, R = len(GROUPS), len(ia.years), len(idx)

        def cells(a: np.ndarray, idx: list[int] = idx) -> np.ndarray:
            return np.transpose(a[:, :, idx], (2, 0, 1)).ravel()  # region, age group, year

        frames.append(
            pd.DataFrame(
                {
                    "scenario": ia.scenario,
                    "year": np.tile(ia.years, R * G),
                    "region": np.repeat(codes, G * Y),
                    "age_group": np.tile(np.repeat(np.array(GROUPS, dtype=object), Y), R),
                    "level": ia.level,
                    "lower": cells(ia.lower),
                    "median": cells(ia.median),
                    "upper": cells(ia.upper),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def region_interval(
    res: ProjectionResult, region: str, group: str = "total", level: int = 80
) -> pd.DataFrame:
    """year, lower, median, upper for one region and age group (for charts and tables)."""
    ia = interval_arrays(res, level)
    i, gi = ia.index(region), GROUPS.index(group)
    return pd.DataFrame(
        {
            "year": ia.years,
            "lower": ia.lower[gi, :, i],
            "median": ia.median[gi, :, i],
            "upper": ia.upper[gi, :, i],
        }
    )
