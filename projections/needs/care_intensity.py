"""Care intensity by service: nurse årsverk per institution resident, per resident of 24-hour
housing and per home-service user, from the kommune cross-section of the KOSTRA panel.

Model (no intercept, one row per kommune and year in the fit window):
    nurse årsverk = b_inst x institution residents + b_house x 24-hour-housing residents
                    + b_home x home-service users + error,
fitted by weighted least squares with weights 1 / population (the error grows with the size
of the kommune). All care årsverk per user = b x (SSB's national care årsverk / nurse årsverk,
2023), so the national total matches SSB's. Uncertainty: a bootstrap over kommuner (resampling
whole kommuner, all their years). Validation: 5-fold cross-validation with whole kommuner held
out of the fit, errors of the predicted base-year nurse årsverk.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SERVICES = ("institusjon", "bolig_heldogn", "hjemmetjenester")
N_BOOTSTRAP = 400
N_FOLDS = 5
SEED = 20261201  # fixed: the published intervals and folds are reproducible


@dataclass(frozen=True, eq=False)
class CareIntensity:
    """Nurse årsverk per user of each service (order SERVICES), with uncertainty."""

    years: tuple[int, ...]
    n_kommuner: int
    coefficients: np.ndarray  # (3,) nurse årsverk per user
    interval_90: np.ndarray  # (3, 2) bootstrap 5 % and 95 % quantiles
    held_out_median_ape: float  # median |pred / obs - 1| for held-out kommuner, base year
    held_out_weighted_ape: float  # sum |pred - obs| / sum obs, held-out kommuner, base year
    held_out_total_error: float  # sum(pred) / sum(obs) - 1 over all held-out predictions
    r2: float  # weighted fit on all rows

    def per_user(self, service: str) -> float:
        return float(self.coefficients[SERVICES.index(service)])


def wls(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Weighted least squares without intercept: argmin sum w (y - x b)^2."""
    xw = x * w[:, None]
    # normal equations (3 x 3, fast for the bootstrap); lstsq also copes with a singular system
    return np.linalg.lstsq(xw.T @ x, xw.T @ y, rcond=None)[0]


def fit_care_intensity(
    users: np.ndarray,
    nurses: np.ndarray,
    population: np.ndarray,
    kommune: np.ndarray,
    year: np.ndarray,
    years: tuple[int, ...],
) -> CareIntensity:
    """Fit from complete rows: users (N, 3) in SERVICES order, nurses (N,), population (N,).

    kommune (N,) integer ids group the rows for the bootstrap and the held-out folds.
    """
    w = 1.0 / np.maximum(population, 1.0)
    beta = wls(users, nurses, w)
    pred = users @ beta
    ybar = np.average(nurses, weights=w)
    ss_tot = np.sum(w * (nurses - ybar) ** 2)
    r2 = 1.0 - np.sum(w * (nurses - pred) ** 2) / ss_tot if ss_tot > 0 else float("nan")

    rng = np.random.default_rng(SEED)
    ids, row_k = np.unique(kommune, return_inverse=True)
    boots = np.empty((N_BOOTSTRAP, users.shape[1]))
    for i in range(N_BOOTSTRAP):
        # resampling whole kommuner = weighting each kommune's rows by its draw count
        counts = np.bincount(rng.integers(0, len(ids), len(ids)), minlength=len(ids))
        boots[i] = wls(users, nurses, w * counts[row_k])
    interval = np.quantile(boots, [0.05, 0.95], axis=0).T

    if len(ids) < 2 * N_FOLDS:  # too few kommuner to hold any out (synthetic tests only)
        nan = float("nan")
        return CareIntensity(years, len(ids), beta, interval, nan, nan, nan, float(r2))
    folds = rng.permutation(len(ids)) % N_FOLDS
    fold_of = dict(zip(ids, folds, strict=True))
    row_fold = np.array([fold_of[k] for k in kommune])
    last = year == max(years)
    obs, hat = [], []
    for f in range(N_FOLDS):
        train, test = row_fold != f, (row_fold == f) & last
        b = wls(users[train], nurses[train], w[train])
        obs.append(nurses[test])
        hat.append(users[test] @ b)
    o, h = np.concatenate(obs), np.concatenate(hat)
    ok = o > 0
    return CareIntensity(
        years=years,
        n_kommuner=len(ids),
        coefficients=beta,
        interval_90=interval,
        held_out_median_ape=float(np.median(np.abs(h[ok] / o[ok] - 1))),
        held_out_weighted_ape=float(np.abs(h - o).sum() / o.sum()),
        held_out_total_error=float(h.sum() / o.sum() - 1),
        r2=float(r2),
    )


def intensity_from_panel(
    arr: dict[str, np.ndarray], years: np.ndarray, window: int = 3
) -> CareIntensity:
    """Fit on the panel arrays (K, T) over the last `window` years with complete data."""
    fit_years = years[years > years.max() - window]
    cols = ("Y_3_a_ialt", "Y_2_ialt", "Y_1_a_ialt")
    t_idx = np.flatnonzero(np.isin(years, fit_years))
    u = np.stack([arr[c][:, t_idx] for c in cols], axis=-1)  # K, T', 3
    n = arr["Y_5_ialt"][:, t_idx]
    folk = arr.get("folk_ialt")
    if folk is None:
        folk = arr["folk_0_66"] + arr["folk_67_79"] + arr["folk_80p"]
    p = folk[:, t_idx]
    k_ids = np.repeat(np.arange(u.shape[0])[:, None], len(t_idx), axis=1)
    y_ids = np.repeat(fit_years[None, :], u.shape[0], axis=0)
    ok = ~np.isnan(u).any(-1) & ~np.isnan(n) & (n > 0) & ~np.isnan(p)
    return fit_care_intensity(
        u[ok], n[ok], p[ok], k_ids[ok], y_ids[ok], tuple(int(y) for y in fit_years)
    )
