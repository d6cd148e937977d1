"""Credibility weighting (Bühlmann-Straub, Poisson noise): a noisy own rate shrunk toward its
group's rate, by how much data the unit has. Used for usage rates (toward the fylke) and for
care levels and home-care hours (toward kommuner of the same size)."""

from __future__ import annotations

import numpy as np


def credibility_rates(
    users: np.ndarray, exposure: np.ndarray, fylke_idx: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Shrink each kommune's recent-average rate toward its fylke (Bühlmann-Straub).

    users, exposure: (K, T) with NaN where missing. Returns (rate (K,), z (K,)).
    """
    avail = ~np.isnan(users) & ~np.isnan(exposure) & (np.nan_to_num(exposure) > 0)
    u = np.where(avail, users, 0.0).sum(axis=1)
    e = np.where(avail, exposure, 0.0).sum(axis=1)
    n_years = avail.sum(axis=1)
    n_f = int(fylke_idx.max()) + 1
    uf = np.bincount(fylke_idx, u, minlength=n_f)
    ef = np.bincount(fylke_idx, e, minlength=n_f)
    r_nat = u.sum() / e.sum() if e.sum() > 0 else 0.0
    with np.errstate(invalid="ignore", divide="ignore"):
        rf = np.where(ef > 0, uf / ef, r_nat)
        raw = np.where(e > 0, u / e, np.nan)
    prior = rf[fylke_idx]
    # Credibility exposure: average population per year used (persons, not person-years,
    # because the same people are counted in consecutive years).
    n = np.where(n_years > 0, e / np.maximum(n_years, 1), 0.0)
    has = n > 0
    s2 = max(r_nat, 1e-12)  # Poisson: var(users / n) = rate / n
    nf = np.bincount(fylke_idx[has], n[has], minlength=n_f)
    nf2 = np.bincount(fylke_idx[has], n[has] ** 2, minlength=n_f)
    den = float(np.sum(np.where(nf > 0, nf - nf2 / np.where(nf > 0, nf, 1.0), 0.0)))
    n_groups = int((nf > 0).sum())
    dev = np.where(has, n * (np.nan_to_num(raw) - prior) ** 2, 0.0).sum()
    a = (dev - (int(has.sum()) - n_groups) * s2) / den if den > 0 else 0.0
    a = max(a, 1e-12 * s2)
    k = s2 / a
    z = np.where(has, n / (n + k), 0.0)
    rate = np.where(has, z * np.nan_to_num(raw) + (1.0 - z) * prior, prior)
    return rate, z
