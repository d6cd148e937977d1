"""``project()``: fit rates on data up to the base year, run the engine, cache the result."""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

import numpy as np

from projections import combination, ssb_scenario
from projections.engine import EngineInputs, run
from projections.fertility import cohort_rates
from projections.fitting import (
    DEFAULT_TO_YEAR,
    MAX_TO_YEAR,
    FittedModel,
    InvalidYearError,
    ModelConfig,
    available_base_years,
    check_years,
    fit,
    survival_by_year,
    survival_history,
)
from projections.inputs import population_data
from projections.migration import immigration_shares
from projections.mortality import life_table, multiplier_for_e0_change, survival
from projections.result import ProjectionResult
from projections.scenarios import Overrides, parse_scenario

__all__ = [
    "DEFAULT_TO_YEAR",
    "MAX_TO_YEAR",
    "FittedModel",
    "InvalidYearError",
    "ModelConfig",
    "available_base_years",
    "fit",
    "project",
    "project_uncached",
    "survival_history",
]


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
    check_years(base, int(to_year))
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
        surv = {t: v[0] for t, v in survival_by_year(pop, fm.mortality, base_year).items()}
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


def project_uncached(
    scenario: str, base_year: int, to_year: int, config: ModelConfig | None = None
) -> ProjectionResult:
    """A projection computed afresh and not kept (the decomposition runs every scenario once:
    caching them would push the dashboard's projections out of the small cache)."""
    sc = parse_scenario(scenario)
    check_years(int(base_year), int(to_year))
    return _project_cached.__wrapped__(
        sc.canonical, int(base_year), int(to_year), None, config or ModelConfig()
    )


def clear_caches() -> None:
    """Forget this module's cached projections and combination weights."""
    _project_cached.cache_clear()
    _combination.cache_clear()
