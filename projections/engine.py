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


@dataclass(frozen=True)
class EngineInputs:
    """Everything the loop needs, already scenario-adjusted. Y-1 = number of steps."""

    pop0: np.ndarray  # (K, 2, 106)
    S: np.ndarray  # (Y-1, 2, 106) survival to next 1 January
    Sb: np.ndarray  # (Y-1, 2) births alive on 1 January
    fert: np.ndarray  # (Y-1, 106) national cohort fertility rates for the year (effective)
    local_index: np.ndarray  # (K,)
    male_share: float
    international: np.ndarray  # (K, 2, 106) counts at scale 1
    intl_scale: np.ndarray  # (Y-1,)
    dom_neg_rate: np.ndarray  # (K, 2, 106)
    dom_pos: np.ndarray  # (K, 2, 106)
    dom_mode: str  # "counts" | "rebalance"
    pos_is_rate: bool
    dom_scale: np.ndarray  # (Y-1,)


def deaths_by_age(population: np.ndarray, S: np.ndarray) -> np.ndarray:
    """Deaths during each year by age on 1 January: P - P * S (computed on demand, not in the
    loop, so the hot loop writes only the arrays it needs)."""
    P = population[:-1]
    return P - P * S[:, None]


@dataclass(frozen=True)
class EngineOutput:
    population: np.ndarray  # (Y, K, 2, 106)
    births: np.ndarray  # (Y-1, K, 2)
    infant_deaths: np.ndarray  # (Y-1, K, 2) births dying before 1 January t+1
    net_migration: np.ndarray  # (Y-1, K, 2, 106) by age on 1 January t+1, incl. clipping
    international: np.ndarray  # (Y-1, K) net international migration (totals)
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
    """Project ``pop0`` forward len(S) years. Pure: inputs are not modified.

    Written with preallocated buffers and ``out=`` arguments (about a dozen whole-array
    operations per year), so 357 x 2 x 106 cells x 24 years take a few milliseconds.
    """
    steps = inp.S.shape[0]
    K = inp.pop0.shape[0]
    shape = inp.pop0.shape
    pop = np.empty((steps + 1, *shape))
    pop[0] = inp.pop0
    births = np.empty((steps, K, 2))
    infant = np.empty((steps, K, 2))
    netmig = np.empty((steps, *shape))
    intl_tot = np.empty((steps, K))
    clipped = np.zeros((steps, K))
    sex_share = np.array([inp.male_share, 1.0 - inp.male_share])

    # loop invariants: age 0 never migrates (infant moves are in the fertility index);
    # scaled copies are cached per scale value (scenario scales are constant over time)
    intl = np.array(inp.international)
    intl[..., 0] = 0.0
    neg_rate = np.array(inp.dom_neg_rate)
    neg_rate[..., 0] = 0.0
    pos = np.array(inp.dom_pos)
    pos[..., 0] = 0.0
    rebalance = inp.dom_mode != "counts"
    intl_k = intl.sum(axis=(-2, -1))
    scaled: dict[tuple[str, float], np.ndarray] = {}

    def scaled_by(name: str, arr: np.ndarray, factor: float) -> np.ndarray:
        key = (name, float(factor))
        if key not in scaled:
            scaled[key] = arr if factor == 1.0 else arr * factor
        return scaled[key]

    pos_tot = pos.sum(axis=0)
    has_in = pos_tot > 0
    top = np.empty(shape[:-1])
    surv = np.zeros(shape)
    dom = np.empty(shape)
    tmp = np.empty(shape)
    lam = np.zeros(shape[1:])
    women = np.empty((K, shape[2] - 1))
    fert = inp.fert[:, :-1] * 0.5  # women-years are (start + end) / 2
    for j in range(steps):
        P = pop[j]
        nxt = pop[j + 1]
        nm = netmig[j]
        # survivors written straight into their new age (no separate shift copy)
        Sj = inp.S[j]
        np.multiply(P[..., :-1], Sj[:, :-1], out=surv[..., 1:])
        np.multiply(P[..., -1], Sj[:, -1], out=top)
        surv[..., -1] += top
        ds = inp.dom_scale[j]
        # domestic: out-flow cells as rates, in-flow cells absorb them (sums to zero);
        # the scale is applied to the out-flow rates, and lam carries it to the in-flows
        if not rebalance:
            np.copyto(dom, scaled_by("pos", pos, ds))
        elif inp.pos_is_rate:
            np.multiply(scaled_by("neg", neg_rate, ds), surv, out=tmp)
            np.multiply(pos, surv, out=dom)
            tot_in = dom.sum(axis=0)
            lam.fill(0.0)
            np.divide(-tmp.sum(axis=0), tot_in, out=lam, where=tot_in > 0)
            np.multiply(dom, lam, out=dom)
            np.add(dom, tmp, out=dom)
        else:
            np.multiply(scaled_by("neg", neg_rate, ds), surv, out=tmp)
            lam.fill(0.0)
            np.divide(-tmp.sum(axis=0), pos_tot, out=lam, where=has_in)
            np.multiply(pos, lam, out=dom)
            np.add(dom, tmp, out=dom)
        sc = inp.intl_scale[j]
        np.add(scaled_by("intl", intl, sc), dom, out=nm)
        intl_tot[j] = intl_k * sc
        np.add(surv, nm, out=nxt)
        if nxt.min() < 0:
            neg = nxt < 0
            clipped[j] = np.where(neg, -nxt, 0.0).sum(axis=(1, 2))
            np.copyto(nm, -surv, where=neg)  # surv + (-surv) == 0 exactly
            np.copyto(nxt, 0.0, where=neg)
        # births from women-years of each cohort
        np.add(P[:, 1, :-1], nxt[:, 1, 1:], out=women)
        b = (women @ fert[j]) * inp.local_index
        bs = b[:, None] * sex_share
        births[j] = bs
        b0 = bs * inp.Sb[j]
        infant[j] = bs - b0
        nxt[:, :, 0] = b0
    return EngineOutput(pop, births, infant, netmig, intl_tot, clipped)
