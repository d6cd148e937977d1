"""SSB's projection beside ours: the SSB line and CSV column on Befolkning, the "Vår
framskriving og SSBs" table on Oversikt and the stated assumptions on Om and Befolkning.

Everything is read through the projections API (``ssb_reference``, ``ssb_decomposition``,
``scenario_assumptions``); this module only shapes and formats it.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
from dash import html

from dashboard.text.formatting import MINUS, fmt_number, fmt_percent
from dashboard.text.i18n import t
from dashboard.ui import components
from data_sources import NORWAY_CODE, UnknownRegionError
from projections import scenario_assumptions, ssb_assumptions
from projections import ssb_reference as ref
from projections.ssb_decomposition import PARTS, decompose

SSB_COLUMN = "ssb"
SSB_COLOUR = "#D55E00"  # Okabe-Ito vermillion: apart from our blues and the band
COMPARE_YEARS = (2030, 2040, 2050)
MAIN = "MMMM"
# the dashboard's age groups as unions of 14746's ten groups (the bounds coincide)
GROUP_MAP: dict[str, tuple[str, ...]] = {
    "total": tuple(ref.AGE_GROUPS),
    "0_5": ("0", "1-5"),
    "6_15": ("6-12", "13-15"),
    "16_66": ("16-19", "20-44", "45-66"),
    "67_79": ("67-79",),
    "80p": ("80-89", "90+"),
}


def ssb_series(code: str, group: str = "total") -> pd.Series | None:
    """SSB's projected persons by year for a region and dashboard age group, or None.

    Kommuner and fylker have SSB totals only; Norway has 14746's age groups.
    """
    return _ssb_series(code, group)  # one cache key however it is called (warm-up, pages)


@lru_cache(maxsize=1024)
def _ssb_series(code: str, group: str) -> pd.Series | None:
    try:
        if code == NORWAY_CODE and group in GROUP_MAP:
            df = ref.ssb_agegroups("MMMM")
            df = df[df["age_group"].isin(GROUP_MAP[group])]
            return df.groupby("year")["persons"].sum()
        if group != "total":
            return None
        return ref.ssb_figure(code).set_index("year")["persons"]
    except (ref.SSBFigureUnavailableError, UnknownRegionError):
        return None


@lru_cache(maxsize=512)  # every region fits (a short table number each)
def source_label(code: str) -> str:
    """The SSB table behind SSB's figure ("14288", "14746"), from the table metadata (~0.3 ms
    to read: Befolkning names it on every render)."""
    return ref.ssb_source_table(code)


def add_ssb_line(
    fig: dict[str, Any], cols: Mapping[str, np.ndarray], table: str, lang: str
) -> dict[str, Any]:
    """Append SSB's projection (column ``ssb`` of the chart's columns, where SSB has a
    figure) as its own line: the same numbers as the table and the CSV."""
    values = cols.get(SSB_COLUMN)
    if values is None:
        return fig
    has = ~np.isnan(values)
    fig["data"].append(
        {
            "type": "scatter",
            "x": cols["year"][has].tolist(),
            "y": values[has].tolist(),
            "mode": "lines+markers",
            "marker": {"size": 4},
            "name": t("ssb.line", lang, table=table),
            "line": {"color": SSB_COLOUR, "width": 2, "dash": "dashdot"},
            "hovertemplate": "%{y:,.0f}",
        }
    )
    return fig


def ssb_header(code: str, lang: str) -> dict[str, str]:
    return {SSB_COLUMN: t("ssb.col", lang, table=source_label(code))}


def _signed(value: float, lang: str) -> str:
    text = fmt_number(abs(value), lang)
    if round(value) == 0:
        return "±0"
    return ("+" if value > 0 else MINUS) + text


# -- Oversikt: "Vår framskriving og SSBs" ----------------------------------------------------
@lru_cache(maxsize=512)  # one small frame per region (every kommune, fylke and Norway fit)
def _decomposition(code: str) -> pd.DataFrame:
    """The decomposition of a region (50-200 ms to build: SSB's tables are read and summed)."""
    return decompose().frame(code)


def comparison_frame(code: str) -> pd.DataFrame:
    """year, ours, ssb, difference, difference_pct for 2030/2040/2050 (our main alternative)."""
    f = _decomposition(code)
    f = f[f["year"].isin(COMPARE_YEARS)]
    return pd.DataFrame(
        {
            "year": f["year"].astype(int),
            "ours": f["ours"],
            SSB_COLUMN: f["ssb"],
            "difference": f["difference"],
            "difference_pct": f["difference"] / f["ssb"] * 100,
        }
    ).reset_index(drop=True)


def why_sentence(code: str, lang: str) -> str:
    """One sentence from the decomposition in the last compared year (computed, not written)."""
    f = _decomposition(code)
    row = f[f["year"] <= max(COMPARE_YEARS)].iloc[-1]
    parts = {p: float(row[p]) for p in PARTS}
    if abs(parts["vintage"]) < 0.5:
        parts.pop("vintage")
    largest = max(parts, key=lambda p: abs(parts[p]))
    vintage = ""
    if "vintage" in parts:
        vintage = t("ssb.cmp.why_vintage", lang, value=_signed(parts["vintage"], lang))
    return t(
        "ssb.cmp.why",
        lang,
        year=int(row["year"]),
        diff=_signed(float(row["difference"]), lang),
        largest=t(f"ssb.part.{largest}", lang),
        immigration=_signed(parts["immigration"], lang),
        fertility=_signed(parts["fertility"], lang),
        mortality=_signed(parts["mortality"], lang),
        kommune=_signed(parts["kommune"], lang),
        vintage=vintage,
    )


def _agegroup_table(lang: str, year: int = max(COMPARE_YEARS)) -> Any:
    from dashboard.data import model

    years, ssb = ref.ssb_agegroup_matrix("MMMM")
    ours = ref.group_ages(model.population_in(MAIN, NORWAY_CODE, year))
    theirs = ssb[list(years).index(year)]
    df = pd.DataFrame(
        {
            "group": list(ref.AGE_GROUPS),
            "ours": ours,
            SSB_COLUMN: theirs,
            "difference_pct": (ours / theirs - 1) * 100,
        }
    )
    headers = {
        "group": t("ssb.cmp.group", lang),
        "ours": t("ssb.cmp.ours", lang),
        SSB_COLUMN: t("ssb.col", lang, table=source_label(NORWAY_CODE)),
        "difference_pct": t("ssb.cmp.diff_pct", lang),
    }
    return html.Details(
        [
            html.Summary(t("ssb.cmp.groups_title", lang, year=year)),
            html.Div(
                components.data_table(df, lang, headers, {"difference_pct": 1}),
                className="table-scroll",
                id="ssb-compare-groups",
            ),
        ],
        className="table-details",
    )


@lru_cache(maxsize=384)  # (region, language), ~20 kB each: one language's 373 regions fit
def comparison_section(code: str, lang: str) -> html.Section:
    """The Oversikt card; a region SSB has no figure for gets a one-line notice instead.

    The same for every scenario (SSB's figure against our main alternative), so one render
    per region and language serves every scenario switch: ~7 ms of an Oversikt render.
    """
    if ssb_series(code) is None:
        body: list[Any] = [html.P(t("ssb.unavailable", lang), className="muted")]
    else:
        df = comparison_frame(code)
        shown = df.assign(
            difference_pct=[fmt_percent(v, lang, 1, sign=True) for v in df["difference_pct"]]
        )
        headers = {
            "year": t("col.year", lang),
            "ours": t("ssb.cmp.ours", lang),
            SSB_COLUMN: t("ssb.col", lang, table=source_label(code)),
            "difference": t("ssb.cmp.diff", lang),
            "difference_pct": t("ssb.cmp.diff_pct", lang),
        }
        body = [
            html.P(t("ssb.cmp.lead", lang, table=source_label(code))),
            html.Div(
                components.data_table(shown, lang, headers),
                className="table-scroll",
                id="ssb-compare-table",
            ),
            html.P(why_sentence(code, lang), id="ssb-compare-why"),
            html.P(t("ssb.cmp.method", lang), className="muted"),
        ]
        if code == NORWAY_CODE:
            body.append(_agegroup_table(lang))
    return html.Section(
        className="card",
        id="ssb-compare",
        **{"aria-labelledby": "ssb-compare-title"},
        children=[
            html.H2(t("ssb.cmp.title", lang), id="ssb-compare-title", className="section-title"),
            *body,
            html.P(t("ssb.source", lang), className="chart-source"),
        ],
    )


# -- stated assumptions (Om, Befolkning) -----------------------------------------------------
@lru_cache(maxsize=32)
def _assumptions(code: str) -> Any:
    return scenario_assumptions(code)


@lru_cache(maxsize=1)
def _ssb_implied() -> Any:
    return ssb_assumptions()


def assumptions_frame(scenario: str, lang: str) -> pd.DataFrame:
    """measure, ours, implied (by SSB's figures), stated (SSB's own: not in our data)."""
    a, s = _assumptions(scenario), _ssb_implied()
    imp = s.implied
    missing = t("ssb.asm.not_in_data", lang)
    rows = [
        (t("ssb.asm.tfr", lang, year=a.base_year), a.tfr_base, imp.tfr_base, 2),
        (t("ssb.asm.tfr", lang, year=a.end_year), a.tfr_end, imp.tfr_end, 2),
        (t("ssb.asm.e0_male", lang, year=a.base_year), a.e0_male_base, imp.e0_male_base, 1),
        (t("ssb.asm.e0_male", lang, year=a.end_year), a.e0_male_end, imp.e0_male_end, 1),
        (t("ssb.asm.e0_female", lang, year=a.base_year), a.e0_female_base, imp.e0_female_base, 1),
        (t("ssb.asm.e0_female", lang, year=a.end_year), a.e0_female_end, imp.e0_female_end, 1),
        (
            t("ssb.asm.imm_year", lang, year=a.base_year),
            a.net_immigration_base,
            imp.net_immigration_base,
            0,
        ),
        (
            t("ssb.asm.imm_mean", lang, first=a.base_year, last=a.end_year - 1),
            a.net_immigration_mean,
            imp.net_immigration_mean,
            0,
        ),
    ]
    return pd.DataFrame(
        {
            "measure": [r[0] for r in rows],
            "ours": [fmt_number(r[1], lang, r[3]) for r in rows],
            "implied": [fmt_number(r[2], lang, r[3]) for r in rows],
            "stated": [missing] * len(rows),
        }
    )


def assumptions_section(scenario: str, lang: str, section_id: str = "ssb-assumptions") -> Any:
    try:
        return _assumptions_section(scenario, lang, section_id)
    except Exception as exc:  # the projection layer's own errors: show why, not a traceback
        import logging

        logging.getLogger("kommunefram").warning("assumptions unavailable: %s", exc)
        return html.Section(
            html.P(t("ssb.asm.unavailable", lang), className="muted"),
            className="card",
            id=section_id,
        )


@lru_cache(maxsize=96)  # scenario x language x the two pages' ids; a failure is not kept
def _assumptions_section(scenario: str, lang: str, section_id: str) -> html.Section:
    """The same for every region: rendered once per scenario and language (~2.5 ms)."""
    df = assumptions_frame(scenario, lang)
    headers = {
        "measure": t("ssb.asm.measure", lang),
        "ours": t("ssb.asm.ours", lang, scenario=t(f"scenario.{scenario}", lang), code=scenario),
        "implied": t("ssb.asm.implied", lang),
        "stated": t("ssb.asm.stated", lang, table=source_label(NORWAY_CODE)),
    }
    return html.Section(
        className="card",
        id=section_id,
        **{"aria-labelledby": f"{section_id}-title"},
        children=[
            html.H2(
                t("ssb.asm.title", lang, scenario=t(f"scenario.{scenario}", lang)),
                id=f"{section_id}-title",
                className="section-title",
            ),
            html.Div(
                components.data_table(df, lang, headers),
                className="table-scroll",
                id=f"{section_id}-table",
            ),
            html.P(t("ssb.asm.note", lang), className="muted"),
        ],
    )
