"""National net immigration: an explicit assumption per year, from Norway's series since 1986.

The level of net international migration is the single largest driver of Norway's population
over five to ten years, and it comes in waves (EU enlargement 2007-2012, Syria 2015-16,
Ukraine 2022-23). The rule (issue 18): the projected level starts at the last observed year
and decays geometrically toward the long-run mean of the whole national series up to the base
year,

    L(h) = LR + (last - LR) * DECAY**h,   h = 1, 2, ... (h = 1 is the base year's flow),

so a wave is transitory (half-life log(0.5) / log(DECAY) = 6.6 years) and the long run
returns to what Norway has seen since 1986. The series is the residual net migration of
Norway's 1 January stocks (SSB 07459, ``population_national``) against HMD survival, ages 1+
(infant moves are in the fertility index), data < base year only.

Backtest on this series (``rule_backtest``; docs/method.md shows the table): selection origins
1996-2007, held-out origins 2008-2021 (5 years) and 2008-2016 (10 years).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from projections.inputs import NationalPopulation
from projections.migration import survivors

DECAY = 0.9  # yearly persistence of the deviation from the long-run level (see module doc)
RULES = ("decay", "window")  # "window": the old ten-year mean carried forward (comparison)
SELECTION_ORIGINS = tuple(range(1996, 2008))
HELD_OUT_ORIGINS: dict[int, tuple[int, ...]] = {
    5: tuple(range(2008, 2022)),
    10: tuple(range(2008, 2017)),
}


def national_net_migration(
    national: NationalPopulation, survival_by_year: dict[int, np.ndarray], base_year: int
) -> tuple[np.ndarray, np.ndarray]:
    """(years t, persons) net migration to Norway during t, ages 1+, for t < ``base_year``."""
    first = int(national.years[0])
    years = np.arange(first, min(base_year, int(national.years[-1])))
    out = np.empty(len(years))
    for j, t in enumerate(years):
        i = int(t) - first
        nm = national.pop[i + 1] - survivors(national.pop[i], survival_by_year[int(t)])
        out[j] = nm[..., 1:].sum()
    return years, out


@dataclass(frozen=True)
class ImmigrationAssumption:
    """The national net immigration path of the main alternative from ``base_year`` on."""

    base_year: int
    rule: str
    last: float  # net migration in base_year - 1
    long_run: float  # mean of the national series (from 1986) up to base_year - 1
    window_mean: float  # mean of the last ``window`` years (the old rule)
    decay: float

    def level(self, years: np.ndarray) -> np.ndarray:
        """Persons per year for the flow years ``years`` (>= base_year)."""
        h = np.asarray(years, dtype=float) - self.base_year + 1.0
        if self.rule == "window":
            return np.full(h.shape, self.window_mean)
        return self.long_run + (self.last - self.long_run) * self.decay**h


def fit_immigration(
    national: NationalPopulation,
    survival_by_year: dict[int, np.ndarray],
    base_year: int,
    rule: str = "decay",
    window: int = 10,
    decay: float = DECAY,
) -> ImmigrationAssumption:
    """The assumption for ``base_year`` from the national series before it."""
    if rule not in RULES:
        raise ValueError(f"ukjent innvandringsregel {rule!r}; gyldige: {RULES}")
    _, nm = national_net_migration(national, survival_by_year, base_year)
    return ImmigrationAssumption(
        base_year=base_year,
        rule=rule,
        last=float(nm[-1]),
        long_run=float(nm.mean()),
        window_mean=float(nm[-window:].mean()),
        decay=decay,
    )


def rule_backtest(
    national: NationalPopulation,
    survival_by_year: dict[int, np.ndarray],
    origins: tuple[int, ...],
    horizon: int,
    rule: str = "decay",
    decay: float = DECAY,
) -> np.ndarray:
    """Per origin, the error of the rule's cumulated net migration over ``horizon`` years in %
    of Norway's population at the target year (positive: too much assumed)."""
    years, nm = national_net_migration(national, survival_by_year, max(origins) + horizon)
    total = national.pop.sum(axis=(1, 2))
    out = []
    for b in origins:
        a = fit_immigration(national, survival_by_year, b, rule, decay=decay)
        steps = np.arange(b, b + horizon)
        observed = nm[(years >= b) & (years < b + horizon)].sum()
        pop = total[b + horizon - int(national.years[0])]
        out.append((a.level(steps).sum() - observed) / pop * 100.0)
    return np.array(out)
