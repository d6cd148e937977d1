"""Usage uncertainty of the care services, from the kommune care panel (SSB via KOSTRA).

Why: a kommune's usage rate moves far more than its population. The projection holds each
kommune's rate at today's level (or on the trend path); how far a kommune's rate has moved
away from the national change in the past is the spread its users' interval must carry.

For service s, panel age group a and horizon h, every kommune k and start year t gives

    d = log(r_k(t+h) / r_k(t)) - log(R(t+h) / R(t))      (r = users / persons, R national)

and the spread is modelled as E[d^2] = tau^2(h) + phi (1/U_t + 1/U_t+h): a between-kommune
part that grows with the horizon (log tau = a + b log h) and a counting part that shrinks
with the users U (the shrinkage by size). The interval half-width (log) is q * sd, q the
empirical quantile of |d| / sd. Source: store table ``care_panel`` (2007-2025, 2024
structure; home services Y_1_a, 2010 left out as a reporting break; institution residents
Y_3_a; residents of 24-hour housing Y_2, all ages only). The national level of usage is not
in this spread: it is what the usage paths ("dagens standard", "videreført trend") show.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from data_sources import read_table
from projections.needs.result import NeedsResult

SERIES = {  # service -> panel column prefix, panel groups available
    "hjemmetjenester": ("Y_1_a", ("0_66", "67_79", "80p", "ialt")),
    "institusjon": ("Y_3_a", ("0_66", "67_79", "80p", "ialt")),
    "bolig_heldogn": ("Y_2", ("ialt",)),
}
BREAK_YEARS = {"hjemmetjenester": (2010,)}
POPULATION = {"0_66": "folk_0_66", "67_79": "folk_67_79", "80p": "folk_80p", "ialt": "folk_ialt"}
MEASURE_GROUP = {
    "brukere_0_66": "0_66",
    "brukere_67_79": "67_79",
    "brukere_80_89": "80p",
    "brukere_90p": "80p",
    "brukere_80p": "80p",
    "brukere": "ialt",
}
LEVELS = (80, 95)
# the production fit (all panel years), written by ``python -m projections intervals
# --calibrate`` so that serving does not refit (3 s)
SPREAD_JSON = Path(__file__).resolve().parents[1] / "data" / "usage_spread.json"


@dataclass(frozen=True)
class UsageSpread:
    """Spread law of one service and panel age group."""

    a: float  # log tau(h) = a + b log h at the median users
    b: float
    kappa: float  # tau^2 scales with (users / median users)^kappa: larger kommuner move less
    median_users: float
    phi: float  # counting part: phi / users
    q: dict[int, float]  # level -> quantile of |d| / sd
    n: int  # kommune changes fitted

    def sd(self, horizon: np.ndarray, users0: np.ndarray, users_h: np.ndarray) -> np.ndarray:
        h = np.maximum(np.asarray(horizon, dtype=float), 1.0)
        rel = np.maximum(np.asarray(users0, dtype=float), 1.0) / self.median_users
        tau2 = np.exp(2 * (self.a + self.b * np.log(h))) * rel**self.kappa
        with np.errstate(divide="ignore"):
            count = self.phi * (1 / np.maximum(users0, 1.0) + 1 / np.maximum(users_h, 1.0))
        return np.sqrt(tau2 + count)


def panel_rates(service: str, group: str, panel: pd.DataFrame | None = None) -> pd.DataFrame:
    """kommune_code, year, users, persons of one series (users >= 1; NaN rows dropped)."""
    p = read_table("care_panel") if panel is None else panel
    prefix, _ = SERIES[service]
    col = f"{prefix}_{group}"
    users = p[col].astype(float)
    if group not in ("ialt", "0_66", "80p"):  # 67-79: the remainder where not published
        rest = p[f"{prefix}_ialt"] - p[f"{prefix}_0_66"] - p[f"{prefix}_80p"]
        users = users.fillna(rest)
    out = pd.DataFrame(
        {
            "kommune_code": p["kommune_code"].astype(str),
            "year": p["year"].astype(int),
            "users": users.astype(float),
            "persons": p[POPULATION[group]].astype(float),
        }
    )
    out = out[~out["year"].isin(BREAK_YEARS.get(service, ()))]
    return out[(out["users"] >= 1) & (out["persons"] > 0)].reset_index(drop=True)


def usage_changes(rates: pd.DataFrame, last_target: int | None = None) -> pd.DataFrame:
    """All pairs t < t+h of a kommune: d (log change around the national change), users at
    both ends. National change from the kommuner with data in both years."""
    r = rates if last_target is None else rates[rates["year"] <= last_target]
    wide_u = r.pivot(index="kommune_code", columns="year", values="users")
    wide_p = r.pivot(index="kommune_code", columns="year", values="persons")
    years = list(wide_u.columns)
    rows = []
    for i, t0 in enumerate(years):
        for t1 in years[i + 1 :]:
            ok = wide_u[t0].notna() & wide_u[t1].notna()
            if ok.sum() < 10:
                continue
            u0, u1 = wide_u.loc[ok, t0], wide_u.loc[ok, t1]
            p0, p1 = wide_p.loc[ok, t0], wide_p.loc[ok, t1]
            nat = np.log((u1.sum() / p1.sum()) / (u0.sum() / p0.sum()))
            d = np.log((u1 / p1) / (u0 / p0)) - nat
            rows.append(
                pd.DataFrame({"start": t0, "horizon": t1 - t0, "d": d, "users0": u0, "users1": u1})
            )
    return pd.concat(rows, ignore_index=True)


def fit_usage_spread(changes: pd.DataFrame) -> UsageSpread:
    """E[d^2] = tau1^2 h^2b (U0 / median)^kappa + phi (1/U0 + 1/U1): least squares for tau1^2
    and phi, b (0..1) and kappa (-0.5..0: larger kommuner move less) on a grid (the best fit),
    then the quantiles of |d| / sd. kappa is bounded at -0.5: for home services a steeper
    size law traded off against the horizon slope (b -> 0) and the 2015 -> 2025 held-out
    coverage of home services 80+ fell from 73 to 67 % (docs/uncertainty.md)."""
    h = changes["horizon"].to_numpy(float)
    u0 = changes["users0"].to_numpy()
    inv = 1 / u0 + 1 / changes["users1"].to_numpy()
    d2 = changes["d"].to_numpy() ** 2
    med = float(np.median(u0))
    best = None
    for kappa in np.arange(-0.5, 0.01, 0.1):
        rel = (u0 / med) ** kappa
        for b in np.arange(0.0, 1.01, 0.05):
            X = np.column_stack([h ** (2 * b) * rel, inv])
            coef = np.linalg.lstsq(X, d2, rcond=None)[0]
            sse = float(np.sum((X @ coef - d2) ** 2))
            if coef[0] > 0 and (best is None or sse < best[0]):
                best = (sse, float(kappa), float(b), coef)
    _, kappa, b, coef = best
    a, phi = 0.5 * float(np.log(coef[0])), max(float(coef[1]), 0.0)
    law = UsageSpread(a, b, kappa, med, phi, {}, len(changes))
    z = np.abs(changes["d"].to_numpy()) / law.sd(h, u0, changes["users1"].to_numpy())
    q = {lv: float(np.quantile(z, lv / 100)) for lv in LEVELS}
    return UsageSpread(a, b, kappa, med, phi, q, len(changes))


def fit_usage_spreads(last_target: int | None = None) -> dict[tuple[str, str], UsageSpread]:
    """(service, panel group) -> spread law, fitted on changes ending <= ``last_target``."""
    panel = read_table("care_panel")
    return {
        (s, g): fit_usage_spread(usage_changes(panel_rates(s, g, panel), last_target))
        for s, (_, groups) in SERIES.items()
        for g in groups
    }


def spreads_to_json(spreads: dict[tuple[str, str], UsageSpread], last_year: int) -> str:
    body = {f"{s}/{g}": asdict(v) for (s, g), v in spreads.items()}
    return json.dumps({"last_year": last_year, "spreads": body}, indent=1, sort_keys=True) + "\n"


def _committed(last_year: int) -> dict[tuple[str, str], UsageSpread] | None:
    if not SPREAD_JSON.exists():
        return None
    d = json.loads(SPREAD_JSON.read_text(encoding="utf-8"))
    if d.get("last_year") != last_year:
        return None
    out = {}
    for key, v in d["spreads"].items():
        s, g = key.split("/")
        v["q"] = {int(k): float(x) for k, x in v["q"].items()}
        out[(s, g)] = UsageSpread(**v)
    return out


@lru_cache(maxsize=4)
def usage_spreads(last_target: int | None = None) -> dict[tuple[str, str], UsageSpread]:
    """The spread laws fitted on changes ending <= ``last_target`` (None: all; served from
    the committed file when it was fitted on the same last panel year)."""
    if last_target is None:
        last_year = int(read_table("care_panel", columns=["year"])["year"].max())
        committed = _committed(last_year)
        if committed is not None:
            return committed
    return fit_usage_spreads(last_target)


def kommune_half_widths(n: NeedsResult, base_year: int, level: int) -> dict[tuple, np.ndarray]:
    """(sector, measure) -> (Y, K) usage half-width (log) of every kommune's users."""
    spreads = usage_spreads()
    h = (n.years - base_year).astype(float)[:, None]
    out: dict[tuple, np.ndarray] = {}
    for service in SERIES:
        for measure, group in MEASURE_GROUP.items():
            try:
                users = n.get(service, measure)
            except KeyError:
                continue
            sp = spreads.get((service, group)) or spreads[(service, "ialt")]
            hw = sp.q[level] * sp.sd(h, users[:1], users)
            out[(service, measure)] = np.where(h > 0, hw, 0.0)
    return out


def _combine(parts: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """Half-width of a sum of independent parts (value, half-width), on the log scale."""
    num = sum((v * hw) ** 2 for v, hw in parts)
    den = sum(v for v, _ in parts)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, np.sqrt(num) / den, 0.0)


def usage_half_widths(
    n: NeedsResult, base_year: int, level: int, weights: np.ndarray
) -> dict[tuple[str, str], np.ndarray]:
    """(sector, measure) -> (Y, R) usage half-width (log) of the users and årsverk of regions
    given as (K, R) 0/1 ``weights`` over ``n.kommuner``. Kommuner deviate independently, so a
    region's usage spread is the users-weighted root sum of squares; services are independent
    of each other; the care årsverk follow their service's users."""
    per = kommune_half_widths(n, base_year, level)
    for m in MEASURE_GROUP:  # 24-hour care = institution + housing
        if ("institusjon", m) in per and ("bolig_heldogn", m) in per:
            parts = [(n.get(s, m), per[(s, m)]) for s in ("institusjon", "bolig_heldogn")]
            per[("heldogns_omsorg", m)] = _combine(parts)
    services = ("hjemmetjenester", "institusjon", "bolig_heldogn")
    per[("pleie_og_omsorg", "brukere")] = _combine(
        [(n.get(s, "brukere"), per[(s, "brukere")]) for s in services]
    )
    aw = [(n.get("pleie_og_omsorg", f"arsverk_{s}"), per[(s, "brukere")]) for s in services]
    for s, (_, hw) in zip(services, aw, strict=True):
        per[("pleie_og_omsorg", f"arsverk_{s}")] = hw
    per[("pleie_og_omsorg", "arsverk")] = _combine(aw)
    per[("pleie_og_omsorg", "arsverk_sykepleiere")] = per[("pleie_og_omsorg", "arsverk")]
    care = n.get("pleie_og_omsorg", "arsverk")
    per[("alle", "arsverk")] = per[("pleie_og_omsorg", "arsverk")] * np.divide(
        care, n.get("alle", "arsverk"), out=np.zeros_like(care), where=n.get("alle", "arsverk") > 0
    )
    w = weights
    out = {}
    for key, hw in per.items():
        v = n.get(*key)
        with np.errstate(divide="ignore", invalid="ignore"):
            tot = v @ w  # (Y, K) @ (K, R): plain 2-D products
            out[key] = np.where(tot > 0, np.sqrt(((v * hw) ** 2) @ w) / tot, 0.0)
    return out


def held_out_coverage(
    origin: int = 2015, target: int = 2025, level: int = 80, centre_national: bool = True
) -> pd.DataFrame:
    """Each kommune's rate of ``origin`` applied to its persons of ``target`` (times the
    national change when ``centre_national``), with the interval of the spread law fitted on
    changes ending <= ``origin`` only: service, group, kommuner, coverage (%)."""
    spreads = usage_spreads(origin)
    panel = read_table("care_panel")
    rows = []
    for (s, g), sp in spreads.items():
        r = panel_rates(s, g, panel)
        a = r[r["year"] == origin].set_index("kommune_code")
        b = r[r["year"] == target].set_index("kommune_code")
        both = a.index.intersection(b.index)
        a, b = a.loc[both], b.loc[both]
        nat = (b["users"].sum() / b["persons"].sum()) / (a["users"].sum() / a["persons"].sum())
        pred = a["users"] / a["persons"] * b["persons"] * (nat if centre_national else 1.0)
        hw = sp.q[level] * sp.sd(target - origin, a["users"].to_numpy(), pred.to_numpy())
        covered = np.abs(np.log(b["users"] / pred)) <= hw
        rows.append(
            {
                "service": s,
                "group": g,
                "kommuner": len(both),
                "coverage": 100 * float(covered.mean()),
                "median_half_width": 100 * float(np.median(hw)),
            }
        )
    return pd.DataFrame(rows)
