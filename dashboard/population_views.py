"""The Befolkning population chart's SSB line and prediction fan, drawn from arrays.

The same traces as ``ssb_compare.add_ssb_line`` and ``uncertainty.add_fan`` (a test keeps
them equal), read from ``chartdata.population_columns`` and ``chartdata.interval_values``
instead of frames: those two built and filtered a frame per call, ~5 ms of every render.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np

from dashboard import ssb_compare, uncertainty
from dashboard.i18n import t

Figure = dict[str, Any]


@lru_cache(maxsize=512)  # every region fits: a short table number each (~100 kB in all)
def ssb_source(code: str) -> str:
    """The SSB table behind SSB's line ("14288", "14746"): read from the table metadata,
    ~0.3 ms, on every render otherwise."""
    return ssb_compare.source_label(code)


def add_ssb_line(fig: Figure, cols: dict[str, np.ndarray], table: str, lang: str) -> Figure:
    """Append SSB's projection (column ``ssb``, where SSB has a figure) as its own line."""
    values = cols.get(ssb_compare.SSB_COLUMN)
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
            "line": {"color": ssb_compare.SSB_COLOUR, "width": 2, "dash": "dashdot"},
            "hovertemplate": "%{y:,.0f}",
        }
    )
    return fig


def band(x: list[int], lo: list[float], hi: list[float], name: str, colour: str) -> list[Figure]:
    """An invisible upper line and a lower line filled up to it (a shaded band)."""
    return [
        {
            "type": "scatter",
            "x": x,
            "y": hi,
            "mode": "lines",
            "line": {"width": 0},
            "hoverinfo": "skip",
            "showlegend": False,
            "name": f"{name} hi",
        },
        {
            "type": "scatter",
            "x": x,
            "y": lo,
            "mode": "lines",
            "line": {"width": 0},
            "fill": "tonexty",
            "fillcolor": colour,
            "name": name,
            "hoverinfo": "skip",
        },
    ]


def add_fan(fig: Figure, intervals: tuple[np.ndarray, dict[str, np.ndarray]], lang: str) -> Figure:
    """The 95 % (light) and 80 % (darker) fan behind the projection line (after the observed
    line); the scenario band hatched, so it is not read as the fan."""
    years, bounds = intervals
    x = years.tolist()
    traces: list[Figure] = []
    for lv in (95, 80):
        traces += band(
            x,
            bounds[f"lower_{lv}"].tolist(),
            bounds[f"upper_{lv}"].tolist(),
            t("unc.fan_legend", lang, level=lv),
            uncertainty.FAN[lv],
        )
    fig["data"][1:1] = traces
    band_name = t("fig.band", lang)
    for trace in fig["data"]:
        if trace.get("name") == band_name and trace.get("fill"):
            trace["fillcolor"] = "rgba(0,0,0,0)"
            trace["fillpattern"] = {"shape": "/", "fgcolor": "rgba(213,94,0,0.45)", "size": 7}
    return fig
