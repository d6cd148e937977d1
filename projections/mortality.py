"""Mortality: period life tables, survival to the next 1 January, and a log-linear mx trend.

Method family: single-year period life table (HMD conventions) and log-linear improvement per
age (a one-factor-per-age drift model, Lee-Carter-like without the common index).

Array conventions: mx arrays end in axes (sex, age) with sex 0 = male, 1 = female and ages
0..110 where the last age is the open group (HMD "110+"). Leading axes (years, ...) broadcast.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from projections.inputs import HMD_AGES, N_AGE, NationalData

OLD_AGE_FROM = 95  # ages >= this use the fitted Kannisto curve (HMD rates are noisy there)
KANNISTO_FIT = (80, 99)  # ages used to fit it
TREND_WINDOW = 20  # years of log mx used for the improvement rates
JUMP_OFF_YEARS = 3  # years averaged for the jump-off schedule
MAX_IMPROVEMENT = 0.06  # cap on the yearly decline of mx (6 %)
# COVID-19 years (HMD Norway): left out of the improvement trend, kept in the jump-off level.
# 2022-23 old-age mx lay 4-15 % above the 2000-2019 trend (2015-2019: within +-5 %); at the end
# of the window they flatten the slope at 90 from -1.4 to -1.1 %/yr (docs/method.md, section 2)
PANDEMIC_YEARS = (2020, 2021, 2022, 2023)


def a0_andreev_kingkade(m0: np.ndarray) -> np.ndarray:
    """Average years lived in the first year by infants who die (Andreev & Kingkade 2015).

    ``m0`` has a trailing sex axis (male, female) or is (..., 2); this is the formula HMD uses.
    """
    m0 = np.asarray(m0, dtype=float)
    male = np.where(
        m0[..., 0] < 0.02300,
        0.14929 - 1.99545 * m0[..., 0],
        np.where(m0[..., 0] < 0.08307, 0.02832 + 3.26021 * m0[..., 0], 0.29915),
    )
    female = np.where(
        m0[..., 1] < 0.01724,
        0.14903 - 2.05527 * m0[..., 1],
        np.where(m0[..., 1] < 0.06891, 0.04667 + 3.88089 * m0[..., 1], 0.31411),
    )
    return np.stack([male, female], axis=-1)


@dataclass(frozen=True)
class LifeTable:
    """Columns of a period life table, each shaped like the input mx (..., 2, ages)."""

    qx: np.ndarray
    lx: np.ndarray
    Lx: np.ndarray
    Tx: np.ndarray
    ex: np.ndarray

    @property
    def e0(self) -> np.ndarray:
        return self.ex[..., 0]


def life_table(mx: np.ndarray) -> LifeTable:
    """Period life table from central death rates; the last age is an open interval.

    a(0) from Andreev-Kingkade, a(x) = 0.5 otherwise, L(open) = l/m. Radix 1.
    """
    mx = np.asarray(mx, dtype=float)
    ax = np.full(mx.shape, 0.5)
    ax[..., 0] = a0_andreev_kingkade(mx[..., 0])
    qx = mx / (1.0 + (1.0 - ax) * mx)
    qx = np.clip(qx, 0.0, 1.0)
    qx[..., -1] = 1.0
    px = 1.0 - qx
    lx = np.concatenate([np.ones((*mx.shape[:-1], 1)), np.cumprod(px[..., :-1], axis=-1)], axis=-1)
    dx = lx * qx
    Lx = lx - (1.0 - ax) * dx
    with np.errstate(divide="ignore", invalid="ignore"):
        Lx[..., -1] = np.where(mx[..., -1] > 0, lx[..., -1] / mx[..., -1], 0.0)
    Tx = np.cumsum(Lx[..., ::-1], axis=-1)[..., ::-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        ex = np.where(lx > 0, Tx / lx, 0.0)
    return LifeTable(qx, lx, Lx, Tx, ex)


def survival(mx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Probabilities of surviving from 1 Jan (age a) to the next 1 Jan (age a+1).

    Returns ``(S, Sb)``: S (..., 2, 106) with S[a] = L(a+1)/L(a) for a < 105 and the open group
    S[105] = T(106)/T(105) (so 105+ at t -> 106+ at t+1, folded back into 105+);
    Sb (..., 2) = L(0)/l(0), the share of the year's births alive on 1 January.
    The 110+ HMD ages are collapsed through T(106) = sum of L(106..110+).
    """
    lt = life_table(mx)
    L, T = lt.Lx, lt.Tx
    S = np.empty((*mx.shape[:-1], N_AGE))
    with np.errstate(divide="ignore", invalid="ignore"):
        S[..., : N_AGE - 1] = L[..., 1:N_AGE] / L[..., : N_AGE - 1]
        S[..., N_AGE - 1] = T[..., N_AGE] / T[..., N_AGE - 1]
    S = np.nan_to_num(S, nan=0.0)
    return S, L[..., 0]


def kannisto_old_ages(mx: np.ndarray, deaths: np.ndarray) -> np.ndarray:
    """Replace ages >= OLD_AGE_FROM by a Kannisto (logistic) curve fitted on ages 80-99.

    logit m(x) = log a + b (x - 80), fitted by deaths-weighted least squares per sex; this is
    HMD's own old-age smoothing family and fills the NaN/zero cells at 105-110.
    """
    mx = np.array(mx, dtype=float)
    lo, hi = KANNISTO_FIT
    x = np.arange(lo, hi + 1) - 80.0
    ages = np.arange(HMD_AGES) - 80.0
    flat = mx.reshape(-1, HMD_AGES)
    dflat = np.broadcast_to(deaths, mx.shape).reshape(-1, HMD_AGES)
    for i in range(flat.shape[0]):
        m = flat[i, lo : hi + 1]
        w = np.sqrt(np.maximum(dflat[i, lo : hi + 1], 0.0))
        ok = np.isfinite(m) & (m > 0) & (m < 1) & (w > 0)
        y = np.log(m[ok] / (1.0 - m[ok]))
        A = np.stack([np.ones(ok.sum()), x[ok]], axis=1) * w[ok, None]
        coef, *_ = np.linalg.lstsq(A, y * w[ok], rcond=None)
        z = np.exp(coef[0] + coef[1] * ages[OLD_AGE_FROM:])
        flat[i, OLD_AGE_FROM:] = z / (1.0 + z)
    return flat.reshape(mx.shape)


@dataclass(frozen=True)
class MortalityModel:
    """Jump-off schedule and yearly improvement rates, fitted on HMD years <= ``last_year``."""

    last_year: int
    anchor_year: float  # the calendar year the jump-off schedule represents
    log_mx0: np.ndarray  # (2, 111)
    drift: np.ndarray  # (2, 111) yearly change in log mx (<= 0)

    def mx(
        self, years: np.ndarray, multiplier: float = 1.0, from_year: float | None = None
    ) -> np.ndarray:
        """mx (len(years), 2, 111); the drift is scaled by ``multiplier`` only after
        ``from_year`` (the base year), so all scenarios share the same jump-off mortality."""
        t = np.asarray(years, dtype=float)[:, None, None]
        start = self.anchor_year if from_year is None else float(from_year)
        common = np.minimum(t, start) - self.anchor_year
        scen = np.maximum(t - start, 0.0)
        return np.exp(self.log_mx0[None] + self.drift[None] * (common + multiplier * scen))

    def e0(self, year: int, multiplier: float = 1.0, from_year: float | None = None) -> np.ndarray:
        """Life expectancy at birth (male, female) in ``year``."""
        return life_table(self.mx(np.array([year]), multiplier, from_year)[0]).e0


def smoothed_history(nat: NationalData, last_year: int) -> tuple[np.ndarray, np.ndarray]:
    """HMD mx for years <= last_year with Kannisto old ages: (years, mx (T, 2, 111))."""
    sel = nat.mx_years <= last_year
    if not sel.any():
        raise ValueError(f"ingen dødelighetsdata til og med {last_year}")
    return nat.mx_years[sel], kannisto_old_ages(nat.mx[sel], nat.deaths[sel])


def fit_mortality(
    nat: NationalData,
    last_year: int,
    window: int = TREND_WINDOW,
    coherent: bool = True,
    exclude: tuple[int, ...] = (),
    jump_off: str = "observed",
    exclude_weight: float = 0.0,
) -> MortalityModel:
    """Log-linear drift per sex and age over the last ``window`` HMD years <= ``last_year`` that
    are not in ``exclude`` (e.g. the pandemic years, see docs/method.md); the window then reaches
    back as many years further, and the excluded years enter with weight ``exclude_weight``
    (0 = left out; weighted least squares). Jump-off: "observed" = mean of the last 3 HMD years (excluded
    or not: it is the latest level), "trend" = the fitted line at the last year."""
    if jump_off not in ("observed", "trend"):
        raise ValueError(f"ukjent jump_off {jump_off!r}")
    years, mx = smoothed_history(nat, last_year)
    last = int(years[-1])
    usable = ~np.isin(years, exclude)
    in_window = np.cumsum(usable[::-1])[::-1] <= window
    weight = np.where(usable, 1.0, exclude_weight)
    sel = in_window & (weight > 0)
    yrs = years[sel].astype(float)
    wt = weight[sel]
    logm = np.log(np.maximum(mx[sel], 1e-7))
    xc = yrs - (wt @ yrs) / wt.sum()
    lm = np.tensordot(wt, logm, axes=(0, 0)) / wt.sum()
    drift = np.tensordot(wt * xc, logm - lm, axes=(0, 0)) / ((wt * xc) @ xc)
    raw_drift = drift
    # smooth over age (5-year moving average, edges padded) and forbid worsening
    pad = np.pad(drift, ((0, 0), (2, 2)), mode="edge")
    drift = sum(pad[:, i : i + HMD_AGES] for i in range(5)) / 5.0
    drift = np.clip(drift, -MAX_IMPROVEMENT, 0.0)
    if coherent:
        # one drift for both sexes (mean of the two): sex-specific drifts diverge over long
        # horizons (the faster male decline of 2003-2023 would make men outlive women by 2100)
        drift = np.broadcast_to(drift.mean(axis=0, keepdims=True), drift.shape).copy()
    if jump_off == "trend":
        log_mx0 = lm + raw_drift * (last - (wt @ yrs) / wt.sum())
        anchor = float(last)
    else:
        recent = mx[-JUMP_OFF_YEARS:]
        log_mx0 = np.log(np.maximum(recent.mean(axis=0), 1e-7))
        anchor = float(years[-JUMP_OFF_YEARS:].mean())
    return MortalityModel(last, anchor, log_mx0, drift)


def multiplier_for_e0_change(
    model: MortalityModel, from_year: int, to_year: int, delta_e0: float
) -> float:
    """Drift multiplier giving a sex-averaged e0 change of ``delta_e0`` years from_year->to_year.

    Solved by bisection; e0 is monotone in the multiplier because the drift is never positive.
    """

    def gain(mult: float) -> float:
        return float(
            np.mean(model.e0(to_year, mult, from_year) - model.e0(from_year, mult, from_year))
        )

    lo, hi = -20.0, 20.0
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        if gain(mid) < delta_e0:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)
