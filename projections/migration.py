"""Net migration by the residual method, split into an international and a domestic part.

Method family: demographic accounting residuals (net migration = stock at t+1 minus survivors of
the stock at t), averaged over a window, smoothed over age, and projected with a mixed
count/rate rule.

Arrays: (K, 2, 106) = (kommune, sex, age at 1 January of the *end* year). Age 0 is left at zero:
infant net migration is absorbed into the local fertility index (both are estimated from the
same 0-year-old stocks, so counting it twice would be wrong).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from projections.inputs import N_AGE, NationalPopulation, PopulationData

METHODS = ("counts", "rates", "mixed")


def survivors(pop: np.ndarray, S: np.ndarray) -> np.ndarray:
    """Survivors to the next 1 January by age at arrival; age 0 left empty for births.

    ``pop`` (..., 2, 106) and ``S`` (2, 106) broadcast; the open group gets 104 and 105+.
    """
    ps = pop * S
    out = np.zeros_like(ps)
    out[..., 1 : N_AGE - 1] = ps[..., : N_AGE - 2]
    out[..., N_AGE - 1] = ps[..., N_AGE - 2] + ps[..., N_AGE - 1]
    return out


def smooth_age(x: np.ndarray, width: int) -> np.ndarray:
    """Binomial-kernel smoothing over the last (age) axis for ages 1..105; totals preserved.

    ``width`` is the kernel's number of points (1 = no smoothing). The kernel is renormalised
    at the edges and the smoothed series rescaled so the sum over ages is unchanged.
    """
    if width <= 1:
        return x.copy()
    kern = np.array([1.0])
    for _ in range(width - 1):
        kern = np.convolve(kern, [0.5, 0.5])
    h = len(kern) // 2
    body = x[..., 1:]
    n = body.shape[-1]
    pad = np.zeros((*body.shape[:-1], n + 2 * h))
    pad[..., h : h + n] = body
    ones = np.zeros(n + 2 * h)
    ones[h : h + n] = 1.0
    num = sum(kern[i] * pad[..., i : i + n] for i in range(len(kern)))
    den = sum(kern[i] * ones[i : i + n] for i in range(len(kern)))
    sm = num / den
    out = np.zeros_like(x)
    out[..., 1:] = sm
    return out


def shrink_profile(
    dom: np.ndarray,
    sv: np.ndarray,
    fylke_index: np.ndarray,
    n_fylker: int,
    kappa: float,
    kappa_level: float = 0.0,
    level_weight: np.ndarray | None = None,
) -> np.ndarray:
    """Credibility-shrink each kommune's age-sex profile of net rates toward its group's
    (``fylke_index``: the fylke, or the peer group of projections/peers.py).

    The kommune keeps its own overall net rate R_k; only the shape is borrowed:
    rate* = w rate_k + (1 - w) (rate_fylke + R_k - R_fylke), with w = N_k / (N_k + kappa) and
    N_k the kommune's population. Small kommuner have few movers per age, so their single-age
    profile is mostly noise; large ones keep theirs. ``level_weight`` (K,) (or ``kappa_level``)
    also pulls the overall level toward the fylke: R_k* = v R_k + (1 - v) R_fylke, and the
    profile weight is capped at v.
    """
    K = dom.shape[0]
    f_dom = np.zeros((n_fylker, *dom.shape[1:]))
    f_sv = np.zeros_like(f_dom)
    np.add.at(f_dom, fylke_index, dom)
    np.add.at(f_sv, fylke_index, sv)
    with np.errstate(divide="ignore", invalid="ignore"):
        r_k = np.where(sv > 1e-9, dom / sv, 0.0)
        r_f = np.where(f_sv > 1e-9, f_dom / f_sv, 0.0)[fylke_index]
    tot_k = dom.reshape(K, -1).sum(1) / np.maximum(sv.reshape(K, -1).sum(1), 1e-9)
    tot_f = (
        f_dom.reshape(n_fylker, -1).sum(1) / np.maximum(f_sv.reshape(n_fylker, -1).sum(1), 1e-9)
    )[fylke_index]
    n_k = sv.reshape(K, -1).sum(1)
    w = (n_k / np.maximum(n_k + kappa, 1e-12) if kappa > 0 else np.ones(K))[:, None, None]
    if level_weight is not None or kappa_level > 0:  # also pull the level toward the fylke
        v = level_weight if level_weight is not None else n_k / (n_k + kappa_level)
        tot_k = v * tot_k + (1 - v) * tot_f
        w = np.minimum(w, v[:, None, None])
    prior = r_f + (tot_k - tot_f)[:, None, None]
    return (w * r_k + (1 - w) * prior) * sv


def level_credibility(
    rates: np.ndarray, ok: np.ndarray, weights: np.ndarray, fylke_index: np.ndarray, n_fylker: int
) -> np.ndarray:
    """Empirical-Bayes (Buhlmann) credibility of each kommune's mean net domestic rate (the
    group means: fylke, or the peer group of projections/peers.py, via ``fylke_index``).

    ``rates`` (T, K): yearly domestic net migration per survivor (all ages) in the window, usable
    where ``ok``; ``weights`` (K,) survivors, for the fylke means. The window mean R_k estimates
    the kommune's level with variance se_k^2 = var_t(rate) / n_k (year-to-year swings, large for
    small kommuner); the spread of true levels around the fylke mean, tau^2, is estimated by
    moments: mean((R_k - R_f)^2 - se_k^2). Returns w_k = tau^2 / (tau^2 + se_k^2) (0 with fewer
    than 2 usable years). No tuning constant: both variances come from the fitting window.
    """
    n = ok.sum(axis=0)
    r = np.where(ok, rates, 0.0)
    mean = r.sum(axis=0) / np.maximum(n, 1)
    var = np.where(ok, (rates - mean) ** 2, 0.0).sum(axis=0) / np.maximum(n - 1, 1)
    se2 = np.where(n >= 2, var / np.maximum(n, 1), np.inf)
    f_num = np.zeros(n_fylker)
    f_den = np.zeros(n_fylker)
    usable = n >= 2
    np.add.at(f_num, fylke_index[usable], (mean * weights)[usable])
    np.add.at(f_den, fylke_index[usable], weights[usable])
    r_f = (f_num / np.maximum(f_den, 1e-12))[fylke_index]
    fin = np.isfinite(se2)
    if fin.sum() < 10:
        return np.where(fin, 1.0, 0.0)
    tau2 = max(float(np.mean((mean[fin] - r_f[fin]) ** 2 - se2[fin])), 1e-12)
    return np.where(fin, tau2 / (tau2 + np.where(fin, se2, 1.0)), 0.0)


def immigration_shares(
    pop: PopulationData,
    base_year: int,
    survival_by_year: dict[int, np.ndarray],
    prior: np.ndarray,
) -> np.ndarray:
    """Each kommune's share of national net international migration, from its history.

    Regress the kommune's yearly net migration on the national yearly net migration over all
    years up to the base year: NM_k,t = alpha_k + beta_k NM_t. beta_k is the kommune's share of
    the national (international) swings; alpha_k is domestic. The OLS slopes are shrunk toward
    the population share (empirical Bayes: weight tau2 / (tau2 + se_k^2)), clipped at zero and
    renormalised to sum to 1.
    """
    K = len(pop.kommuner)
    years = range(int(pop.years[0]), base_year)
    y = np.zeros((len(years), K))
    ok = np.zeros((len(years), K), dtype=bool)
    for j, t in enumerate(years):
        i = pop.year_index(t)
        nm = pop.pop[i + 1] - survivors(pop.pop[i], survival_by_year[t])
        y[j] = nm[..., 1:].sum(axis=(1, 2))
        ok[j] = pop.exact[i] & pop.exact[i + 1]
    x = y.sum(axis=1)
    n = ok.sum(axis=0)
    beta = prior.copy()
    se2 = np.full(K, np.inf)
    for k in np.flatnonzero(n >= 3):
        xs, ys = x[ok[:, k]], y[ok[:, k], k]
        xc = xs - xs.mean()
        sxx = float(xc @ xc)
        if sxx <= 0:
            continue
        b = float(xc @ (ys - ys.mean())) / sxx
        resid = ys - ys.mean() - b * xc
        beta[k] = b
        se2[k] = float(resid @ resid) / max(len(xs) - 2, 1) / sxx
    fin = np.isfinite(se2)
    if fin.sum() < 10:
        return prior / prior.sum()
    tau2 = max(float(np.mean((beta[fin] - prior[fin]) ** 2 - se2[fin])), 1e-12)
    w = np.where(fin, tau2 / (tau2 + np.where(fin, se2, 1.0)), 0.0)
    shrunk = np.clip(w * beta + (1 - w) * prior, 0.0, None)
    return shrunk / shrunk.sum()


def _jump_excess(
    pop: PopulationData,
    base_year: int,
    survival_by_year: dict[int, np.ndarray],
    window: int,
    c: float,
) -> dict[int, np.ndarray]:
    """Per window year, each kommune's net migration beyond median +- c robust SDs (persons)."""
    years = [t for t in range(max(int(pop.years[0]), base_year - window), base_year)]
    K = len(pop.kommuner)
    rate = np.full((len(years), K), np.nan)
    svk = np.zeros((len(years), K))
    for j, t in enumerate(years):
        i = pop.year_index(t)
        sv = survivors(pop.pop[i], survival_by_year[t])
        nm = pop.pop[i + 1] - sv
        svk[j] = np.maximum(sv[..., 1:].sum(axis=(1, 2)), 1e-9)
        ok = pop.exact[i] & pop.exact[i + 1]
        rate[j, ok] = nm[ok][..., 1:].sum(axis=(1, 2)) / svk[j, ok]
    if len(years) < 4:
        return {}
    with warnings.catch_warnings():  # kommuner without usable years: all-NaN columns
        warnings.simplefilter("ignore", RuntimeWarning)
        med = np.nanmedian(rate, axis=0)
        sd = 1.4826 * np.nanmedian(np.abs(rate - med), axis=0)
    lo, hi = med - c * sd, med + c * sd
    capped = np.clip(rate, lo, hi)
    exc = np.nan_to_num((rate - capped) * svk)
    return {t: exc[j] for j, t in enumerate(years) if np.any(exc[j] != 0)}


@dataclass(frozen=True)
class MigrationModel:
    """Fitted net migration (all arrays (K, 2, 106), age at the end of the year).

    international: national net migration (per sex/age, window mean) x the kommune's share of
        the national population in that cell; sums over kommuner to the national net figure.
    dom_neg_rate: domestic net per survivor where the domestic net is negative (rate cells).
    dom_pos: domestic net counts (or per-survivor rates if ``pos_is_rate``) where positive.
    Projection: positive cells are scaled each year so the domestic part sums to zero.
    """

    international: np.ndarray
    dom_neg_rate: np.ndarray
    dom_pos: np.ndarray
    pos_is_rate: bool
    domestic_count: np.ndarray  # fitted domestic net counts (window mean), for reporting
    n_years: np.ndarray  # (K,) usable (exact) transition years per kommune


def fit_migration(
    pop: PopulationData,
    base_year: int,
    survival_by_year: dict[int, np.ndarray],
    window: int = 5,
    intl_window: int = 5,
    smoothing: int = 5,
    method: str = "mixed",
    shrink: float = 0.0,
    shrink_level: float = 0.0,
    national: NationalPopulation | None = None,
    intl_distribution: str = "population",
    persistence: float = 1.0,
    level_credibility_eb: bool = False,
    robust: float = 0.0,
    peers: tuple[np.ndarray, int] | None = None,
) -> MigrationModel:
    """Residual net migration over transitions base-window .. base-1 (data <= base_year only).

    Kommune-years whose start or end stock is approximate (split kommuner before the split,
    incomplete 2005) are left out; a kommune with no usable year gets its fylke's rates.
    ``robust`` > 0 caps one-year jumps: a year whose total net rate lies more than ``robust``
    robust standard deviations (1.4826 MAD over the kommune's window years) from the kommune's
    median is pulled back to that bound, the excess removed as a uniform rate on survivors.
    ``peers`` = (index (K,), n): the groups the level and profile are shrunk toward
    (projections/peers.py; default: the fylke).
    """
    if method not in METHODS:
        raise ValueError(f"ukjent migrasjonsmetode {method!r}; gyldige: {METHODS}")
    K = len(pop.kommuner)
    first = int(pop.years[0])
    wmax = max(window, intl_window)
    nm_sum = np.zeros((K, 2, N_AGE))
    sv_sum = np.zeros((K, 2, N_AGE))
    n_ok = np.zeros(K)
    nat_nm = np.zeros((2, N_AGE))
    nat_n = 0
    share_sum = np.zeros((K, 2, N_AGE))
    yearly: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # for the level credibility
    excess = _jump_excess(pop, base_year, survival_by_year, window, robust) if robust else {}
    for t in range(max(first, base_year - wmax), base_year):
        i = pop.year_index(t)
        sv = survivors(pop.pop[i], survival_by_year[t])
        nm = pop.pop[i + 1] - sv
        nm[..., 0] = 0.0
        if t in excess:  # cap one-year jumps (robust option), as a uniform rate on survivors
            sv_k = np.maximum(sv[..., 1:].sum(axis=(1, 2)), 1e-9)
            cut = (excess[t] / sv_k)[:, None, None] * sv
            cut[..., 0] = 0.0
            nm = nm - cut
        if t >= base_year - intl_window:
            nat_nm += nm.sum(axis=0)
            nat_n += 1
        if t >= base_year - window:
            ok = pop.exact[i] & pop.exact[i + 1]
            nm_sum[ok] += nm[ok]
            sv_sum[ok] += sv[ok]
            n_ok += ok
            share_sum += pop.pop[i + 1]
            end = pop.pop[i + 1][..., 1:].sum(axis=(1, 2))
            nm_k = nm.sum(axis=(1, 2))
            # domestic part of the year: the kommune's net minus its share of the national net
            yearly.append((nm_k - end / end.sum() * nm_k.sum(), sv.sum(axis=(1, 2)), ok))
    # fylke fallback for kommuner without a usable year (rates from the fylke's exact kommuner)
    nf = len(pop.fylker)
    f_nm = np.zeros((nf, 2, N_AGE))
    f_sv = np.zeros((nf, 2, N_AGE))
    np.add.at(f_nm, pop.fylke_index, nm_sum)
    np.add.at(f_sv, pop.fylke_index, sv_sum)
    last = pop.year_index(base_year)
    sv_last = survivors(pop.pop[last], survival_by_year[base_year - 1])
    with np.errstate(divide="ignore", invalid="ignore"):
        f_rate = np.where(f_sv > 0, f_nm / f_sv, 0.0)
    nm_mean = np.where(n_ok[:, None, None] > 0, nm_sum / np.maximum(n_ok, 1)[:, None, None], 0.0)
    sv_mean = np.where(n_ok[:, None, None] > 0, sv_sum / np.maximum(n_ok, 1)[:, None, None], 0.0)
    none = n_ok == 0
    nm_mean[none] = f_rate[pop.fylke_index[none]] * sv_last[none]
    sv_mean[none] = sv_last[none]

    if national is not None:  # longer national history (from 1986) for the immigration level
        nat_nm = np.zeros((2, N_AGE))
        nat_n = 0
        for t in range(max(int(national.years[0]), base_year - intl_window), base_year):
            i = int(t - national.years[0])
            nm = national.pop[i + 1] - survivors(national.pop[i], survival_by_year[t])
            nm[..., 0] = 0.0
            nat_nm += nm
            nat_n += 1
    nm_s = smooth_age(nm_mean, smoothing)
    sv_s = smooth_age(sv_mean, smoothing)
    # international: the national window mean, spread by each kommune's population share
    share = share_sum / np.maximum(share_sum.sum(axis=0, keepdims=True), 1e-12)
    if intl_distribution == "regression":
        # one share per kommune (from the regression on its history) for every sex/age cell
        pshare = share_sum.sum(axis=(1, 2)) / share_sum.sum()
        beta = immigration_shares(pop, base_year, survival_by_year, pshare)
        share = np.broadcast_to(beta[:, None, None], share.shape)
    nat_s = smooth_age(nat_nm / max(nat_n, 1), smoothing)
    international = share * nat_s
    # domestic = the rest, made to sum to zero over kommuner in every sex/age cell
    dom = nm_s - share * nm_s.sum(axis=0, keepdims=True)
    group, n_groups = peers if peers is not None else (pop.fylke_index, len(pop.fylker))
    v = None
    if level_credibility_eb and yearly:
        d_t, sv_t, ok_t = (np.array(x) for x in zip(*yearly, strict=True))
        with np.errstate(divide="ignore", invalid="ignore"):
            rates = np.where(sv_t > 0, d_t / sv_t, 0.0)
        v = level_credibility(rates, ok_t & (sv_t > 0), sv_t.mean(axis=0), group, n_groups)
    if shrink > 0 or v is not None:
        dom = shrink_profile(dom, sv_s, group, n_groups, shrink, shrink_level, level_weight=v)
        dom = dom - share * dom.sum(axis=0, keepdims=True)
    # damping: kommune differentials in net domestic migration regress toward zero over time
    # (backtest: 0.8 beats 1.0 at every age, old ages included)
    dom = dom * persistence
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(sv_s > 1e-9, dom / sv_s, 0.0)
    neg = dom < 0
    if method == "counts":
        dom_neg_rate = np.zeros_like(dom)
        dom_pos = dom.copy()  # signed counts, zero-sum already
        pos_is_rate = False
    elif method == "rates":
        dom_neg_rate = np.where(neg, rate, 0.0)
        dom_pos = np.where(neg, 0.0, rate)
        pos_is_rate = True
    else:
        dom_neg_rate = np.where(neg, rate, 0.0)
        dom_pos = np.where(neg, 0.0, dom)
        pos_is_rate = False
    return MigrationModel(international, dom_neg_rate, dom_pos, pos_is_rate, dom, n_ok)
