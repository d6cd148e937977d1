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

DTYPE = np.float32  # stocks and flows (see run()); fitting and aggregates are float64


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
    # extra net migration counts (n, K, 2, 106) for the first n <= Y-1 years (the forecast
    # combination, projections/combination.py); None = none
    extra: np.ndarray | None = None


def deaths_by_age(population: np.ndarray, S: np.ndarray) -> np.ndarray:
    """Deaths during each year by age on 1 January: P - P * S (computed on demand, not in the
    loop, so the hot loop writes only the arrays it needs). ``S`` is rounded to the dtype of
    ``population`` first, as the engine does, so deaths + P * S == P as in the loop."""
    P = population[:-1]
    S = np.asarray(S, dtype=P.dtype)
    return P - P * S[:, None]


@dataclass(frozen=True)
class EngineOutput:
    population: np.ndarray  # (Y, K, 2, 106) float32
    births: np.ndarray  # (Y-1, K, 2) float32
    infant_deaths: np.ndarray  # (Y-1, K, 2) float32 births dying before 1 January t+1
    net_migration: np.ndarray  # (Y-1, K, 2, 106) float32 by age on 1 January t+1, incl. clipping
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

    Stocks and flows are computed and stored in float32 (``DTYPE``): the inputs are fitted in
    float64 and rounded once, before the loop. The loop is memory-bound, so half the bytes is
    about a third less time, and the result arrays take half the memory. float32 carries ~7
    significant digits (1e-7 relative per operation, ~0.001 person for a cell of 10 000), far
    below a person; every aggregate over cells is summed in float64 by the callers. The
    fixed in-flow denominators (``pos_tot``) are summed once in float64; summing the yearly
    out-flows in float64 too cost ~0.6 ms and changed no cell by more than 0.002 persons.

    Why it is written this way: the loop is memory-bound (each whole-array operation streams
    about 0.6 MB), so it does as few whole-array passes per year as the arithmetic allows, all on
    contiguous (K, 212) views with preallocated buffers and ``out=``:

    * the shift to the next age is free: survivors are multiplied straight into a buffer offset
      by one element, and only the open groups and age-0 columns are fixed afterwards;
    * scaled flows and the domestic in-flow denominators are computed once, before the loop;
    * the female women-years use one contiguous add over the flat arrays (the unused cells are
      never read) and a strided matrix-vector product;
    * clipping touches only the few negative cells, and outputs not needed inside the loop
      (infant deaths, international totals) are derived after it with the same operations.

    Every stored value is produced by the same operations as the plain per-array
    formulation (kept, in float64, in ``tests/unit/test_projection_reference.py``, which bounds the
    float32 difference), and ``population[t+1] == survivors + net_migration`` holds exactly
    in float32 (survivors = P * float32(S), shifted; age 0 = births * float32(Sb)).
    """
    steps = inp.S.shape[0]
    K, NS, NA = inp.pop0.shape
    C = NS * NA  # cells per kommune: male ages 0..105, then female ages 0..105
    n = K * C
    F = DTYPE
    pop = np.empty((steps + 1, K, NS, NA), dtype=F)
    pop[0] = inp.pop0
    netmig = np.empty((steps, K, NS, NA), dtype=F)
    births = np.empty((steps, K, NS), dtype=F)
    clipped = np.zeros((steps, K))
    sex_share = np.array([inp.male_share, 1.0 - inp.male_share], dtype=F)
    rebalance = inp.dom_mode != "counts"

    # loop invariants: age 0 never migrates (infant moves are in the fertility index)
    def no_age0(a: np.ndarray, dtype: type = F) -> np.ndarray:
        a = np.array(a, dtype=dtype)
        a[..., 0] = 0.0
        return np.ascontiguousarray(a.reshape(K, C))

    intl_k = no_age0(inp.international, np.float64).sum(axis=1)  # totals from the float64 fit
    intl = no_age0(inp.international)
    neg_rate = no_age0(inp.dom_neg_rate)
    pos = no_age0(inp.dom_pos)
    # scaled copies, one per distinct scale value (scenario scales are constant over time)
    cache: dict[tuple[int, float], np.ndarray] = {}

    def scaled(arr: np.ndarray, factor: float) -> np.ndarray:
        key = (id(arr), float(factor))
        if key not in cache:
            cache[key] = arr if factor == 1.0 else arr * float(factor)  # stays float32
        return cache[key]

    intl_by_year = [scaled(intl, sc) for sc in inp.intl_scale]
    if rebalance:
        dom_by_year = [scaled(neg_rate, ds) for ds in inp.dom_scale]
    else:
        dom_by_year = [scaled(pos, ds) for ds in inp.dom_scale]
    pos_tot = pos.sum(axis=0, dtype=np.float64)
    has_in = pos_tot > 0
    minus_pos_tot = -pos_tot  # -a / b == a / -b exactly
    S2 = np.ascontiguousarray(inp.S, dtype=F).reshape(steps, C)
    Sb = np.ascontiguousarray(inp.Sb, dtype=F)
    fert = np.ascontiguousarray(inp.fert[:, :-1] * 0.5, dtype=F)  # women-years: (start + end) / 2
    local_index = np.asarray(inp.local_index, dtype=F)

    # work buffers; survivors live one element after the stock they come from, so that
    # ps[k, i] = P[k, i] * S[i] lands in surv[k, i + 1] (surv[k, 0] holds kommune k-1's last)
    surv_ext = np.zeros(n + 1, dtype=F)
    ps = surv_ext[1:].reshape(K, C)
    surv = surv_ext[:-1].reshape(K, C)
    tmp = np.empty((K, C), dtype=F)
    dom = np.empty((K, C), dtype=F)
    colsum = np.empty(C, dtype=F)
    lam = np.zeros(C)  # float64, like pos_tot; rounded to float32 once (lam_f)
    lam_f = np.zeros(C, dtype=F)
    b = np.empty(K, dtype=F)  # births per kommune (both sexes)
    wbuf = np.empty(n, dtype=F)  # female women-years at [k, a] (a < 105); other cells unused
    women = wbuf.reshape(K, C)[:, : NA - 1]
    # fixed views, so the loop body is only ufunc calls
    m_top, f_top, f_first = NA - 1, C - 1, NA  # male 105+, female 105+, female age 0
    s_mtop, s_ftop, s_age0, s_fage0 = surv[:, m_top], surv[:, f_top], surv[:, 0], surv[:, f_first]
    ps_ftop = ps[:, f_top]
    pop2, pop_flat, age0 = pop.reshape(steps + 1, K, C), pop.reshape(steps + 1, n), pop[..., 0]
    netmig2 = netmig.reshape(steps, K, C)
    w_out, b_col = wbuf[: n - NA - 1], b[:, None]
    extra = None
    if inp.extra is not None:
        extra = np.array(inp.extra, dtype=F).reshape(-1, K, C)
        extra[..., 0] = 0.0  # age 0 never migrates
        extra[..., NA] = 0.0
    for j in range(steps):
        P, nxt, nm = pop2[j], pop2[j + 1], netmig2[j]
        np.multiply(P, S2[j], out=ps)
        # open groups: 104 -> 105+ (already in place) plus 105+ staying (ps of the top cell)
        np.add(s_mtop, s_fage0, out=s_mtop)
        np.add(s_ftop, ps_ftop, out=s_ftop)
        s_age0.fill(0.0)
        s_fage0.fill(0.0)
        # domestic: out-flow cells as rates, in-flow cells absorb them (sums to zero);
        # the scale is applied to the out-flow rates, and lam carries it to the in-flows
        if not rebalance:
            np.add(intl_by_year[j], dom_by_year[j], out=nm)
        else:
            np.multiply(dom_by_year[j], surv, out=tmp)
            np.sum(tmp, axis=0, out=colsum)
            if inp.pos_is_rate:
                np.multiply(pos, surv, out=dom)
                tot_in = dom.sum(axis=0)
                lam.fill(0.0)
                np.divide(colsum, -tot_in, out=lam, where=tot_in > 0)
                np.copyto(lam_f, lam, casting="same_kind")
                np.multiply(dom, lam_f, out=dom)
            else:
                np.divide(colsum, minus_pos_tot, out=lam, where=has_in)
                np.copyto(lam_f, lam, casting="same_kind")
                np.multiply(pos, lam_f, out=dom)
            np.add(dom, tmp, out=dom)
            np.add(dom, intl_by_year[j], out=nm)  # net migration is written once
        if extra is not None and j < len(extra):
            np.add(nm, extra[j], out=nm)
        np.add(surv, nm, out=nxt)
        if nxt.min() < 0:  # rare cells: book -survivors as net migration, the cell is 0
            cells = np.flatnonzero(nxt < 0)
            rows = np.unique(cells // C)
            clipped[j, rows] = -np.minimum(nxt[rows], 0.0).sum(axis=1, dtype=np.float64)
            nm.reshape(n)[cells] = -surv.reshape(n)[cells]  # surv + (-surv) == 0 exactly
            pop_flat[j + 1, cells] = 0.0
        # births from women-years of each cohort: P_f[a] + P'_f[a + 1], a = 0..104
        np.add(pop_flat[j, NA:-1], pop_flat[j + 1, NA + 1 :], out=w_out)
        np.matmul(women, fert[j], out=b)
        np.multiply(b, local_index, out=b)
        np.multiply(b_col, sex_share, out=births[j])
        np.multiply(births[j], Sb[j], out=age0[j + 1])
    infant = births - births * Sb[:, None, :]
    intl_tot = np.asarray(inp.intl_scale, dtype=np.float64)[:, None] * intl_k
    return EngineOutput(pop, births, infant, netmig, intl_tot, clipped)
