"""View choices (map indicator and year, age group, shown scenarios, pyramid year, the usage
chart's path and service) in the URL.

The page updates its chart itself; this only rewrites the address (``history.replaceState``)
and tells the shell's ``url`` location, so the language links, the scenario switch and a
reload all keep the choice - without a second, full page render. Short Norwegian parameter
names; a value equal to the default is left out so links stay short.
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
    window.dash_clientside.set_props("url", {search: search, href: window.location.href});
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
