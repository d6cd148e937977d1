"""The deterministic cohort-component core: pure functions over numpy arrays.

Axis order: population (year, kommune, sex, age); sex 0 = male, 1 = female; age 0..105 with 105
the open group. One step moves 1 January of year t to 1 January of t+1:

    survivors[a+1] = P[a] * S[a]              (a < 104)
    survivors[105] = P[104] * S[104] + P[105] * S[105]
    deaths[a]      = P[a] - P[a] * S[a]       (by age on 1 January t)
    net_mig        = international + domestic (ages 1..105), clipped so no cell goes negative
    P'[1:]         = survivors[1:] + net_mig[1:]
    births         = index * sum_a fc[a] * (P_f[a] + P'_f[a+1]) / 2, split by sex
    P'[0]          = births * Sb              (infant deaths = births * (1 - Sb))

so ``P' == survivors + net_mig`` holds exactly (same floating-point operations), and clipping
is booked as extra net migration rather than lost.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from projections.fertility import exposure
from projections.migration import survivors


@dataclass(frozen=True)
class EngineInputs:
    """Everything the loop needs, already scenario-adjusted. Y-1 = number of steps."""

    pop0: np.ndarray  # (K, 2, 106)
    S: np.ndarray  # (Y-1, 2, 106) survival to next 1 January
    Sb: np.ndarray  # (Y-1, 2) births alive on 1 January
    fert: np.ndarray  # (Y-1, 106) national cohort fertility rates for the year (effective)
    local_index: np.ndarray  # (K,)
    male_share: float
    international: np.ndarray  # (Y-1, K, 2, 106) or broadcastable (K, 2, 106) x (Y-1,) scale
    intl_scale: np.ndarray  # (Y-1,)
    dom_neg_rate: np.ndarray  # (K, 2, 106)
    dom_pos: np.ndarray  # (K, 2, 106)
    dom_mode: str  # "counts" | "rebalance"
    pos_is_rate: bool
    dom_scale: np.ndarray  # (Y-1,)


@dataclass(frozen=True)
class EngineOutput:
    population: np.ndarray  # (Y, K, 2, 106)
    births: np.ndarray  # (Y-1, K, 2)
    deaths: np.ndarray  # (Y-1, K, 2, 106) by age on 1 January t
    infant_deaths: np.ndarray  # (Y-1, K, 2) births dying before 1 January t+1
    net_migration: np.ndarray  # (Y-1, K, 2, 106) by age on 1 January t+1, incl. clipping
    international: np.ndarray  # (Y-1, K) net international migration (totals)
    domestic: np.ndarray  # (Y-1, K) net domestic migration before clipping (totals)
    clipped: np.ndarray  # (Y-1, K) persons added to avoid negative cells (in net_migration)


def domestic_flow(
    surv: np.ndarray,
    neg_rate: np.ndarray,
    pos: np.ndarray,
    mode: str,
    pos_is_rate: bool,
) -> np.ndarray:
    """Domestic net migration for one year, summing to zero over kommuner in each sex/age cell.

    Out-flow cells follow the population (rate x survivors); in-flow cells are counts (or rates)
    scaled so they absorb exactly what the out-flow cells lose.
    """
    if mode == "counts":
        return pos
    neg = neg_rate * surv
    inflow = pos * surv if pos_is_rate else pos
    tot_in = inflow.sum(axis=0)
    lam = np.divide(-neg.sum(axis=0), tot_in, out=np.zeros_like(tot_in), where=tot_in > 0)
    return neg + inflow * lam


def run(inp: EngineInputs) -> EngineOutput:
    """Project ``pop0`` forward len(S) years. Pure: inputs are not modified."""
    steps = inp.S.shape[0]
    K = inp.pop0.shape[0]
    pop = np.empty((steps + 1, *inp.pop0.shape))
    pop[0] = inp.pop0
    births = np.empty((steps, K, 2))
    deaths = np.empty((steps, *inp.pop0.shape))
    infant = np.empty((steps, K, 2))
    netmig = np.empty((steps, *inp.pop0.shape))
    intl_tot = np.empty((steps, K))
    dom_tot = np.empty((steps, K))
    clipped = np.empty((steps, K))
    sex_share = np.array([inp.male_share, 1.0 - inp.male_share])
    intl_per_year = inp.international.ndim == 4
    for j in range(steps):
        P = pop[j]
        S = inp.S[j]
        surv = survivors(P, S)
        deaths[j] = P - P * S
        intl = (inp.international[j] if intl_per_year else inp.international) * inp.intl_scale[j]
        dom = domestic_flow(surv, inp.dom_neg_rate, inp.dom_pos, inp.dom_mode, inp.pos_is_rate)
        dom = dom * inp.dom_scale[j]
        nm = intl + dom
        nm[..., 0] = 0.0
        raw = surv + nm
        neg = raw < 0
        fix = np.where(neg, -raw, 0.0)
        nm = np.where(neg, -surv, nm)  # surv + (-surv) == 0 exactly
        nxt = pop[j + 1]
        nxt[...] = surv + nm
        women = exposure(P[:, 1], nxt[:, 1])
        b = (women @ inp.fert[j]) * inp.local_index
        bs = b[:, None] * sex_share
        births[j] = bs
        b0 = bs * inp.Sb[j]
        infant[j] = bs - b0
        nxt[:, :, 0] = surv[:, :, 0] + b0 + nm[:, :, 0]
        netmig[j] = nm
        intl_tot[j] = intl.sum(axis=(1, 2))
        dom_tot[j] = dom.sum(axis=(1, 2))
        clipped[j] = fix.sum(axis=(1, 2))
    return EngineOutput(pop, births, deaths, infant, netmig, intl_tot, dom_tot, clipped)
