"""The chart toolbar (Plotly's modebar): Norwegian, offline and short.

Kept: download as PNG, zoom in/out and reset (useful on long time series and the map).
Removed: "Share chart..." (uploads to Plotly Cloud: an English dialog in an app that runs
offline), box/lasso select, drag-zoom and pan modes (they fight with scrolling on phones),
autoscale and spikelines. The installed plotly.js (4.x) bundles no Norwegian locale, so the
few tooltips that remain are translated here through Plotly's ``config.locales``.
"""

from __future__ import annotations

from functools import cache
from typing import Any

REMOVED = (
    "sendChartToCloud",
    "select2d",
    "lasso2d",
    "zoom2d",
    "pan2d",
    "autoScale2d",
    "toggleSpikelines",
    "hoverClosestCartesian",
    "hoverCompareCartesian",
)

# plotly.js English source string -> Norwegian. Bokmål and nynorsk spell these the same,
# except where noted in the nynorsk overrides.
_NO: dict[str, str] = {
    "Download plot as a PNG": "Last ned figuren som bilde (PNG)",
    "Download plot": "Last ned figuren",
    "Taking snapshot - this may take a few seconds": "Lager bilde – dette kan ta noen sekunder",
    "Snapshot succeeded": "Bildet er lagret",
    "Sorry, there was a problem downloading your snapshot!": "Beklager, bildet kunne ikke lagres.",
    "Zoom in": "Zoom inn",
    "Zoom out": "Zoom ut",
    "Reset axes": "Tilbakestill aksene",
    "Reset view": "Tilbakestill visningen",
    "Zoom": "Zoom",
    "Pan": "Panorer",
    "Autoscale": "Tilpass aksene",
    "Double-click to zoom back out": "Dobbeltklikk for å zoome ut igjen",
    "Double-click on legend to isolate one trace": "Dobbeltklikk på en forklaring for å vise bare den",
}
_NN: dict[str, str] = {
    "Taking snapshot - this may take a few seconds": "Lagar bilete – dette kan ta nokre sekund",
    "Download plot as a PNG": "Last ned figuren som bilete (PNG)",
    "Snapshot succeeded": "Biletet er lagra",
    "Sorry, there was a problem downloading your snapshot!": "Orsak, biletet kunne ikkje lagrast.",
    "Double-click on legend to isolate one trace": "Dobbeltklikk på ei forklaring for å vise berre ho",
    "Reset view": "Tilbakestill visinga",
}
_FORMAT_NO: dict[str, Any] = {
    "days": ["søndag", "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag"],
    "shortDays": ["søn", "man", "tir", "ons", "tor", "fre", "lør"],
    "months": [
        "januar",
        "februar",
        "mars",
        "april",
        "mai",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "desember",
    ],
    "shortMonths": [
        "jan",
        "feb",
        "mar",
        "apr",
        "mai",
        "jun",
        "jul",
        "aug",
        "sep",
        "okt",
        "nov",
        "des",
    ],
    "date": "%d.%m.%Y",
}


def dictionary(lang: str) -> dict[str, str]:
    """Translations for ``lang`` ({} for English: plotly's own strings)."""
    if lang == "en":
        return {}
    return {**_NO, **(_NN if lang == "nn" else {})}


@cache
def graph_config(lang: str, filename: str = "kommunefram") -> dict[str, Any]:
    """``dcc.Graph(config=...)`` for a chart on a page in ``lang``."""
    config: dict[str, Any] = {
        "displaylogo": False,
        "responsive": True,
        "showSendToCloud": False,
        "showEditInChartStudio": False,
        "modeBarButtonsToRemove": list(REMOVED),
        "toImageButtonOptions": {"format": "png", "scale": 2, "filename": filename},
    }
    if lang != "en":
        name = f"kommunefram-{lang}"
        config["locale"] = name
        config["locales"] = {name: {"dictionary": dictionary(lang), "format": _FORMAT_NO}}
    return config
