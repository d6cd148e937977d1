"""Fitting every rate model on data up to a base year (``fit``), with the model's
configuration (``ModelConfig``) and the base and end years the data support."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from projections.combination import WEIGHTS as COMBINATION_WEIGHTS
from projections.combination import YEARS as COMBINATION_YEARS
from projections.fertility import FERTILITY_WINDOW, FertilityModel, fit_fertility
from projections.immigration import DECAY as IMMIGRATION_DECAY
from projections.immigration import ImmigrationAssumption, fit_immigration
from projections.inputs import (
    NationalData,
    PopulationData,
    national_data,
    national_population,
    population_data,
)
from projections.migration import MigrationModel, fit_migration
from projections.mortality import (
    PANDEMIC_YEARS,
    TREND_WINDOW,
    MortalityModel,
    fit_mortality,
    smoothed_history,
    survival,
)
from projections.peers import peer_groups

MAX_TO_YEAR = 2100
DEFAULT_TO_YEAR = 2050


class InvalidYearError(ValueError):
    """Base or end year outside what the data supports (Norwegian message first)."""

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True)
class ModelConfig:
    """Estimation choices (chosen by the backtest, see docs/backtest.md)."""

    migration_window: int = 10  # years of residual net migration averaged
    intl_window: int = 10  # years of national net migration averaged for immigration
    smoothing: int = 5  # binomial kernel points for age smoothing
    migration_method: str = "mixed"  # "counts" | "rates" | "mixed"
    intl_distribution: str = "population"  # "population" share or "regression" on history
    migration_shrink: float = 0.0  # credibility constant (persons) for age-profile shrinkage
    migration_shrink_level: float = 0.0  # credibility constant (persons) for the net level
    domestic_persistence: float = 0.8  # share of the observed domestic pattern projected
    migration_level_eb: bool = True  # empirical-Bayes credibility of the net domestic level
    fertility_window: int = FERTILITY_WINDOW
    mortality_window: int = TREND_WINDOW
    mortality_exclude: tuple[int, ...] = PANDEMIC_YEARS  # HMD years left out of the trend
    mortality_jump_off: str = "observed"  # "observed" (last 3 years) or "trend" (fitted line)
    mortality_exclude_weight: float = 0.0  # weight of the excluded years in the trend fit
    migration_robust: float = 0.0  # cap one-year jumps at this many robust SDs (0 = off)
    combination: bool = True  # forecast combination with naive trends (projections/combination.py)
    immigration_rule: str = "decay"  # national level: "decay" to the long run, or "window" mean
    immigration_decay: float = IMMIGRATION_DECAY  # yearly persistence of a wave (immigration.py)
    combination_weights: tuple[tuple[float, float, float], ...] = COMBINATION_WEIGHTS
    combination_end: int = COMBINATION_YEARS  # years until the cohort model alone
    peers: str = "size"  # prior for small kommuner's rates: "size" peers or "fylke" (peers.py)
    # where the combination takes off the trends' excess over the stated immigration level:
    # "population" share (scaling) or "immigration" shares (regression on history; not adopted)
    excess_shares: str = "population"


@dataclass(frozen=True)
class FittedModel:
    base_year: int
    pop0: np.ndarray  # (K, 2, 106)
    mortality: MortalityModel
    fertility: FertilityModel
    migration: MigrationModel
    kommuner: tuple[str, ...]
    immigration: ImmigrationAssumption  # the national net immigration path (main alternative)

    def immigration_scale(self, years: np.ndarray) -> np.ndarray:
        """Factor on ``migration.international`` (the window-mean level) that gives the
        assumed national net immigration in each flow year."""
        window = float(self.migration.international[..., 1:].sum())
        return self.immigration.level(years) / window if window else np.zeros(len(years))


def survival_by_year(
    pop: PopulationData, mort: MortalityModel, base_year: int
) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """(S, Sb) for each fit transition year: observed HMD where available, else the trend."""
    years, mx = smoothed_history(national_data(), mort.last_year)
    out: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    S_obs, Sb_obs = survival(mx)
    for t in range(int(national_population().years[0]), base_year):
        if t <= mort.last_year:
            i = int(np.searchsorted(years, t))
            out[t] = (S_obs[i], Sb_obs[i])
        else:
            S, Sb = survival(mort.mx(np.array([t]))[0])
            out[t] = (S, Sb)
    return out


def survival_history(base_year: int, config: ModelConfig | None = None) -> dict[int, np.ndarray]:
    """Survival S (2, 106) of each past year t < ``base_year`` as the fit for ``base_year``
    uses it (observed HMD, the fitted trend after HMD ends): for residual net migration."""
    fm = fit(base_year, config or ModelConfig())
    return {
        t: v[0] for t, v in survival_by_year(population_data(), fm.mortality, base_year).items()
    }


def available_base_years() -> range:
    pop = population_data()
    return range(int(pop.years[0]) + 1, int(pop.years[-1]) + 1)


def check_years(base_year: int, to_year: int) -> None:
    yrs = available_base_years()
    if base_year not in yrs:
        raise InvalidYearError(
            f"Ugyldig basisår {base_year}: må være mellom {yrs.start} og {yrs.stop - 1}. / "
            f"Invalid base year."
        )
    if not base_year < to_year <= MAX_TO_YEAR:
        raise InvalidYearError(
            f"Ugyldig sluttår {to_year}: må være etter basisåret {base_year} og senest "
            f"{MAX_TO_YEAR}. / Invalid end year."
        )


def fit_mortality_for(nat: NationalData, base_year: int, config: ModelConfig) -> MortalityModel:
    """The mortality model a fit for ``base_year`` uses: HMD up to ``base_year - 1`` with the
    configuration's window, excluded years, jump-off and weight (the model and its national
    replica in the intervals call this one function)."""
    return fit_mortality(
        nat,
        min(base_year - 1, int(nat.mx_years[-1])),
        config.mortality_window,
        exclude=config.mortality_exclude,
        jump_off=config.mortality_jump_off,
        exclude_weight=config.mortality_exclude_weight,
    )


@lru_cache(maxsize=32)
def fit(base_year: int, config: ModelConfig = ModelConfig()) -> FittedModel:
    """All rates from data up to ``base_year`` only (HMD/HFD up to base_year - 1)."""
    pop = population_data()
    nat = national_data()
    mort = fit_mortality_for(nat, base_year, config)
    surv = survival_by_year(pop, mort, base_year)
    peers = peer_groups(pop, base_year, config.peers)
    fert = fit_fertility(
        pop, nat, base_year, {t: v[1] for t, v in surv.items()}, config.fertility_window, peers
    )
    mig = fit_migration(
        pop,
        base_year,
        {t: v[0] for t, v in surv.items()},
        window=config.migration_window,
        intl_window=config.intl_window,
        smoothing=config.smoothing,
        method=config.migration_method,
        shrink=config.migration_shrink,
        shrink_level=config.migration_shrink_level,
        national=national_population(),
        intl_distribution=config.intl_distribution,
        persistence=config.domestic_persistence,
        level_credibility_eb=config.migration_level_eb,
        robust=config.migration_robust,
        peers=peers,
    )
    imm = fit_immigration(
        national_population(),
        {t: v[0] for t, v in surv.items()},
        base_year,
        config.immigration_rule,
        window=config.intl_window,
        decay=config.immigration_decay,
    )
    pop0 = np.array(pop.pop[pop.year_index(base_year)])
    return FittedModel(base_year, pop0, mort, fert, mig, pop.kommuner, imm)
