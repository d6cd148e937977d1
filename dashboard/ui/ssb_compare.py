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
from dash import html

from dashboard import views
from dashboard.text.formatting import fmt_percent
from dashboard.text.i18n import t
from dashboard.ui import components
from dashboard.views.ssb_figures import (
    COMPARE_YEARS,
    SSB_COLUMN,
    agegroup_frame,
    assumptions_frame,
    comparison_frame,
    source_label,
    ssb_series,
    why_sentence,
)

SSB_COLOUR = "#D55E00"  # Okabe-Ito vermillion: apart from our blues and the band


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


def _agegroup_table(lang: str, year: int = max(COMPARE_YEARS)) -> Any:
    df = agegroup_frame(year)
    headers = {
        "group": t("ssb.cmp.group", lang),
        "ours": t("ssb.cmp.ours", lang),
        SSB_COLUMN: t("ssb.col", lang, table=source_label(views.NORWAY_CODE)),
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
        if code == views.NORWAY_CODE:
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
        "stated": t("ssb.asm.stated", lang, table=source_label(views.NORWAY_CODE)),
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
