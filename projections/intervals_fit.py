"""The interval model: the spread laws and their fit on the backtest errors of
``intervals_backtest`` (see docs/uncertainty.md).

The log error e = log(projected / registered) of a region is split into a national part,
shared by all regions of one origin and horizon, and a local part:

    kommune:  s_loc(h, n)   log s_loc = a + b log h + c log n + d (log n)^2
              (least squares on log |e - common|, an effect per origin; a = their mean;
              common = the median kommune error of the origin and horizon)
    fylke:    s_fyl(h)      log s_fyl = a_f + b_f log h   (RMS of e_fylke - e_Norway)
    national: s_nat(h)      log s_nat = a_n + b_n log h   (the model's national rules on the
                            long national history, projections/intervals_national.py) or,
                            where wider, the same law of the kommune backtest's common part
                            (the recent regime) up to the last horizon seen from
                            MIN_COMMON_ORIGINS origins, growing at b_n beyond

The half-width of the interval (projected * exp(-+ hw)) adds the two parts in quadrature:

    hw = sqrt( (q_loc * s_loc)^2 + (z * s_nat)^2 )

with z the normal quantile (the national z-scores of the long history are normal: RMS 0.98,
80 % inside +-1.28) and q_loc the empirical quantile of the local errors standardised by
their own origin's level: for kommuner log q = alpha_h + beta log n (fitted on size-decile x
horizon cells), for fylker one quantile per level. Norway has the national part only.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from projections.api import InvalidYearError, ModelConfig, available_base_years
from projections.intervals_backtest import FIRST_ORIGIN, MAX_FIT_HORIZON, backtest_errors
from projections.intervals_national import (
    GROUPS,
    MIN_NATIONAL_GROWTH,
    fit_national_spread,
    national_errors,
)

LEVELS = (80, 95)
Z = {80: 1.2815515655446004, 95: 1.959963984540054}  # normal quantiles of the national part
MIN_BASE_YEAR = FIRST_ORIGIN + 3  # a vintage fit needs errors at three horizons at least
# the common-part law is used up to the last horizon seen from at least this many origins:
# beyond, its RMS rests on one to four consecutive origins (one national draw: lag-1
# autocorrelation about 0.86), e.g. the 10-year law of 2015 on the boom origins 2006-2010
MIN_COMMON_ORIGINS = 5
MODEL_JSON = Path(__file__).resolve().parent / "data" / "interval_model.json"
SIZE_BINS = 10  # size deciles for the size-dependent standardised quantile
REGION_LEVELS = ("kommune", "fylke", "norge")


class InvalidLevelError(ValueError):
    """Interval level other than 80 or 95 (Norwegian message first)."""

    def __str__(self) -> str:
        return str(self.args[0])


def check_level(level: int) -> int:
    if int(level) not in LEVELS:
        raise InvalidLevelError(
            f"Ugyldig intervallnivå {level}: bruk 80 eller 95. / Invalid interval level."
        )
    return int(level)


@dataclass(frozen=True)
class GroupModel:
    """Spread laws and standardised local quantiles for one age group."""

    national: tuple[float, float]  # a_n, b_n: log s_nat = a_n + b_n log h (long history)
    # a_c, b_c, h_c: the same law for the common part of the kommune backtest (the RMS of the
    # median kommune error per horizon, origins 2006..): the recent, high-immigration regime;
    # fitted on and used up to horizon h_c (the last seen from MIN_COMMON_ORIGINS origins; 0:
    # none), growing at the long history's b_n beyond
    common: tuple[float, float, float]
    local: tuple[float, ...]  # a, b, c, d: log s_loc = a + b log h + c log n + d (log n)^2
    fylke: tuple[float, float]  # a_f, b_f: log s_fyl = a_f + b_f log h
    # level ("80"/"95") -> (beta, alpha_1, .., alpha_H): quantile of the standardised local
    # error of kommuner of size n, h years ahead, is exp(alpha_h + beta log n), alpha_H beyond
    q_kommune: dict[str, tuple[float, ...]]
    q_fylke: dict[str, float]  # quantile of the standardised fylke local error
    max_log_size: float = 99.0  # the size law is not extrapolated beyond the largest kommune

    def national_scale(self, horizon: np.ndarray) -> np.ndarray:
        """The wider of the long-history and the recent-backtest national laws; the recent law
        beyond the horizons it was measured on grows as the long history does."""
        lh = np.log(np.maximum(np.asarray(horizon, dtype=np.float64), 1.0))
        long = self.national[0] + self.national[1] * lh
        a_c, b_c, h_c = self.common
        if h_c < 1:
            return np.exp(long)
        lc = np.log(h_c)
        recent = a_c + b_c * np.minimum(lh, lc) + self.national[1] * np.maximum(lh - lc, 0.0)
        return np.exp(np.maximum(long, recent))

    def local_scale(self, horizon: np.ndarray, size: np.ndarray) -> np.ndarray:
        lh = np.log(np.maximum(np.asarray(horizon, dtype=np.float64), 1.0))
        ls = np.log(np.clip(np.asarray(size, dtype=np.float64), 1.0, np.exp(self.max_log_size)))
        a, b, c, d = self.local
        return np.exp(a + b * lh + c * ls + d * ls**2)

    def fylke_scale(self, horizon: np.ndarray) -> np.ndarray:
        lh = np.log(np.maximum(np.asarray(horizon, dtype=np.float64), 1.0))
        return np.exp(self.fylke[0] + self.fylke[1] * lh)

    def local_quantile(self, level: int, size: np.ndarray, horizon: np.ndarray) -> np.ndarray:
        beta, *alphas = self.q_kommune[str(level)]
        ls = np.log(np.maximum(np.asarray(size, dtype=np.float64), 1.0))
        h = np.clip(np.asarray(horizon, dtype=np.intp), 1, len(alphas))
        return np.exp(np.asarray(alphas)[h - 1] + beta * ls)

    def half_width(
        self,
        level: int,
        horizon: np.ndarray,
        size: np.ndarray,
        region_level: np.ndarray,
    ) -> np.ndarray:
        """hw: the interval is projected * exp(-+ hw); 0 at the origin (horizon 0)."""
        h = np.asarray(horizon)
        rl = np.asarray(region_level)
        nat = Z[level] * self.national_scale(h)
        loc_k = self.local_quantile(level, size, h) * self.local_scale(h, size)
        loc_f = self.q_fylke[str(level)] * self.fylke_scale(h)
        loc = np.where(rl == "kommune", loc_k, np.where(rl == "fylke", loc_f, 0.0))
        return np.where(h > 0, np.sqrt(nat**2 + loc**2), 0.0)


@dataclass(frozen=True)
class IntervalModel:
    groups: dict[str, GroupModel]
    origins: tuple[int, int]  # first and last kommune origin fitted
    last_target: int  # no observation after this year entered the fit
    max_horizon: int
    n_errors: int
    national_origins: tuple[int, int]  # first and last origin of the long national history
    model_config: str = field(default=repr(ModelConfig()))

    def half_width(
        self,
        group: str,
        level: int,
        horizon: np.ndarray,
        size: np.ndarray,
        region_level: np.ndarray,
    ) -> np.ndarray:
        """hw of ``group`` for regions of ``region_level`` ("kommune" | "fylke" | "norge")."""
        return self.groups[group].half_width(level, horizon, size, region_level)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=1, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str) -> IntervalModel:
        d = json.loads(text)
        groups = {
            g: GroupModel(
                national=tuple(v["national"]),
                common=_common_from_json(v["common"]),
                local=tuple(v["local"]),
                fylke=tuple(v["fylke"]),
                q_kommune={lv: tuple(x) for lv, x in v["q_kommune"].items()},
                q_fylke=dict(v["q_fylke"]),
                max_log_size=float(v["max_log_size"]),
            )
            for g, v in d["groups"].items()
        }
        return cls(
            groups=groups,
            origins=tuple(d["origins"]),
            last_target=int(d["last_target"]),
            max_horizon=int(d["max_horizon"]),
            n_errors=int(d["n_errors"]),
            national_origins=tuple(d["national_origins"]),
            model_config=d["model_config"],
        )


def _common_from_json(v: list[float]) -> tuple[float, float, float]:
    if len(v) != 3:  # the format before h_c: refit
        raise ValueError("common law without its last horizon")
    return float(v[0]), float(v[1]), float(v[2])


def _weighted_lstsq(X: np.ndarray, y: np.ndarray, w: np.ndarray) -> np.ndarray:
    sw = np.sqrt(w)
    return np.linalg.lstsq(X * sw[:, None], y * sw, rcond=None)[0]


def _fit_local(k: pd.DataFrame) -> tuple[tuple[float, ...], np.ndarray, dict[str, tuple]]:
    """Local law of kommuner (origin effects) and the size x horizon quantiles of the local
    errors standardised by their own origin's level."""
    cell = k.groupby(["origin", "horizon"])["log_error"]
    local_err = np.abs(k["log_error"].to_numpy() - cell.transform("median").to_numpy())
    horizon = k["horizon"].to_numpy()
    log_size = np.log(k["size"].to_numpy())
    # origin effects: long horizons are seen only from the first origins, whose local errors
    # were larger at every horizon; without them that reads as growth with the horizon
    origin = k["origin"].to_numpy()
    origins = np.unique(origin)
    oi = np.searchsorted(origins, origin)
    dummies = (oi[:, None] == np.arange(len(origins))[None, :]).astype(float)
    # (a past-growth term, log s_loc + g max(growth, 0) + g' max(-growth, 0), lifted the
    # held-out growers from 67 to 71 % but lowered both outer size classes and the pooled
    # coverage below 75 %: left out, docs/uncertainty.md)
    X = np.column_stack([dummies, np.log(horizon.astype(float)), log_size, log_size**2])
    beta = np.linalg.lstsq(X, np.log(local_err + 1e-6), rcond=None)[0]
    effect, slopes = beta[: len(origins)], beta[len(origins) :]
    law = (float(effect.mean()), *(float(x) for x in slopes))
    _, b, c, d = law
    s_own = np.exp(effect[oi] + b * np.log(horizon) + c * log_size + d * log_size**2)
    z = local_err / s_own
    deciles = pd.qcut(log_size, SIZE_BINS, labels=False, duplicates="drop")
    cells = pd.DataFrame({"z": z, "decile": deciles, "horizon": horizon, "ls": log_size})
    by_cell = cells.groupby(["decile", "horizon"])
    mean_ls = by_cell["ls"].mean().to_numpy()
    cell_h = by_cell["ls"].mean().index.get_level_values("horizon").to_numpy()
    n_cell = by_cell["z"].size().to_numpy(float)
    horizons = np.arange(1, int(horizon.max()) + 1)
    if not np.isin(horizons, cell_h).all():
        raise InvalidYearError("Backtesten mangler en horisont. / A horizon has no errors.")
    Xq = np.column_stack([mean_ls, *((cell_h == x).astype(float) for x in horizons)])
    q = {}
    for lv in LEVELS:
        coef = _weighted_lstsq(Xq, np.log(by_cell["z"].quantile(lv / 100).to_numpy()), n_cell)
        q[str(lv)] = tuple(float(x) for x in coef)
    return law, log_size, q


def _fit_common(k: pd.DataFrame) -> tuple[float, float, float]:
    """log RMS of the median kommune error per origin and horizon = a_c + b_c log h (slope at
    least 0.5, as the national law), on the horizons seen from MIN_COMMON_ORIGINS origins or
    more, and the last such horizon h_c (0 when fewer than two horizons qualify: not used)."""
    med = k.groupby(["origin", "horizon"])["log_error"].median()
    by_h = med.groupby(level="horizon")
    rms = by_h.apply(lambda x: float(np.sqrt((x**2).mean())))
    rms = rms[by_h.size() >= MIN_COMMON_ORIGINS]
    if len(rms) < 2:
        return 0.0, 0.0, 0.0
    lh, ly = np.log(rms.index.to_numpy(float)), np.log(rms.to_numpy())
    b, a = np.polyfit(lh, ly, 1)
    if b < MIN_NATIONAL_GROWTH:
        b = MIN_NATIONAL_GROWTH
        a = float(np.mean(ly - b * lh))
    return float(a), float(b), float(rms.index.max())


def _fit_fylke(f: pd.DataFrame) -> tuple[tuple[float, float], dict[str, float]]:
    """RMS law of the fylke local error (fylke minus Norway) and its standardised quantiles."""
    fy = f[f["level"] == "fylke"]
    e = (fy["log_error"] - fy["national_log_error"]).to_numpy()
    h = fy["horizon"].to_numpy()
    rms = pd.Series(e**2).groupby(h).mean() ** 0.5
    b, a = np.polyfit(np.log(rms.index.to_numpy(float)), np.log(rms.to_numpy()), 1)
    z = np.abs(e) / np.exp(a + b * np.log(h))
    return (float(a), float(b)), {str(lv): float(np.quantile(z, lv / 100)) for lv in LEVELS}


def fit_interval_model(errors: pd.DataFrame, national: pd.DataFrame) -> IntervalModel:
    """Fit the model (pure: kommune backtest errors and national long-history errors in,
    coefficients out). The national law uses national errors with a target year no later
    than the last target of ``errors``."""
    last_target = int((errors["origin"] + errors["horizon"]).max())
    spread = fit_national_spread(national, last_target)
    if errors["horizon"].nunique() < 2:
        raise InvalidYearError(
            "For få backtesthorisonter til å tilpasse intervallene. / Too few horizons."
        )
    groups = {}
    for g in GROUPS:
        f = errors[errors["age_group"] == g]
        k = f[f["level"] == "kommune"]
        law, log_size, q = _fit_local(k)
        fylke, q_fylke = _fit_fylke(f)
        groups[g] = GroupModel(
            national=(spread[g].a, spread[g].b),
            common=_fit_common(k),
            local=law,
            fylke=fylke,
            q_kommune=q,
            q_fylke=q_fylke,
            max_log_size=float(log_size.max()),
        )
    used = national[national["origin"] + national["horizon"] <= last_target]
    return IntervalModel(
        groups=groups,
        origins=(int(errors["origin"].min()), int(errors["origin"].max())),
        last_target=last_target,
        max_horizon=int(errors["horizon"].max()),
        n_errors=len(errors),
        national_origins=(int(used["origin"].min()), int(used["origin"].max())),
    )


def fit_vintage(base_year: int) -> IntervalModel:
    """The interval model a forecaster at ``base_year`` could have fitted (targets <= base)."""
    errors = backtest_errors(range(FIRST_ORIGIN, base_year), MAX_FIT_HORIZON, base_year)
    return fit_interval_model(errors, national_errors())


def committed_model() -> IntervalModel | None:
    """The calibration written by ``python -m projections intervals --calibrate``, if any."""
    if not MODEL_JSON.exists():
        return None
    try:
        return IntervalModel.from_json(MODEL_JSON.read_text(encoding="utf-8"))
    except (KeyError, ValueError):  # an older format: refit
        return None


@lru_cache(maxsize=8)
def interval_model(base_year: int) -> IntervalModel:
    """Model for projections from ``base_year``, fitted on errors observable by then.

    The latest base year is served from the committed calibration when it matches the data
    and model configuration; other base years (backtests) are fitted on the fly (~2-4 s).
    """
    if not MIN_BASE_YEAR <= base_year <= available_base_years()[-1]:
        raise InvalidYearError(
            f"Intervaller krever basisår fra {MIN_BASE_YEAR} til {available_base_years()[-1]}"
            f" (fikk {base_year}). / Base year outside the calibrated range."
        )
    m = committed_model()
    if m is not None and m.last_target == base_year and m.model_config == repr(ModelConfig()):
        return m
    return fit_vintage(base_year)
