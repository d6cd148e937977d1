"""The Kart page's choropleth of every kommune (MapLibre, boundaries © Kartverket)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from dashboard.ui.figures import Figure, as_list, base_layout


def map_figure(
    geojson: dict[str, Any] | str,
    df: pd.DataFrame,
    value_col: str,
    label: str,
    lang: str,
    diverging: bool,
    decimals: int = 1,
) -> Figure:
    """Choropleth of kommuner on a blank MapLibre style: no tiles, so it works offline.

    ``geojson`` is a FeatureCollection or the URL the app serves it from (fetched once).
    """
    values = df[value_col].to_numpy(dtype=float)
    if diverging:
        lim = float(np.nanpercentile(np.abs(values), 98)) if len(values) else 1.0
        lim = lim or 1.0
        scale = [
            [0, "#B35806"],
            [0.25, "#F1A340"],
            [0.5, "#F7F7F7"],
            [0.75, "#998EC3"],
            [1, "#542788"],
        ]
        zmin, zmax = -lim, lim
    else:
        scale = [[0, "#EFF6FB"], [0.5, "#56B4E9"], [1, "#002F5F"]]
        zmin = float(np.nanpercentile(values, 2)) if len(values) else 0.0
        zmax = float(np.nanpercentile(values, 98)) if len(values) else 1.0
    data = [
        {
            "type": "choroplethmap",
            "geojson": geojson,
            "locations": df["kommune"].tolist(),
            "z": as_list(values),
            "featureidkey": "id",
            "colorscale": scale,
            "zmin": zmin,
            "zmax": zmax,
            "marker": {"line": {"width": 0.4, "color": "white"}, "opacity": 0.95},
            "customdata": [
                [n, c] for n, c in zip(df["name"].tolist(), df["kommune"].tolist(), strict=True)
            ],
            "hovertemplate": "<b>%{customdata[0]}</b> (%{customdata[1]})<br>"
            + label
            + ": %{z:,."
            + str(decimals)
            + "f}<extra></extra>",
            "colorbar": {
                "thickness": 14,
                "len": 0.6,
                "tickformat": f",.{decimals}f",
                "outlinewidth": 0,
            },
        }
    ]
    layout = base_layout(
        lang, height=760, margin={"l": 0, "r": 0, "t": 0, "b": 0}, hovermode="closest"
    )
    layout["map"] = {"style": "white-bg", "center": {"lat": 65.4, "lon": 17.2}, "zoom": 3.95}
    return {"data": data, "layout": layout}
