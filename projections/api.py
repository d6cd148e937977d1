"""``project()``: fit rates on data up to the base year, run the engine, cache the result."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from projections import combination
from projections.combination import WEIGHTS as COMBINATION_WEIGHTS
from projections.combination import YEARS as COMBINATION_YEARS
from projections.engine import EngineInputs, run
from projections.fertility import FERTILITY_WINDOW, FertilityModel, cohort_rates, fit_fertility
from projections.immigration import DECAY as IMMIGRATION_DECAY
from projections.immigration import ImmigrationAssumption, fit_immigration
from projections.inputs import (
    PopulationData,
    national_data,
    national_population,
    population_data,
)
from projections.migration import MigrationModel, fit_migration, immigration_shares
from projections.mortality import (
    PANDEMIC_YEARS,
    TREND_WINDOW,
    MortalityModel,
    fit_mortality,
    life_table,
    multiplier_for_e0_change,
    smoothed_history,
    survival,
)
from projections.peers import peer_groups
from projections.result import ProjectionResult
from projections.scenarios import Overrides, parse_scenario

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


def _survival_by_year(
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
        t: v[0] for t, v in _survival_by_year(population_data(), fm.mortality, base_year).items()
    }


def available_base_years() -> range:
    pop = population_data()
    return range(int(pop.years[0]) + 1, int(pop.years[-1]) + 1)


def _check_years(base_year: int, to_year: int) -> None:
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


@lru_cache(maxsize=32)
def fit(base_year: int, config: ModelConfig = ModelConfig()) -> FittedModel:
    """All rates from data up to ``base_year`` only (HMD/HFD up to base_year - 1)."""
    pop = population_data()
    nat = national_data()
    mort = fit_mortality(
        nat,
        min(base_year - 1, int(nat.mx_years[-1])),
        config.mortality_window,
        exclude=config.mortality_exclude,
        jump_off=config.mortality_jump_off,
        exclude_weight=config.mortality_exclude_weight,
    )
    surv = _survival_by_year(pop, mort, base_year)
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


def project(
    scenario: str = "MMMM",
    base_year: int | None = None,
    to_year: int = DEFAULT_TO_YEAR,
    overrides: Overrides | None = None,
    config: ModelConfig | None = None,
) -> ProjectionResult:
    """Project all 357 kommuner; cached on (scenario, base_year, to_year, overrides, config).

    Raises ``InvalidScenarioError``, ``InvalidOverridesError`` or ``InvalidYearError``.
    The returned arrays are shared between calls: treat them as read-only.
    """
    sc = parse_scenario(scenario)
    if overrides is not None and not isinstance(overrides, Overrides):
        raise TypeError("overrides must be a projections.Overrides")
    if overrides is not None and overrides.empty:
        overrides = None
    base = int(base_year) if base_year is not None else available_base_years()[-1]
    _check_years(base, int(to_year))
    res = _project_cached(sc.canonical, base, int(to_year), overrides, config or ModelConfig())
    return res if res.scenario == sc.code else replace(res, scenario=sc.code)


def _engine_inputs(
    fm: FittedModel,
    config: ModelConfig,
    S: np.ndarray,
    Sb: np.ndarray,
    fert: np.ndarray,
    intl_scale: np.ndarray,
    dom_scale: np.ndarray,
    extra: np.ndarray | None = None,
    international: np.ndarray | None = None,
) -> EngineInputs:
    m = fm.migration
    return EngineInputs(
        pop0=fm.pop0,
        S=S,
        Sb=Sb,
        fert=fert,
        local_index=fm.fertility.local_index,
        male_share=fm.fertility.male_share,
        international=m.international if international is None else international,
        intl_scale=intl_scale,
        dom_neg_rate=m.dom_neg_rate,
        dom_pos=m.dom_pos,
        dom_mode="counts" if config.migration_method == "counts" else "rebalance",
        pos_is_rate=m.pos_is_rate,
        dom_scale=dom_scale,
        extra=extra,
    )


@lru_cache(maxsize=32)  # small: (years, K) and one (K, 2, 106) profile
def _combination(
    base_year: int, config: ModelConfig, years: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The forecast combination's extra migration per kommune and year (YEARS, K), summing
    to zero over kommuner every year (national immigration is the stated assumption), and the
    (K, 2, 106) profile that spreads it over cells; fitted at the main alternative (MMMM)
    from data <= base_year only. ``years`` (default all ``config.combination_end``) cuts the
    run short: the first years are the same (see ``combination.adjustment``)."""
    fm = fit(base_year, config)
    n = config.combination_end if years is None else min(years, config.combination_end)
    steps = np.arange(base_year, base_year + n)
    S, Sb = survival(fm.mortality.mx(steps, 1.0, from_year=base_year))
    f = fm.fertility
    fert = cohort_rates(f.schedule)[None, :] * (f.tfr_path(steps, f.tfr_jump) / f.tfr_jump)[:, None]
    ones = np.ones(len(steps))
    intl_scale = fm.immigration_scale(steps)
    pop = population_data()

    def totals(extra: np.ndarray | None) -> np.ndarray:
        out = run(_engine_inputs(fm, config, S, Sb, fert, intl_scale, ones, extra))
        return out.population.sum(axis=(2, 3), dtype=np.float64)

    share = fm.pop0.sum(axis=(1, 2)) / fm.pop0.sum()
    profile = combination.cell_profile(fm.pop0, fm.migration.domestic_count)
    shares = None
    if config.excess_shares == "immigration":
        surv = {t: v[0] for t, v in _survival_by_year(pop, fm.mortality, base_year).items()}
        shares = immigration_shares(pop, base_year, surv, share)
    dom = combination.adjustment(
        pop,
        base_year,
        profile,
        totals,
        share,
        config.combination_weights,
        config.combination_end,
        shares,
    )
    for arr in (dom, profile):
        arr.setflags(write=False)
    return dom, profile


# ~15 MB each (float32). The dashboard's pages use per-scenario aggregates
# (dashboard.data.model, dashboard.data.scenario_extras); only downloads and edited assumptions need a
# full result, so two are enough.
@lru_cache(maxsize=2)
def _project_cached(
    code: str, base_year: int, to_year: int, overrides: Overrides | None, config: ModelConfig
) -> ProjectionResult:
    sc = parse_scenario(code)
    if sc.mortality_trend == "with-pandemic":  # the named old-age mortality alternative
        config = replace(config, mortality_exclude=())
    fm = fit(base_year, config)
    years = np.arange(base_year, to_year + 1)
    steps = years[:-1]

    mult = sc.mortality_multiplier
    if overrides is not None and overrides.e0_change_2050 is not None:
        mult = multiplier_for_e0_change(
            fm.mortality, base_year, max(2050, base_year + 1), overrides.e0_change_2050
        )
    mx = fm.mortality.mx(steps, mult, from_year=base_year)
    S, Sb = survival(mx)
    e0 = life_table(mx).e0

    f = fm.fertility
    target = f.tfr_jump + sc.tfr_change
    if overrides is not None and overrides.tfr is not None:
        target = overrides.tfr
    tfr = f.tfr_path(steps, max(target, 0.0))
    fert = cohort_rates(f.schedule)[None, :] * (tfr / f.tfr_jump)[:, None]

    mm = 1.0
    if overrides is not None and overrides.migration_multiplier is not None:
        mm = overrides.migration_multiplier
    n = len(steps)
    international = fm.migration.international
    intl_scale = sc.immigration_multiplier * mm * fm.immigration_scale(steps)
    dom_scale = np.full(n, sc.domestic_multiplier * mm)
    calibration = None
    if sc.calibrated:  # scenario SSB: national assumptions calibrated to SSB (cached)
        from projections import ssb_scenario

        calibration = ssb_scenario.calibrate(base_year, config).extend(steps)
        if "M" in sc.parts and (overrides is None or overrides.e0_change_2050 is None):
            mx = mx * calibration.mx_factor[:, None, :]
            S, Sb = survival(mx)
            e0 = life_table(mx).e0
        if "F" in sc.parts and (overrides is None or overrides.tfr is None):
            tfr = calibration.tfr
            target = float(tfr[-1])
            fert = cohort_rates(f.schedule)[None, :] * (tfr / f.tfr_jump)[:, None]
        if "I" in sc.parts:
            international = fm.migration.international * calibration.intl_profile[None, None, :]
            intl_scale = calibration.intl_level * mm
    extra = None
    if config.combination:  # zero-sum over kommuner: it moves people, national totals stay
        dom_x, profile = _combination(base_year, config, min(n, config.combination_end))
        m = min(n, len(dom_x))
        extra = combination.cells(dom_x[:m] * dom_scale[:m, None], profile)
    inp = _engine_inputs(fm, config, S, Sb, fert, intl_scale, dom_scale, extra, international)
    out = run(inp)
    for arr in (
        out.population,
        out.births,
        out.net_migration,
        out.infant_deaths,
        out.international,
        out.clipped,
        S,
        Sb,
    ):
        arr.setflags(write=False)
    return ProjectionResult(
        scenario=sc.code,
        years=years,
        kommuner=fm.kommuner,
        population=out.population,
        births=out.births,
        net_migration=out.net_migration,
        infant_deaths=out.infant_deaths,
        international=out.international,
        clipped=out.clipped,
        survival=S,
        infant_survival=Sb,
        male_share=f.male_share,
        tfr=tfr,
        e0=e0,
        base_year=base_year,
        overrides=overrides,
        assumptions={
            "tfr_jump_off": f.tfr_jump,
            "tfr_target": float(target),
            "mortality_multiplier": float(mult),
            "immigration_multiplier": sc.immigration_multiplier * mm,
            # the stated national net immigration per flow year (the engine's level exactly)
            "net_immigration": intl_scale * float(international[..., 1:].sum()),
            "calibration": calibration,
            "domestic_multiplier": sc.domestic_multiplier * mm,
            "config": config,
        },
    )


def clear_cache() -> None:
    """Forget cached inputs, fits and projections (call after a store refresh).

    The caches are keyed on arguments, not on the data version, so a long-running process
    (the dashboard) keeps serving the data it first read until this is called.
    """
    from projections import inputs, ssb_decomposition, ssb_reference, ssb_scenario

    _project_cached.cache_clear()
    ssb_scenario.calibrate.cache_clear()
    ssb_decomposition.decompose.cache_clear()
    ssb_decomposition.ssb_figure_all_kommuner.cache_clear()
    ssb_reference._table_version.cache_clear()
    _combination.cache_clear()
    fit.cache_clear()
    inputs.population_data.cache_clear()
    inputs.national_data.cache_clear()
    inputs.national_population.cache_clear()
