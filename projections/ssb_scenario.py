"""Scenario ``SSB`` ("SSB-nivå"): our kommune detail, SSB's national totals (14746 MMMM).

The national assumptions are calibrated, year by year, so that Norway by 14746 age group
follows SSB's main alternative; everything below the national level stays ours (each
kommune's share of immigration in every sex/age cell, the zero-sum domestic pattern, the local
fertility index). Calibration runs the engine one year at a time from the fitted model:

* mortality: a multiplier on the year's mx in three age bands (the ages that arrive in 67-79,
  80-89 and 90+ on the next 1 January), solved so those three groups match;
* immigration: the national level of net international migration, plus one age profile
  adjustment held constant over the years (a factor for the ages arriving in each of 1-5,
  6-12, 13-15, 16-19, 20-44 and 45-66), so the groups 1-66 match;
* fertility: the year's TFR, so the 0-year-olds on the next 1 January match.

Nothing is hard-coded: the targets are read from the store (``ssb_reference``) and the
calibration starts from whatever ``fit()`` returns, so it follows changes in the rate models.
The result (a few small arrays) is cached per (base year, model config); ``project("SSB")``
then runs the engine once with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from projections.engine import EngineInputs, run
from projections.fertility import cohort_rates
from projections.fitting import InvalidYearError, fit
from projections.inputs import HMD_AGES, N_AGE
from projections.mortality import survival
from projections.ssb_reference import AGE_GROUPS, group_ages, ssb_agegroup_matrix

CODE = "SSB"
ALTERNATIVE = "MMMM"  # SSB's main alternative is the target
MORTALITY_GROUPS = ("67-79", "80-89", "90+")
MIGRATION_GROUPS = ("1-5", "6-12", "13-15", "16-19", "20-44", "45-66")
PROFILE_ROUNDS = 4  # Gauss-Newton rounds fitting the constant immigration age profile
NEWTON_STEPS = 2  # per year, warm-started from the previous year
PROFILE_TOL = 1e-4  # stop when no band factor moves by more than this (log scale)
GROUP_INDEX = {g: i for i, g in enumerate(AGE_GROUPS)}


class SSBCalibrationError(InvalidYearError):
    """The SSB scenario cannot be calibrated for this base year (Norwegian message first)."""


class SSBConvergenceError(ValueError):
    """The calibration did not converge (a changed rate model can cause it; a bug, not input)."""

    def __init__(self, detail: str) -> None:
        super().__init__(
            f"Kalibreringen av scenario SSB mot SSBs framskriving konvergerte ikke ({detail}). / "
            "The SSB scenario calibration did not converge."
        )

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True)
class Calibration:
    """National assumptions of scenario SSB for steps base_year .. last_year - 1."""

    base_year: int
    years: np.ndarray  # (n,) start year of each calibrated step
    tfr: np.ndarray  # (n,) TFR each year
    mx_factor: np.ndarray  # (n, 111) multiplier on the fitted mx (both sexes) each year
    intl_level: np.ndarray  # (n,) multiplier on the fitted national net immigration
    intl_profile: np.ndarray  # (106,) constant age-profile factor on immigration
    max_error_pct: float  # largest |ours/SSB - 1| over groups and years, in percent

    def extend(self, steps: np.ndarray) -> Calibration:
        """The assumptions for ``steps`` (later years hold the last calibrated year's)."""
        idx = np.clip(np.asarray(steps) - self.years[0], 0, len(self.years) - 1)
        return Calibration(
            self.base_year,
            np.asarray(steps),
            self.tfr[idx],
            self.mx_factor[idx],
            self.intl_level[idx],
            self.intl_profile,
            self.max_error_pct,
        )


def _band(group: str, n_ages: int) -> np.ndarray:
    """Ages on 1 January of t that arrive in ``group`` on 1 January t+1 (a mask)."""
    lo, hi = AGE_GROUPS[group]
    mask = np.zeros(n_ages, dtype=bool)
    mask[max(lo - 1, 0) : (hi if hi < N_AGE - 1 else n_ages)] = True
    return mask


def _group_mask(group: str) -> np.ndarray:
    """Ages on 1 January t+1 that make up ``group`` (migration is booked by arrival age)."""
    lo, hi = AGE_GROUPS[group]
    mask = np.zeros(N_AGE, dtype=bool)
    mask[lo : hi + 1] = True
    return mask


def _survivors(nat: np.ndarray, S: np.ndarray) -> np.ndarray:
    """(..., 2, 106) survivors by age on the next 1 January (age 0 empty), as the engine."""
    ps = nat * S
    out = np.zeros_like(ps)
    out[..., 1 : N_AGE - 1] = ps[..., : N_AGE - 2]
    out[..., N_AGE - 1] = ps[..., N_AGE - 2] + ps[..., N_AGE - 1]
    return out


@dataclass(frozen=True)
class _Setup:
    mx: np.ndarray  # (n, 2, 111) fitted mx of each step
    bands_mx: np.ndarray  # (3, 111) mortality bands
    bands_mig: np.ndarray  # (6, 106) immigration bands (arrival ages)
    intl_nat: np.ndarray  # (2, 106) fitted national net immigration by arrival age (age 0 = 0)
    age0_split: np.ndarray  # (2,) share of the 0-year-olds by sex (boys, girls)
    target: np.ndarray  # (n + 1, 10) SSB by age group


def _residuals(setup: _Setup, j: int, nat: np.ndarray, x: np.ndarray, intl: np.ndarray):
    """Relative misses at t+1 of (67-79, 80-89, 90+, 1-66) for batched controls ``x``.

    ``nat`` (B, 2, 106) national stocks at t, ``x`` (B, P, 4) = (log mortality factor of the
    three bands, immigration level), ``intl`` (B, 2, 106). Returns (res (B, P, 4), next stock
    (B, P, 2, 106) without age 0). Everything is national: the domestic part sums to zero
    over kommuner in every cell, so survivors plus immigration give every group 1+ exactly.
    """
    fac = np.exp(x[..., :3] @ setup.bands_mx)  # (B, P, 111)
    S, _ = survival(setup.mx[j] * fac[..., None, :])
    nxt = _survivors(nat[:, None], S) + x[..., 3, None, None] * intl[:, None]
    g = group_ages(nxt)  # (B, P, 10)
    tgt = setup.target[j + 1]
    mig = [GROUP_INDEX[n] for n in MIGRATION_GROUPS]
    res = np.stack(
        [g[..., GROUP_INDEX[n]] / tgt[GROUP_INDEX[n]] - 1.0 for n in MORTALITY_GROUPS]
        + [g[..., mig].sum(axis=-1) / tgt[mig].sum() - 1.0],
        axis=-1,
    )
    return res, nxt


def _national_pass(setup: _Setup, nat0: np.ndarray, profiles: np.ndarray):
    """Year-by-year Newton solve for every immigration profile in ``profiles`` (B, 106).

    Returns controls (B, n, 4) and the national path by age group (B, n + 1, 10); the
    0-year-olds are set to SSB's (fertility is solved afterwards on the kommune engine).
    """
    B, n = len(profiles), len(setup.mx)
    intl = setup.intl_nat[None] * profiles[:, None, :]
    nat = np.broadcast_to(nat0, (B, 2, N_AGE)).copy()
    x = np.tile(np.array([0.0, 0.0, 0.0, 1.0]), (B, 1))
    h = 1e-5
    controls = np.empty((B, n, 4))
    path = np.empty((B, n + 1, len(AGE_GROUPS)))
    path[:, 0] = group_ages(nat)
    pert = np.vstack([np.zeros(4), h * np.eye(4)])  # (5, 4): base + one step per control
    for j in range(n):
        for _ in range(NEWTON_STEPS):
            res, _ = _residuals(setup, j, nat, x[:, None, :] + pert[None], intl)
            J = (res[:, 1:, :] - res[:, :1, :]).transpose(0, 2, 1) / h  # (B, 4, 4)
            x = x - np.linalg.solve(J, res[:, 0, :, None])[..., 0]
        _, nxt = _residuals(setup, j, nat, x[:, None, :], intl)
        nat = nxt[:, 0]
        nat[..., 0] = setup.target[j + 1][GROUP_INDEX["0"]] * setup.age0_split
        controls[:, j] = x
        path[:, j + 1] = group_ages(nat)
    return controls, path


def _fit_profile(setup: _Setup, nat0: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Constant immigration age profile (one factor per band) by Gauss-Newton on the misses
    of the groups 1-66 over all years; returns (profile (106,), controls (n, 4))."""
    mig = [GROUP_INDEX[n] for n in MIGRATION_GROUPS]
    # the level is solved each year on the sum of 1-66, so scaling every band alike changes
    # nothing: hold the largest band (20-44) at 1 and fit the other five relative to it
    free = [b for b, g in enumerate(MIGRATION_GROUPS) if g != "20-44"]
    logf = np.zeros(len(MIGRATION_GROUPS))
    h = 1e-3
    for _ in range(PROFILE_ROUNDS):
        trial = np.tile(logf, (len(free) + 1, 1))
        trial[1:, free] += h * np.eye(len(free))
        profiles = np.exp(trial @ setup.bands_mig)
        profiles[:, 0] = 1.0
        controls, path = _national_pass(setup, nat0, profiles)
        r = (path[:, 1:, mig] / setup.target[None, 1:, mig] - 1.0).reshape(len(trial), -1)
        J = (r[1:] - r[:1]).T / h
        step = np.linalg.lstsq(J, r[0], rcond=None)[0]
        logf[free] -= step
        if np.abs(step).max() < PROFILE_TOL:
            break
    profile = np.exp(logf @ setup.bands_mig)
    profile[0] = 1.0
    controls, _ = _national_pass(setup, nat0, profile[None])
    return profile, controls[0]


def _engine_step(fm, config, state, S, Sb, fert, intl, level):
    m, f = fm.migration, fm.fertility
    inp = EngineInputs(
        pop0=state,
        S=S[None],
        Sb=Sb[None],
        fert=fert[None],
        local_index=f.local_index,
        male_share=f.male_share,
        international=intl,
        intl_scale=np.array([level]),
        dom_neg_rate=m.dom_neg_rate,
        dom_pos=m.dom_pos,
        dom_mode="counts" if config.migration_method == "counts" else "rebalance",
        pos_is_rate=m.pos_is_rate,
        dom_scale=np.ones(1),
    )
    return run(inp).population[1]


@lru_cache(maxsize=4)
def calibrate(base_year: int, config, alternative: str = ALTERNATIVE) -> Calibration:
    """Calibrate on the fitted model for ``base_year`` to SSB's ``alternative`` (cached).

    Scenario SSB uses the main alternative; the others (HHMH, LLML) work the same way.
    """
    years, target = ssb_agegroup_matrix(alternative)
    if base_year != int(years[0]):
        raise SSBCalibrationError(
            f"Scenario SSB er kalibrert mot SSBs framskriving fra {int(years[0])} og krever "
            f"basisår {int(years[0])}, fikk {base_year}. / Scenario SSB needs base year "
            f"{int(years[0])}."
        )
    fm = fit(base_year, config)
    f = fm.fertility
    steps = years[:-1]
    mx = fm.mortality.mx(steps, 1.0, from_year=fm.base_year)
    intl_nat = fm.migration.international.sum(axis=0)
    intl_nat[:, 0] = 0.0  # the engine never moves age 0
    _, Sb0 = survival(mx[0])
    split = np.array([f.male_share, 1 - f.male_share]) * Sb0
    setup = _Setup(
        mx=mx,
        bands_mx=np.stack([_band(g, HMD_AGES) for g in MORTALITY_GROUPS]).astype(float),
        bands_mig=np.stack([_group_mask(g) for g in MIGRATION_GROUPS]).astype(float),
        intl_nat=intl_nat,
        age0_split=split / split.sum(),
        target=target,
    )
    nat0 = fm.pop0.sum(axis=0)
    try:
        profile, controls = _fit_profile(setup, nat0)
    except np.linalg.LinAlgError as exc:
        raise SSBConvergenceError(f"{exc}") from exc
    if not np.isfinite(controls).all() or not np.isfinite(profile).all():
        raise SSBConvergenceError("ikke-endelige verdier")

    # fertility on the kommune engine: births depend on where the women live (local index)
    fc = cohort_rates(f.schedule)
    intl = fm.migration.international * profile[None, None, :]
    factor = np.exp(controls[:, :3] @ setup.bands_mx)
    tfr = np.empty(len(steps))
    state = np.asarray(fm.pop0, dtype=np.float32)
    worst = 0.0
    for j in range(len(steps)):
        S, Sb = survival(mx[j] * factor[j][None, :])
        nxt = _engine_step(fm, config, state, S, Sb, fc, intl, controls[j, 3])
        births0 = float(nxt[..., 0].sum(dtype=np.float64))
        ratio = target[j + 1][GROUP_INDEX["0"]] / births0
        tfr[j] = f.tfr_jump * ratio  # births are linear in the rates
        nxt = nxt.copy()
        nxt[..., 0] *= np.float32(ratio)
        state = nxt
        got = group_ages(state.sum(axis=0, dtype=np.float64))
        worst = max(worst, float(np.abs(got / target[j + 1] - 1.0).max()))
    return Calibration(base_year, steps, tfr, factor, controls[:, 3], profile, 100 * worst)
