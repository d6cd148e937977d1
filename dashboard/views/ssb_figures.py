"""SSB's projection beside ours, as numbers: SSB's series for a chart line and CSV column, the
"Vår framskriving og SSBs" comparison and its computed why-sentence, and the stated
assumptions. Everything is read through the projections API (``ssb_reference``,
``ssb_decomposition``, ``scenario_assumptions``); ``dashboard.ui.ssb_compare`` draws it.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import pandas as pd

from dashboard.data import model
from dashboard.text.formatting import MINUS, fmt_number
from dashboard.text.i18n import t
from data_sources import NORWAY_CODE, UnknownRegionError
from projections import scenario_assumptions, ssb_assumptions
from projections import ssb_reference as ref
from projections.ssb_decomposition import PARTS, decompose

SSB_COLUMN = "ssb"


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


def _last_compared(code: str) -> pd.Series:
    f = _decomposition(code)
    return f[f["year"] <= max(COMPARE_YEARS)].iloc[-1]


def _parts(row: pd.Series) -> dict[str, float]:
    parts = {p: float(row[p]) for p in PARTS}
    if abs(parts["vintage"]) < 0.5:
        parts.pop("vintage")
    return parts


def decomposition_parts(code: str) -> dict[str, float]:
    """The parts of our difference to SSB in the last compared year, in persons (the
    vintage part left out when it is nil)."""
    return _parts(_last_compared(code))


def why_sentence(code: str, lang: str) -> str:
    """One sentence from the decomposition in the last compared year (computed, not written)."""
    row = _last_compared(code)
    parts = _parts(row)
    # the largest part pulling the way the difference goes (a larger one pulling the other way
    # is in the list, but the difference does not "come from" it)
    diff = float(row["difference"])
    same_way = [p for p in parts if parts[p] * diff > 0] or list(parts)
    largest = max(same_way, key=lambda p: abs(parts[p]))
    vintage = ""
    if "vintage" in parts:
        vintage = t("ssb.cmp.why_vintage", lang, value=_signed(parts["vintage"], lang))
    return t(
        "ssb.cmp.why",
        lang,
        year=int(row["year"]),
        diff=_signed(diff, lang),
        largest=t(f"ssb.part.{largest}", lang),
        immigration=_signed(parts["immigration"], lang),
        fertility=_signed(parts["fertility"], lang),
        mortality=_signed(parts["mortality"], lang),
        kommune=_signed(parts["kommune"], lang),
        vintage=vintage,
    )


def agegroup_frame(year: int = max(COMPARE_YEARS)) -> pd.DataFrame:
    """Norway by SSB's ten age groups in ``year``: ours, SSB's and the difference in %."""
    years, ssb = ref.ssb_agegroup_matrix("MMMM")
    ours = ref.group_ages(model.population_in(MAIN, NORWAY_CODE, year))
    theirs = ssb[list(years).index(year)]
    return pd.DataFrame(
        {
            "group": list(ref.AGE_GROUPS),
            "ours": ours,
            SSB_COLUMN: theirs,
            "difference_pct": (ours / theirs - 1) * 100,
        }
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
