"""What goes into the one-page kommune report, read from the URL and the dashboard's own helpers.

Kept apart from the PDF drawing (``dashboard.report.report_pdf``) so the numbers can be checked
against the pages without parsing a PDF, and so new sections (SSB's figure, intervals) plug in
as one more ``KeyRow`` producer in ``collect()``. Nothing here computes demography: every
number comes from ``dashboard.data.model``, exactly as the Oversikt and Tjenester pages show it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from dashboard.data import history, model, needs_cache, regions
from dashboard.state import ViewState, assumption_codec, decode, encode
from dashboard.text.formatting import fmt_number
from dashboard.text.i18n import LANGS, normalise_lang, t
from dashboard.text.texts import change_sentence
from dashboard.views import chartdata, intervals, ssb_figures
from projections.age_groups import BACKTEST_KEYS

INDEX_GROUPS: tuple[str, ...] = BACKTEST_KEYS[1:]  # every group but the total
KEY_GROUPS: tuple[str, ...] = ("total", *INDEX_GROUPS)
MAX_ECHO = 40  # characters of a bad value repeated in an error message


class ReportInputError(ValueError):
    """Bad query input: ``message`` is already in the user's language (HTTP 400)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class ReportRequest:
    code: str
    scenario: str
    lang: str
    assumptions: Any  # projections.needs.Assumptions, or None for today's level
    state: ViewState  # the whole view state the report was asked for
    base_url: str = ""  # "https://host" the report's page link starts with ("" = path only)

    def query(self) -> dict[str, str]:
        """The query parameters that reproduce this request (the pages' codec)."""
        return encode(self.state)


@dataclass(frozen=True)
class KeyRow:
    """One row of the key-figure table: a label and a value per column year.

    ``ranges`` (year -> (low, high)) turns the cells into "low–high", for intervals.
    """

    key: str
    label: str
    values: Mapping[int, float]
    decimals: int = 0
    ranges: Mapping[int, tuple[float, float]] | None = None
    note: str = ""


@dataclass(frozen=True)
class ReportData:
    request: ReportRequest
    name: str
    kicker: str
    scenario_label: str
    base_year: int
    years: tuple[int, ...]  # base year first, then the key years
    rows: tuple[KeyRow, ...]
    findings: tuple[str, ...]
    pressure: pd.DataFrame  # year, per_1000, care_ratio (key years)
    index: pd.DataFrame  # year, one column per INDEX_GROUPS, base year = 100
    assumptions_text: str
    vintage: str
    generated: dt.date
    extra_notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def lang(self) -> str:
        return self.request.lang


# -- request ---------------------------------------------------------------------------------
def _echo(value: str) -> str:
    value = str(value)
    return value if len(value) <= MAX_ECHO else value[:MAX_ECHO] + "…"


def scenario_label(code: str, lang: str) -> str:
    label = t(f"scenario.{code}", lang)
    return code if label == f"scenario.{code}" else f"{label} ({code})"


def parse_request(code: str, args: Mapping[str, str]) -> ReportRequest:
    """Validate the URL with the pages' own codec (``dashboard.state``): region, scenario,
    language, needs assumptions (short or old long names, in percent) and view choices.

    Raises ReportInputError (400, or 404 for an unknown region) with a message in the
    requested language (bokmål when the language itself is bad). Unknown parameters are
    ignored, as on the pages, so a page's whole query string can be passed along.
    """
    lang, lang_ok = normalise_lang(args.get("lang"))
    if not lang_ok:
        raise ReportInputError(
            t("report.err.lang", "nb", value=_echo(args.get("lang", "")), langs=", ".join(LANGS))
        )
    region = regions.region_or_none(code)
    if region is None:
        raise ReportInputError(t("report.err.region", lang, value=_echo(code)), status=404)
    scenario, scen_ok = model.normalise_scenario(args.get("scenario"))
    if not scen_ok:
        raise ReportInputError(
            t(
                "report.err.scenario",
                lang,
                value=_echo(args.get("scenario", "")),
                codes=", ".join(model.scenario_codes()),
            )
        )
    decoded = decode(region.code, dict(args))
    if decoded.problems:  # a refused value: say which, never a silently different report
        raise ReportInputError(" ".join(decoded.problems))
    state = decoded.state
    return ReportRequest(region.code, scenario, lang, state.assumptions_or_none, state)


# -- numbers ---------------------------------------------------------------------------------
def kicker(code: str, lang: str) -> str:
    region = regions.region_or_none(code)
    if region.level == "kommune":
        return t("region.kommune_in", lang, code=region.code, fylke=region.fylke_name)
    if region.level == "fylke":
        return t("region.fylke_kicker", lang, code=region.code)
    return t("region.country", lang)


def population_rows(req: ReportRequest, years: tuple[int, ...]) -> list[KeyRow]:
    """Population and age groups (model.key_figures), then the care ratio."""
    rows = []
    for kf in model.key_figures(req.scenario, req.code):
        values = {years[0]: kf.base, **kf.values}
        rows.append(
            KeyRow(
                kf.key,
                t(f"card.{kf.key}", req.lang),
                {y: values[y] for y in years if y in values},
                decimals=1 if kf.kind == "ratio" else 0,
                note=t("report.note.care_ratio", req.lang) if kf.key == "care_ratio" else "",
            )
        )
    return rows


def pressure_row(req: ReportRequest, pressure: pd.DataFrame) -> KeyRow:
    """Care årsverk per 1000 inhabitants 20-66, for the chosen assumptions."""
    by_year = dict(zip(pressure["year"].astype(int), pressure["per_1000"], strict=True))
    return KeyRow(
        "pressure",
        t("card.pressure", req.lang),
        {int(y): float(v) for y, v in by_year.items()},
        decimals=1,
        note=t("report.note.pressure", req.lang),
    )


def money_rows(req: ReportRequest, years: tuple[int, ...]) -> list[KeyRow]:
    """Health and care: demographic cost (million kroner a year, in its price year) and the
    årsverk to recruit (growth plus departures, cumulative), as on the Tjenester page."""
    cost = pd.DataFrame(chartdata.costs_columns(req.code, req.scenario, req.assumptions))
    rec = pd.DataFrame(chartdata.recruitment_columns(req.code, req.scenario, req.assumptions))
    price = chartdata.cost_price_years(req.scenario)["pleie_og_omsorg"]
    cost_by = dict(
        zip(cost["year"].astype(int), cost["pleie_og_omsorg_demografikostnad"], strict=True)
    )
    rec_by = dict(
        zip(rec["year"].astype(int), rec["pleie_og_omsorg_arsverk_rekruttering"], strict=True)
    )
    return [
        KeyRow(
            "cost_care",
            t("report.row.cost_care", req.lang, year=price),
            {y: float(cost_by[y]) / 1e6 for y in years if y in cost_by},
            decimals=0,
        ),
        KeyRow(
            "recruit_care",
            t("report.row.recruit_care", req.lang),
            {y: float(rec_by[y]) for y in years if y in rec_by},
            decimals=0,
        ),
    ]


def ssb_row(req: ReportRequest, years: tuple[int, ...], ssb: pd.DataFrame, table: str) -> KeyRow:
    """SSB's own projected population (``ssb``: year, persons) beside ours, for the same years.

    ``ssb`` comes from ``dashboard.ui.ssb_figures.ssb_series`` (``projections.ssb_reference``).
    """
    by_year = dict(zip(ssb["year"].astype(int), ssb["persons"].astype(float), strict=True))
    return KeyRow(
        "ssb_total",
        t("report.row.ssb", req.lang, table=table),
        {y: by_year[y] for y in years if y in by_year},
        note=t("report.note.ssb", req.lang),
    )


def interval_row(
    req: ReportRequest,
    years: tuple[int, ...],
    low: Mapping[int, float],
    high: Mapping[int, float],
    level: int,
) -> KeyRow:
    """Our uncertainty for the population total as "low–high" per year (``level`` in %).

    Plug-in for ``projections.intervals``: in ``collect()``, after the population rows,
    ``rows.insert(1, interval_row(req, years, low, high, level))`` with the interval bounds.
    """
    ranges = {y: (float(low[y]), float(high[y])) for y in years if y in low and y in high}
    return KeyRow(
        "total_interval",
        t("report.row.interval", req.lang),
        {},
        ranges=ranges,
        note=t("report.note.interval", req.lang, level=level),
    )


def total_interval_row(req: ReportRequest, years: tuple[int, ...], base_year: int) -> KeyRow:
    """The 80 % interval of the population total, rounded as on the Oversikt key cards
    (3 significant digits: no false precision); the base year is registered, so no range."""
    found = {y: intervals.bounds(req.code, req.scenario, y) for y in years if y > base_year}
    pairs = {y: b for y, b in found.items() if b is not None}
    low = {y: intervals.round_sig(lo) for y, (lo, _) in pairs.items()}
    high = {y: intervals.round_sig(hi) for y, (_, hi) in pairs.items()}
    return interval_row(req, years, low, high, 80)


def index_frame(req: ReportRequest, base_year: int) -> pd.DataFrame:
    """Each age group as an index (base year = 100), from the Oversikt chart's own table."""
    df = chartdata.index_table(req.code, req.scenario)
    df = df[["year", *INDEX_GROUPS]].reset_index(drop=True)
    base = df[df["year"] == base_year].iloc[0]
    for g in INDEX_GROUPS:
        df[g] = df[g] / base[g] * 100 if base[g] else math.nan
    return df


def findings(req: ReportRequest, rows: list[KeyRow], base_year: int) -> list[str]:
    """The Oversikt page's headline sentences, for the same numbers."""
    by_key = {r.key: r for r in rows}
    out = []
    for key, year in (("total", 2050), ("80p", 2040), ("0_5", 2040), ("16_66", 2040)):
        r = by_key.get(key)
        if r is not None and year in r.values:
            interval = intervals.bounds(req.code, req.scenario, year, key)
            out.append(
                change_sentence(key, r.values[year], r.values[base_year], year, req.lang, interval)
            )
    cr = by_key.get("care_ratio")
    if cr is not None and 2040 in cr.values:
        out.append(
            t(
                "sentence.care_ratio",
                req.lang,
                now=fmt_number(cr.values[base_year], req.lang, 1),
                then=fmt_number(cr.values[2040], req.lang, 1),
                year=2040,
            )
        )
    return out


def small_kommune_note(req: ReportRequest, rows: list[KeyRow], base_year: int) -> tuple[str, ...]:
    """The Oversikt page's warning for small kommuner: a few families change the numbers a lot."""
    total = next((r for r in rows if r.key == "total"), None)
    if len(req.code) != 4 or total is None or base_year not in total.values:
        return ()
    size = total.values[base_year]
    if size >= intervals.SMALL_KOMMUNE:
        return ()
    return (t("unc.small_note", req.lang, n=fmt_number(size, req.lang)),)


def assumptions_text(req: ReportRequest) -> str:
    """Every changed assumption, in the words of the Tjenester page's notice."""
    parts = assumption_codec.changes(req.assumptions, req.lang)
    if not parts:
        return t("report.assumptions.default", req.lang)
    return t("report.assumptions.changed", req.lang, items="; ".join(parts))


def vintage_text(lang: str) -> str:
    year, table, date = history.data_vintage()
    return t("vintage", lang, table=table, year=year, date=date)


def collect(req: ReportRequest, today: dt.date | None = None) -> ReportData:
    """All numbers and texts of the report for one request.

    Under our population total sit its 80 % interval and SSB's own figure (from
    ``dashboard.ui.uncertainty`` and ``dashboard.ui.ssb_compare``, as on the Oversikt page); the PDF
    draws any row it is given.
    """
    by = model.base_year(req.scenario)
    years = (by, *[y for y in model.KEY_YEARS if y > by])
    rows = population_rows(req, years)
    ssb = ssb_figures.ssb_series(req.code, "total")  # None where SSB has no figure
    if ssb is not None:
        frame = pd.DataFrame({"year": ssb.index.astype(int), "persons": ssb.to_numpy(float)})
        rows.insert(1, ssb_row(req, years, frame, ssb_figures.source_label(req.code)))
    rows.insert(1, total_interval_row(req, years, by))
    pressure = pd.DataFrame(columns=["year", "per_1000", "care_ratio"])
    if model.needs_available():
        pressure = needs_cache.pressure_key_years(req.scenario, req.code, req.assumptions)
        rows.append(pressure_row(req, pressure))
        rows.extend(money_rows(req, years))
    return ReportData(
        request=req,
        name=regions.region_name(req.code, req.lang),
        kicker=kicker(req.code, req.lang),
        scenario_label=scenario_label(req.scenario, req.lang),
        base_year=by,
        years=years,
        rows=tuple(rows),
        findings=tuple(findings(req, rows, by)) + small_kommune_note(req, rows, by),
        pressure=pressure,
        index=index_frame(req, by),
        assumptions_text=assumptions_text(req),
        vintage=vintage_text(req.lang),
        generated=today or dt.date.today(),
    )
