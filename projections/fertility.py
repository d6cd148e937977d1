"""Fertility: national age-specific rates scaled by a shrunken local fertility index.

Method family: indirect standardisation (observed / expected 0-year-olds) with empirical-Bayes
(credibility) shrinkage toward kommuner of similar size (projections/peers.py; the fylke before
issue 18), on top of the HFD national schedule.

Arrays: female stocks (..., K, 106) by age on 1 January; rates (..., 106) by age in completed
years (HFD convention: 12 = "12 and younger", 55 = "55+").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from projections.inputs import NationalData, PopulationData

FERTILITY_WINDOW = 8  # years of 0-year-olds used for the local index
TARGET_YEARS = 10
LEVEL_YEARS = 3  # calibration years averaged for the jump-off fertility level  # scenario TFR targets are reached linearly over this many years


def cohort_rates(asfr: np.ndarray) -> np.ndarray:
    """Rates for women aged a on 1 January over the next year: (f[a] + f[a+1]) / 2.

    A woman aged a at 1 January spends on average half the year at age a and half at a + 1
    (Lexis parallelogram), so the completed-age rates are averaged.
    """
    fc = np.zeros_like(asfr)
    fc[..., :-1] = 0.5 * (asfr[..., :-1] + asfr[..., 1:])
    return fc


def exposure(f_start: np.ndarray, f_end: np.ndarray) -> np.ndarray:
    """Women-years lived in the year by each 1-January cohort: mean of start and end stock.

    ``f_start`` (..., 106) at t by age a; ``f_end`` (..., 106) at t+1 by age a+1 (the same
    cohort). The open group is ignored (zero fertility).
    """
    out = np.zeros_like(f_start)
    out[..., :-1] = 0.5 * (f_start[..., :-1] + f_end[..., 1:])
    return out


@dataclass(frozen=True)
class FertilityModel:
    """Fitted fertility: jump-off national schedule, local indices, TFR bookkeeping."""

    schedule: np.ndarray  # (106,) effective jump-off asfr (births per woman-year, completed age)
    tfr_jump: float  # jump-off TFR (HFD-consistent level)
    local_index: np.ndarray  # (K,) shrunken index, population-weighted mean about 1
    raw_index: np.ndarray  # (K,) unshrunk observed/expected (NaN where no exact years)
    credibility: np.ndarray  # (K,) weight on the kommune's own experience
    male_share: float  # share of boys among births
    calibration: dict[int, float]  # year -> implied national level factor

    def tfr_path(
        self, years: np.ndarray, target: float | None, reach: int = TARGET_YEARS
    ) -> np.ndarray:
        """TFR for each projection year: linear from jump-off to ``target`` over ``reach`` years."""
        if target is None:
            return np.full(len(years), self.tfr_jump)
        step = np.clip((np.asarray(years) - years[0] + 1) / reach, 0.0, 1.0)
        return self.tfr_jump + (target - self.tfr_jump) * step


def fit_fertility(
    pop: PopulationData,
    nat: NationalData,
    base_year: int,
    infant_survival: dict[int, np.ndarray],
    window: int = FERTILITY_WINDOW,
    peers: tuple[np.ndarray, int] | None = None,
) -> FertilityModel:
    """Fit on data up to ``base_year`` only (0-year-olds on 1 Jan <= base_year, HFD <= base-1).

    ``infant_survival[t]`` (2,) is the share of year-t births alive on 1 Jan t+1 (male, female).
    National level after the last HFD year: the HFD shape is scaled so expected 0-year-olds
    match the observed national count of 0-year-olds each 1 January (i.e. births inferred from
    age-0 stocks, which also absorb infant net migration). The local index is shrunk toward
    the group ``peers`` = (index (K,), n) (projections/peers.py; default: the fylke).
    """
    hfd_sel = nat.asfr_years <= base_year - 1
    hfd_years = nat.asfr_years[hfd_sel]
    hfd = nat.asfr[hfd_sel]
    b_sel = nat.births_years <= base_year - 1
    male_share = float(np.mean(nat.male_share_births[b_sel][-10:]))
    sex_share = np.array([male_share, 1.0 - male_share])

    first = max(int(pop.years[0]), base_year - window)
    trans = np.arange(first, base_year)
    calibration: dict[int, float] = {}
    obs = np.zeros(len(pop.kommuner))
    exp_ = np.zeros(len(pop.kommuner))
    for t in trans:
        i = pop.year_index(t)
        f = hfd[min(np.searchsorted(hfd_years, t, side="right") - 1, len(hfd_years) - 1)]
        fc = cohort_rates(f)
        women = exposure(pop.pop[i, :, 1], pop.pop[i + 1, :, 1])  # (K, 106)
        births = women @ fc  # (K,)
        e0k = births * float(sex_share @ infant_survival[int(t)])
        o0k = pop.pop[i + 1, :, :, 0].sum(axis=1)
        calibration[int(t)] = float(o0k.sum() / e0k.sum())
        ok = pop.exact[i] & pop.exact[i + 1]
        obs += np.where(ok, o0k, 0.0)
        exp_ += np.where(ok, e0k * calibration[int(t)], 0.0)

    with np.errstate(divide="ignore", invalid="ignore"):
        raw = np.where(exp_ > 0, obs / exp_, np.nan)
    group, nf = peers if peers is not None else (pop.fylke_index, len(pop.fylker))
    f_obs = np.bincount(group, weights=obs, minlength=nf)
    f_exp = np.bincount(group, weights=exp_, minlength=nf)
    prior = (f_obs / np.maximum(f_exp, 1e-9))[group]
    has = exp_ > 0
    # method of moments: between-kommune variance net of Poisson noise (var(O/E) ~ index/E)
    noise = prior[has] / exp_[has]
    tau2 = max(float(np.mean((raw[has] - prior[has]) ** 2 - noise)), 1e-4)
    cred = np.zeros_like(exp_)
    cred[has] = tau2 / (tau2 + noise)
    local = np.where(has, cred * np.nan_to_num(raw) + (1 - cred) * prior, prior)

    # hfd[-1] is the year min(base-1, last HFD year); after HFD ends the level follows the
    # age-0 calibration relative to the last HFD year (the 2023-2025 births inferred from 0-year-olds)
    last_hfd = int(hfd_years[-1])
    last_t = int(trans[-1])
    ref = calibration.get(last_hfd, calibration[last_t])
    # level: mean of the last LEVEL_YEARS calibration factors (one year is noisy, e.g. the
    # refugee infants of 2022-2024 arrive as 0-year-olds), relative to the last HFD year
    recent = [calibration[t] for t in sorted(calibration)[-LEVEL_YEARS:]]
    level = float(np.mean(recent))
    tfr_jump = float(hfd[-1].sum() * level / ref)
    schedule = hfd[-1] * level
    return FertilityModel(
        schedule=schedule,
        tfr_jump=tfr_jump,
        local_index=local,
        raw_index=raw,
        credibility=cred,
        male_share=male_share,
        calibration=calibration,
    )
