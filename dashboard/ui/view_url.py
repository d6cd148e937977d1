"""View choices (map indicator and year, age group, shown scenarios, pyramid year, the usage
chart's path and service) in the URL.

The page updates its chart itself; this only rewrites the address (``history.replaceState``)
and the language links in the header, in the browser: no request to the server, and no
shell update (one request per slider move: the chart's own). The scenario switch reads the
address in the browser, and a reload uses it, so both keep the choice. Short Norwegian
parameter names (``dashboard.state.VIEW_PARAMS``); a value equal to the default is left out.
"""

from __future__ import annotations

from dash import Input, Output, clientside_callback

# component id -> (query parameter, default value)
VIEW_CONTROLS: dict[str, tuple[str, str]] = {
    "map-indicator": ("ind", "growth"),
    "map-year": ("year", "2040"),
    "pop-group": ("gruppe", "total"),
    "pop-scenarios": ("vis", ""),
    "pyramid-year": ("pyramide", ""),
    "needs-usage": ("bruk", "today"),
    "needs-service": ("tjeneste", "institusjon"),
}

_SYNC = """
function(value) {
    var param = %(param)s, dflt = %(default)s;
    var text = Array.isArray(value) ? value.join(",") : (value === null || value === undefined
        ? "" : String(value));
    var params = new URLSearchParams(window.location.search);
    if (text === "" || text === dflt) { params.delete(param); } else { params.set(param, text); }
    var search = "?" + params.toString().replace(/%%2C/g, ",");
    if (search === window.location.search) { return window.dash_clientside.no_update; }
    window.history.replaceState(window.history.state, "", window.location.pathname + search);
    ["nb", "nn", "en"].forEach(function(lang) {
        var p = new URLSearchParams(search);
        p.set("lang", lang);
        var href = window.location.pathname + "?" + p.toString().replace(/%%2C/g, ",");
        if (document.getElementById("lang-" + lang)) {
            window.dash_clientside.set_props("lang-" + lang, {href: href});
        }
    });
    return search;
}
"""


def register() -> None:
    """One small clientside callback per control (ids exist only on their own page)."""
    import json

    for component, (param, default) in VIEW_CONTROLS.items():
        clientside_callback(
            _SYNC % {"param": json.dumps(param), "default": json.dumps(default)},
            Output("view-sync", "data", allow_duplicate=True),
            Input(component, "value"),
            prevent_initial_call=True,
        )


register()
