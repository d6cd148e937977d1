"""Empirical prediction intervals from rolling-origin backtest errors (see docs/uncertainty.md).

The log error e = log(projected / observed) of every kommune, fylke and Norway, for each age
group, is collected from projections started at every origin 2006.. and scored 1..10 years
later. Its spread is modelled as a common part (shared by all kommuner in one origin and
horizon: the median kommune error, a robust estimate of the national shock) plus a local part
that grows with the horizon and shrinks with the population:

    s(h, n) = sqrt(s_com(h)^2 + s_loc(h, n)^2)
    log s_com = a_n + b_n log h                       (RMS of the common part per horizon)
    log s_loc = a + b log h + c log n + d (log n)^2   (least squares on log |e - common|,
                                                       with an effect per origin; a = their mean)

(b_n at least 0.5: the national part grows at least like a random walk), and the interval is
projected * exp(-+ q * s), q = the empirical quantile of |e| / s (s with the error's own
origin level, so that q describes the shape, not which origins were worse): for
kommuner log q = alpha_h + beta log n (one level per horizon h, a common size slope, fitted
on the quantiles of size-decile x horizon cells), for fylker and Norway the quantile of their
own, pooled errors. Beyond the longest horizon fitted, q stays at its value there and the
spread follows the growth laws. No bias
correction: the sign of the median error flipped between the fitting and the scoring origins.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd

from projections.api import InvalidYearError, ModelConfig, available_base_years, project
from projections.backtest import AGE_GROUPS
from projections.inputs import population_data
from projections.result import ProjectionResult

LEVELS = (80, 95)
GROUPS = tuple(AGE_GROUPS)  # total, 0-5, 6-15, 16-66, 67-79, 80+
FIRST_ORIGIN = 2006  # first base year project() accepts
MAX_FIT_HORIZON = 10
VALIDATION_LAST_ORIGIN = 2014  # the protocol: fit on origins <= 2014, score 2015+
MIN_BASE_YEAR = FIRST_ORIGIN + 3  # a vintage fit needs errors at three horizons at least
MODEL_JSON = Path(__file__).resolve().parent / "data" / "interval_model.json"
COVERAGE_CSV = Path(__file__).resolve().parent / "data" / "interval_coverage.csv"
SIZE_BINS = 10  # size deciles for the size-dependent standardised quantile
# the national part grows at least like a random walk (sqrt h): it sums yearly deviations of
# national immigration; a fit on the 1-3 horizons of base years 2009-2011 can give less
MIN_NATIONAL_GROWTH = 0.5
SIZE_CLASSES = ((0, 2_000), (2_000, 10_000), (10_000, 50_000), (50_000, 10**9))
SIZE_LABELS = ("< 2 000", "2 000-9 999", "10 000-49 999", ">= 50 000")


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


def group_sums(pop: np.ndarray) -> np.ndarray:
    """(..., K, 2, 106) -> (G, ..., K) float64 totals per age group of GROUPS."""
    by_age = pop.sum(axis=-2, dtype=np.float64)
    return np.stack([by_age[..., lo : hi + 1].sum(axis=-1) for lo, hi in AGE_GROUPS.values()])


def _aggregate(x: np.ndarray, fylke_index: np.ndarray, n_fylker: int) -> np.ndarray:
    """(..., K) kommune values -> (..., K + F + 1): kommuner, fylker, Norway."""
    lead = x.shape[:-1]
    flat = x.reshape(-1, x.shape[-1])
    fy = np.zeros((flat.shape[0], n_fylker))
    for j in range(n_fylker):
        fy[:, j] = flat[:, fylke_index == j].sum(axis=1)
    out = np.concatenate([flat, fy, flat.sum(axis=1, keepdims=True)], axis=1)
    return out.reshape(*lead, out.shape[-1])


def region_codes() -> tuple[list[str], np.ndarray]:
    """Codes of kommuner, fylker and Norway in the order of ``_aggregate``, and their levels."""
    d = population_data()
    codes = [*d.kommuner, *d.fylker, "0"]
    levels = np.array(["kommune"] * len(d.kommuner) + ["fylke"] * len(d.fylker) + ["norge"])
    return codes, levels


def backtest_errors(
    origins: Iterable[int], max_horizon: int = MAX_FIT_HORIZON, last_target: int | None = None
) -> pd.DataFrame:
    """Log errors of MMMM projections from each origin, 1..max_horizon years ahead.

    Columns: origin, horizon, level (kommune|fylke|norge), region, age_group, size (total
    population of the region at the origin), projected, observed, log_error, national_log_error.
    Kommune-years whose origin or target stock is approximate are left out (as in the backtest).
    Only data up to ``last_target`` are scored (default: the last observed year).
    """
    d = population_data()
    last = int(d.years[-1]) if last_target is None else min(int(last_target), int(d.years[-1]))
    codes, levels = region_codes()
    codes_arr = np.array(codes, dtype=object)
    n_f = len(d.fylker)
    frames = []
    for o in origins:
        to = min(o + max_horizon, last)
        if to <= o:
            continue
        res = project("MMMM", base_year=o, to_year=to)
        proj = _aggregate(group_sums(res.population), d.fylke_index, n_f)  # (G, H+1, R)
        io = d.year_index(o)
        size = _aggregate(d.pop[io].sum(axis=(1, 2)), d.fylke_index, n_f)
        for h in range(1, to - o + 1):
            it = d.year_index(o + h)
            obs = _aggregate(group_sums(d.pop[it]), d.fylke_index, n_f)  # (G, R)
            ok = np.concatenate([d.exact[it] & d.exact[io], np.ones(n_f + 1, dtype=bool)])
            with np.errstate(divide="ignore", invalid="ignore"):
                e = np.log(proj[:, h] / obs)
            for gi, g in enumerate(GROUPS):
                keep = ok & np.isfinite(e[gi])
                frames.append(
                    pd.DataFrame(
                        {
                            "origin": o,
                            "horizon": h,
                            "level": levels[keep],
                            "region": codes_arr[keep],
                            "age_group": g,
                            "size": size[keep],
                            "projected": proj[gi, h][keep],
                            "observed": obs[gi][keep],
                            "log_error": e[gi][keep],
                            "national_log_error": e[gi, -1],
                        }
                    )
                )
    if not frames:
        raise InvalidYearError(
            "Ingen backtestfeil å tilpasse intervallene til. / No backtest errors to fit on."
        )
    return pd.concat(frames, ignore_index=True)


@dataclass(frozen=True)
class GroupModel:
    """Spread law and standardised quantiles for one age group."""

    national: tuple[float, float]  # a_n, b_n: log s_com = a_n + b_n log h
    local: tuple[float, ...]  # a, b, c, d: log s_loc = a + b log h + c log n + d (log n)^2
    # level ("80"/"95") -> (beta, alpha_1, .., alpha_H): quantile of |e| / s for kommuner of
    # size n, h years ahead, is exp(alpha_h + beta log n), alpha_H beyond H (the standardised
    # tails are heavier for small kommuner and differ by horizon: the scale law is smooth)
    q_kommune: dict[str, tuple[float, ...]]
    q_aggregate: dict[str, float]  # quantile of |e| / s for fylker and Norway (pooled)
    # log of the largest kommune fitted: the size law is not extrapolated beyond it (fylker and
    # Norway take the local part of the largest kommune; their own q does the rest)
    max_log_size: float = 99.0

    def quantile(
        self, level: int, size: np.ndarray, aggregate: np.ndarray, horizon: np.ndarray | float = 1.0
    ) -> np.ndarray:
        beta, *alphas = self.q_kommune[str(level)]
        ls = np.log(np.maximum(np.asarray(size, dtype=np.float64), 1.0))
        h = np.clip(np.asarray(horizon, dtype=np.intp), 1, len(alphas))
        q_k = np.exp(np.asarray(alphas)[h - 1] + beta * ls)
        q_agg = self.q_aggregate[str(level)]
        # a kommune is never surer than the aggregates (both near the national error when large)
        return np.where(aggregate, q_agg, np.maximum(q_k, q_agg))

    def scale(
        self, horizon: np.ndarray, size: np.ndarray, national: bool = True, local: bool = True
    ) -> np.ndarray:
        """s(h, n); ``national``/``local`` False leaves that part out (for the fit)."""
        lh = np.log(np.maximum(np.asarray(horizon, dtype=np.float64), 1.0))
        ls = np.log(np.clip(np.asarray(size, dtype=np.float64), 1.0, np.exp(self.max_log_size)))
        a_n, b_n = self.national
        a, b, c, *d = self.local
        log_loc = a + b * lh + c * ls + (d[0] * ls**2 if d else 0.0)
        s2 = np.exp(2 * (a_n + b_n * lh)) * national + np.exp(2 * log_loc) * local
        return np.where(np.asarray(horizon) > 0, np.sqrt(s2), 0.0)


@dataclass(frozen=True)
class IntervalModel:
    groups: dict[str, GroupModel]
    origins: tuple[int, int]  # first and last origin fitted
    last_target: int  # no observation after this year entered the fit
    max_horizon: int
    n_errors: int
    model_config: str = field(default=repr(ModelConfig()))

    def half_width(
        self, group: str, level: int, horizon: np.ndarray, size: np.ndarray, aggregate: np.ndarray
    ) -> np.ndarray:
        """q * s: the interval is projected * exp(-+ half_width)."""
        gm = self.groups[group]
        return gm.quantile(level, size, aggregate, horizon) * gm.scale(horizon, size)

    def to_json(self) -> str:
        d = asdict(self)
        return json.dumps(d, indent=1, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str) -> IntervalModel:
        d = json.loads(text)
        groups = {
            g: GroupModel(
                national=tuple(v["national"]),
                local=tuple(v["local"]),
                q_kommune={lv: tuple(x) for lv, x in v["q_kommune"].items()},
                q_aggregate=dict(v["q_aggregate"]),
                max_log_size=float(v.get("max_log_size", 99.0)),
            )
            for g, v in d["groups"].items()
        }
        return cls(
            groups=groups,
            origins=tuple(d["origins"]),
            last_target=int(d["last_target"]),
            max_horizon=int(d["max_horizon"]),
            n_errors=int(d["n_errors"]),
            model_config=d["model_config"],
        )


def _weighted_lstsq(X: np.ndarray, y: np.ndarray, w: np.ndarray) -> np.ndarray:
    sw = np.sqrt(w)
    return np.linalg.lstsq(X * sw[:, None], y * sw, rcond=None)[0]


def _standardised(
    rows: pd.DataFrame, gm: GroupModel, origins: np.ndarray, effect: np.ndarray
) -> np.ndarray:
    """|e| / s with each origin's own local level ``effect`` (log, per origin in ``origins``):
    the quantiles describe the shape of the errors, not which origins had larger ones."""
    shift = effect[np.searchsorted(origins, rows["origin"].to_numpy())] - effect.mean()
    h, n = rows["horizon"].to_numpy(), rows["size"].to_numpy()
    s_com = gm.scale(h, n, local=False)
    s_loc = gm.scale(h, n, national=False) * np.exp(shift)
    return rows["log_error"].abs().to_numpy() / np.sqrt(s_com**2 + s_loc**2)


def fit_interval_model(errors: pd.DataFrame) -> IntervalModel:
    """Fit the spread law and the standardised quantiles (pure: errors in, coefficients out)."""
    groups = {}
    for g in GROUPS:
        f = errors[errors["age_group"] == g]
        k = f[f["level"] == "kommune"]
        # the common part of each origin and horizon: the median kommune error (robust to the
        # few kommuner with huge local shocks; Norway's own error weights Oslo and Bergen)
        cell = k.groupby(["origin", "horizon"])["log_error"]
        common = cell.transform("median").to_numpy()
        rms = cell.median().groupby(level="horizon").apply(lambda x: float(np.sqrt((x**2).mean())))
        if len(rms) < 2:
            raise InvalidYearError(
                "For få backtesthorisonter til å tilpasse intervallene. / Too few horizons."
            )
        log_hn = np.log(rms.index.to_numpy(float))
        b_n, a_n = np.polyfit(log_hn, np.log(rms.to_numpy()), 1)
        if b_n < MIN_NATIONAL_GROWTH:  # too few horizons to see the growth (base years < 2012)
            b_n = MIN_NATIONAL_GROWTH
            a_n = float(np.mean(np.log(rms.to_numpy()) - b_n * log_hn))
        horizon = k["horizon"].to_numpy()
        log_h = np.log(horizon.astype(float))
        log_size = np.log(k["size"].to_numpy())
        # origin fixed effects: long horizons are seen only from the first origins, whose
        # local errors were larger at every horizon (2006: by a quarter); without them that
        # would read as error growth with the horizon. The law's level is the mean origin.
        origin = k["origin"].to_numpy()
        origins = np.unique(origin)
        oi = np.searchsorted(origins, origin)
        dummies = (oi[:, None] == np.arange(len(origins))[None, :]).astype(float)
        X = np.column_stack([dummies, log_h, log_size, log_size**2])
        local_err = np.abs(k["log_error"].to_numpy() - common)
        beta = np.linalg.lstsq(X, np.log(local_err + 1e-6), rcond=None)[0]
        effect, slopes = beta[: len(origins)], beta[len(origins) :]
        gm = GroupModel(
            (float(a_n), float(b_n)),
            (float(effect.mean()), *(float(x) for x in slopes)),
            {},
            {},
            max_log_size=float(log_size.max()),
        )
        agg = f[f["level"] != "kommune"]
        z_agg = _standardised(agg, gm, origins, effect)
        z = _standardised(k, gm, origins, effect)
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
        for lv in LEVELS:
            gm.q_aggregate[str(lv)] = float(np.quantile(z_agg, lv / 100))
            q_cells = by_cell["z"].quantile(lv / 100).to_numpy()
            coef = _weighted_lstsq(Xq, np.log(q_cells), n_cell)
            gm.q_kommune[str(lv)] = tuple(float(x) for x in coef)
        groups[g] = gm
    return IntervalModel(
        groups=groups,
        origins=(int(errors["origin"].min()), int(errors["origin"].max())),
        last_target=int((errors["origin"] + errors["horizon"]).max()),
        max_horizon=int(errors["horizon"].max()),
        n_errors=len(errors),
    )


def fit_vintage(base_year: int) -> IntervalModel:
    """The interval model a forecaster at ``base_year`` could have fitted (targets <= base)."""
    return fit_interval_model(
        backtest_errors(range(FIRST_ORIGIN, base_year), MAX_FIT_HORIZON, last_target=base_year)
    )


def committed_model() -> IntervalModel | None:
    """The calibration written by ``python -m projections intervals --calibrate``, if any."""
    if not MODEL_JSON.exists():
        return None
    return IntervalModel.from_json(MODEL_JSON.read_text(encoding="utf-8"))


@lru_cache(maxsize=8)
def interval_model(base_year: int) -> IntervalModel:
    """Model for projections from ``base_year``, fitted on errors observable by then.

    The latest base year is served from the committed calibration when it matches the data
    and model configuration; other base years (backtests) are fitted on the fly (~2 s).
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


@dataclass(frozen=True)
class IntervalArrays:
    """Intervals for every region (kommuner, fylker, Norway) and age group, one level."""

    scenario: str
    level: int
    years: np.ndarray  # (Y,)
    regions: list[str]  # (R,) kommuner, fylker, "0"
    median: np.ndarray  # (G, Y, R)
    lower: np.ndarray
    upper: np.ndarray

    def index(self, code: str) -> int:
        """Position of a region on the R axis; ValueError for an unknown code (as list.index)."""
        try:
            return self._positions[0][code]
        except KeyError:
            raise ValueError(f"{code!r} is not in the intervals' regions") from None

    def year_index(self, year: int) -> int:
        """Position of a year on the Y axis; ValueError for a year outside the intervals."""
        try:
            return self._positions[1][int(year)]
        except KeyError:
            raise ValueError(f"{year!r} is not in the intervals' years") from None

    @cached_property
    def _positions(self) -> tuple[dict[str, int], dict[int, int]]:
        # dicts, not list.index: a kommune page looks up ~25 cells per render
        return (
            {code: i for i, code in enumerate(self.regions)},
            {int(y): i for i, y in enumerate(self.years)},
        )


def interval_arrays(
    res: ProjectionResult, level: int = 80, model: IntervalModel | None = None
) -> IntervalArrays:
    """Vectorised core: lower/median/upper for all regions and age groups of a projection."""
    level = check_level(level)
    model = model or interval_model(int(res.base_year))
    d = population_data()
    codes, levels = region_codes()
    med = _aggregate(group_sums(res.population), d.fylke_index, len(d.fylker))  # (G, Y, R)
    size = _aggregate(
        res.population[0].sum(axis=(1, 2), dtype=np.float64), d.fylke_index, len(d.fylker)
    )
    h = (res.years - res.base_year)[:, None]
    agg = (levels != "kommune")[None, :]
    lower = np.empty_like(med)
    upper = np.empty_like(med)
    for gi, g in enumerate(GROUPS):
        hw = model.half_width(g, level, h, size[None, :], agg)
        lower[gi] = med[gi] * np.exp(-hw)
        upper[gi] = med[gi] * np.exp(hw)
    return IntervalArrays(res.scenario, level, res.years, codes, med, lower, upper)


def project_intervals(
    scenario: str = "MMMM",
    level: int | Sequence[int] = 80,
    base_year: int | None = None,
    to_year: int = 2050,
    regions: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Tidy intervals: scenario, year, region, age_group, level, lower, median, upper.

    ``regions``: SSB codes (kommune, fylke, "0"); default every kommune, fylke and Norway.
    ``median`` is the deterministic projection of ``scenario``; the spread is the one measured
    for MMMM in the backtests.
    """
    levels = [level] if isinstance(level, int | np.integer) else list(level)
    res = project(scenario, base_year=base_year, to_year=to_year)
    frames = []
    for lv in levels:
        ia = interval_arrays(res, lv)
        idx = list(range(len(ia.regions))) if regions is None else [ia.index(r) for r in regions]
        codes = np.array(ia.regions, dtype=object)[idx]
        G, Y, R = len(GROUPS), len(ia.years), len(idx)

        def cells(a: np.ndarray, idx: list[int] = idx) -> np.ndarray:
            return np.transpose(a[:, :, idx], (2, 0, 1)).ravel()  # region, age group, year

        frames.append(
            pd.DataFrame(
                {
                    "scenario": ia.scenario,
                    "year": np.tile(ia.years, R * G),
                    "region": np.repeat(codes, G * Y),
                    "age_group": np.tile(np.repeat(np.array(GROUPS, dtype=object), Y), R),
                    "level": ia.level,
                    "lower": cells(ia.lower),
                    "median": cells(ia.median),
                    "upper": cells(ia.upper),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def region_interval(
    res: ProjectionResult, region: str, group: str = "total", level: int = 80
) -> pd.DataFrame:
    """year, lower, median, upper for one region and age group (for charts and tables)."""
    ia = interval_arrays(res, level)
    i, gi = ia.index(region), GROUPS.index(group)
    return pd.DataFrame(
        {
            "year": ia.years,
            "lower": ia.lower[gi, :, i],
            "median": ia.median[gi, :, i],
            "upper": ia.upper[gi, :, i],
        }
    )


# --- needs: users and årsverk from the age-group intervals ---------------------------------

_AGE_OF_GROUP = np.zeros(106, dtype=np.intp)
for _gi, (_lo, _hi) in enumerate(list(AGE_GROUPS.values())[1:], start=1):
    _AGE_OF_GROUP[_lo : _hi + 1] = _gi


def bound_populations(
    res: ProjectionResult, region: str, level: int = 80, opposite: Sequence[str] = ()
) -> tuple[SimpleNamespace, SimpleNamespace]:
    """Populations at the lower and upper bound of every age group (for needs intervals).

    Needs are linear in the population by age, so the need at the bound of each age group's
    interval is the need computed on the population scaled by lower/median (upper/median) of
    the group the age belongs to. For a fylke or Norway the aggregate's own ratios are applied
    to all its kommuner (an aggregate's interval is narrower than the sum of its kommuner's).
    Age groups in ``opposite`` take the other bound (e.g. "16-66" for staffing pressure, whose
    denominator is the working-age population: its widest honest range).
    """
    ia = interval_arrays(res, level)
    d = population_data()
    _, levels = region_codes()
    K = len(d.kommuner)
    if region == "0":
        cols = np.full(K, ia.index("0"))
    elif levels[ia.index(region)] == "fylke":
        cols = np.full(K, ia.index(region))
    else:
        cols = np.arange(K)
    with np.errstate(divide="ignore", invalid="ignore"):
        lo_ratio = np.where(ia.median > 0, ia.lower / ia.median, 1.0)[1:]  # (5, Y, R)
        hi_ratio = np.where(ia.median > 0, ia.upper / ia.median, 1.0)[1:]
    flip = np.array([g in opposite for g in GROUPS[1:]])[:, None, None]
    out = []
    for a, b in ((lo_ratio, hi_ratio), (hi_ratio, lo_ratio)):
        r = np.where(flip, b, a)[:, :, cols]  # (5, Y, K)
        factor = r[_AGE_OF_GROUP - 1]  # (106, Y, K)
        pop = res.population * np.moveaxis(factor, 0, -1)[:, :, None, :]
        out.append(
            SimpleNamespace(
                population=pop,
                years=res.years,
                kommuner=res.kommuner,
                scenario=res.scenario,
                base_year=res.base_year,
            )
        )
    return out[0], out[1]


def _members(code: str) -> list[str]:
    from data_sources import catalogue

    return [code] if len(code) == 4 else list(catalogue().kommuner_in(code))


def needs_frame_with_intervals(
    res: ProjectionResult,
    regions: Sequence[str],
    level: int = 80,
    indicators: bool = False,
    assumptions: object | None = None,
) -> pd.DataFrame:
    """The needs (or indicator) frame of ``regions`` with ``lower`` and ``upper`` columns.

    Users and årsverk at the bounds of the age-group intervals (``bound_populations``); ratio
    measures (per 1 000 aged 20-66) have no bounds (NaN): numerator and denominator move
    together. Indicators use the working-age group at the opposite bound.
    """
    from projections.needs import compute_needs

    level = check_level(level)
    frames = []
    index = {k: i for i, k in enumerate(res.kommuner)}
    for region in regions:
        # "all": every kommune with its own ratios, as for any single kommune
        code = res.kommuner[0] if str(region).lower() == "all" else str(region)
        pops = bound_populations(res, code, level, opposite=("16-66",) if indicators else ())
        if str(region).lower() == "all" or code == "0":
            members = np.arange(len(res.kommuner))
        else:
            members = np.array([index[k] for k in _members(code) if k in index])
        parts = []
        for pop in (res, *pops):
            sub = SimpleNamespace(  # only the region's kommuner: needs are per kommune
                population=pop.population[:, members],
                years=res.years,
                kommuner=tuple(res.kommuner[i] for i in members),
                scenario=res.scenario,
            )
            n = compute_needs(sub, assumptions)
            parts.append(n.indicators(region) if indicators else n.frame(region))
        base, lo, hi = parts
        a, b = lo["value"].to_numpy(), hi["value"].to_numpy()
        out = base.copy()
        out["lower"] = np.minimum(a, b)
        out["upper"] = np.maximum(a, b)
        if not indicators:
            ratio_rows = out["unit"].str.startswith("per ")
            out.loc[ratio_rows, ["lower", "upper"]] = np.nan
        out["level"] = level
        frames.append(out)
    return pd.concat(frames, ignore_index=True)


# --- calibration and coverage ------------------------------------------------------------


def size_class(size: np.ndarray) -> np.ndarray:
    out = np.empty(len(size), dtype=object)
    for (lo, hi), label in zip(SIZE_CLASSES, SIZE_LABELS, strict=True):
        out[(size >= lo) & (size < hi)] = label
    return out


def score(errors: pd.DataFrame, model: IntervalModel) -> pd.DataFrame:
    """Per error row: covered at 80 and 95 %, and the relative width (upper - lower) / median."""
    out = errors.copy()
    agg = (out["level"] != "kommune").to_numpy()
    for lv in LEVELS:
        hw = np.empty(len(out))
        for g in GROUPS:
            m = (out["age_group"] == g).to_numpy()
            hw[m] = model.half_width(
                g, lv, out["horizon"].to_numpy()[m], out["size"].to_numpy()[m], agg[m]
            )
        out[f"covered_{lv}"] = out["log_error"].abs().to_numpy() <= hw
        out[f"width_{lv}"] = 2 * np.sinh(hw)  # (P e^hw - P e^-hw) / P
    out["size_class"] = size_class(out["size"].to_numpy())
    return out


def coverage_summary(scored: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """Coverage (%) and mean relative width (%) of the 80 and 95 % intervals."""
    agg = {"n": ("log_error", "size")}
    for lv in LEVELS:
        agg[f"coverage_{lv}"] = (f"covered_{lv}", "mean")
        agg[f"width_{lv}"] = (f"width_{lv}", "mean")
    out = scored.groupby(list(by), sort=False).agg(**agg).reset_index()
    for c in out.columns:
        if c.startswith(("coverage_", "width_")):
            out[c] = out[c] * 100.0
    return out


HELD_OUT_HORIZONS = (5, 10)


def validation(
    last_fit_origin: int = VALIDATION_LAST_ORIGIN,
) -> tuple[IntervalModel, pd.DataFrame]:
    """The issue's protocol: fit on origins <= 2014 (1-10 years), score later origins at 5/10."""
    d = population_data()
    last = int(d.years[-1])
    errors = backtest_errors(range(FIRST_ORIGIN, last), MAX_FIT_HORIZON)
    fit_on = errors[errors["origin"] <= last_fit_origin]
    model = fit_interval_model(fit_on)
    held = errors[(errors["origin"] > last_fit_origin) & errors["horizon"].isin(HELD_OUT_HORIZONS)]
    return model, score(held, model)


def vintage_scores(origins: Iterable[int], horizon: int = 5) -> pd.DataFrame:
    """Real-time check: each origin's intervals from a model fitted on errors known by then."""
    frames = []
    for o in origins:
        model = fit_vintage(o)
        errors = backtest_errors([o], horizon)
        frames.append(score(errors[errors["horizon"] == horizon], model))
    return pd.concat(frames, ignore_index=True)


def calibrate(write: bool = True) -> dict[str, pd.DataFrame]:
    """Fit the production model (all errors to the last year), score the held-out protocol.

    Writes projections/data/interval_model.json and interval_coverage.csv when ``write``.
    """
    base = available_base_years()[-1]
    model = fit_vintage(base)
    _, held = validation()
    tables = {
        "by_group": coverage_summary(held, ["level", "horizon", "age_group"]),
        "by_size": coverage_summary(
            held[held["level"] == "kommune"], ["horizon", "age_group", "size_class"]
        ),
        "by_origin": coverage_summary(
            held[held["level"] == "kommune"], ["origin", "horizon", "age_group"]
        ),
        "vintage": coverage_summary(
            vintage_scores(range(2015, base - 4)).query("level == 'kommune'"),
            ["origin", "age_group"],
        ),
    }
    if write:
        MODEL_JSON.parent.mkdir(parents=True, exist_ok=True)
        MODEL_JSON.write_text(model.to_json(), encoding="utf-8")
        frames = [t.assign(table=name) for name, t in tables.items()]
        pd.concat(frames, ignore_index=True).to_csv(COVERAGE_CSV, index=False, float_format="%.4g")
    tables["model"] = pd.DataFrame(
        [
            {"age_group": g, "a_n": m.national[0], "b_n": m.national[1], "a": m.local[0]}
            | {"b": m.local[1], "c": m.local[2], "d": m.local[3]}
            | {f"q{lv}_beta": m.q_kommune[str(lv)][0] for lv in LEVELS}
            | {f"q{lv}_alpha_1": m.q_kommune[str(lv)][1] for lv in LEVELS}
            | {f"q{lv}_alpha_5": m.q_kommune[str(lv)][5] for lv in LEVELS}
            | {f"q{lv}_alpha_10": m.q_kommune[str(lv)][10] for lv in LEVELS}
            | {f"q{lv}_aggregate": m.q_aggregate[str(lv)] for lv in LEVELS}
            for g, m in model.groups.items()
        ]
    )
    return tables
