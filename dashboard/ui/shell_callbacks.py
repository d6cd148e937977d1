"""The shell's callbacks: header, navigation, picker and notices follow the URL (one request
per navigation); the picker, the scenario switch and the page language work in the browser."""

from __future__ import annotations

import json
from typing import Any

from dash import Input, Output, State, callback, clientside_callback, no_update

from dashboard import views
from dashboard.state import decode, encode, routes
from dashboard.text import t
from dashboard.ui import components, shell, ux_notices
from dashboard.ui.shell_layout import scenario_options


@callback(
    Output("site-header", "children"),
    Output("site-nav", "children"),
    Output("site-footer", "children"),
    Output("region-picker", "value"),
    Output("region-picker", "options"),
    Output("region-picker", "placeholder"),
    Output("picker-label", "children"),
    Output("scenario-select", "value"),
    Output("scenario-select", "options"),
    Output("scenario-label", "children"),
    Output("url-notice", "children"),
    Output("skip-link", "children"),
    Output("shell-lang", "data"),
    Input("url", "pathname"),
    Input("url", "search"),
    State("shell-lang", "data"),
)
def update_shell(
    pathname: str | None, search: str | None, shown_lang: str | None = None
) -> tuple[Any, ...]:
    """Keep header, navigation, picker and notices in step with the URL.

    What depends on the language alone (picker options, scenario names, the footer) is only
    resent when the language changes: it is the bulk of the payload and of the work.
    """
    pathname = pathname if isinstance(pathname, str) else None
    params = routes.parse_search(search if isinstance(search, str) else None)
    section, code = routes.section_of(pathname)
    region = views.region_or_none(code)
    if code is not None and region is None:
        section = "unknown"  # the not-found page: highlight no menu item
    decoded = decode(region.code if region is not None else None, params)
    state = decoded.state
    lang, scenario = state.lang, state.scenario
    # every refused value of the URL, named once for every page, in the user's language
    notices = [components.notice(text, "warning") for text in decoded.problems]
    if region is not None and state.old_code:
        notices.extend(ux_notices.old_code_notice(state.old_code, region.code, lang))
    value = state.region if state.region is not None else no_update
    nav_code = state.region
    extra = {k: v for k, v in encode(state).items() if k not in ("scenario", "lang")}
    if section in routes.GLOBAL_PAGES and state.region is not None:
        extra["kommune"] = state.region
    return (
        shell.header_inner(section, nav_code, scenario, lang, extra),
        shell.nav_links(section, state),
        shell.footer_inner(lang) if lang != shown_lang else no_update,
        value,
        components.picker_options(lang) if lang != shown_lang else no_update,
        t("picker.placeholder", lang),
        t("picker.label", lang),
        scenario,
        scenario_options(lang) if lang != shown_lang else no_update,
        t("scenario.label", lang),
        notices,
        t("a11y.skip", lang),
        lang,
    )


# Picker or scenario changed: the same section for the new choice, built in the browser from
# the address as it is (view choices and assumptions kept; the kommune on global pages goes
# into the path of the Oversikt page). No request: the page router's is the one that counts.
_NAVIGATE = """
function(code, scenario) {
    var nu = window.dash_clientside.no_update;
    var trig = (window.dash_clientside.callback_context.triggered[0] || {}).prop_id || "";
    var codes = %(codes)s, dflt = %(default)s;
    var params = new URLSearchParams(window.location.search);
    var m = /^\\/kommune\\/([^\\/]+)(\\/[^\\/]*)?\\/?$/.exec(window.location.pathname);
    var path = window.location.pathname;
    if (trig.indexOf("region-picker") === 0) {
        var current = m ? m[1] : params.get("kommune");
        if (!code || typeof code !== "string" || code === current) { return nu; }
        params.delete("fra");
        params.delete("kommune");
        var rest = (m && m[2] && m[2] !== "/") ? m[2] : "";
        path = "/kommune/" + encodeURIComponent(code) + rest;
    } else {
        var cur = (params.get("scenario") || dflt).toUpperCase();
        if (codes.indexOf(cur) < 0) { cur = dflt; }  // the shell shows the fallback
        if (!scenario || codes.indexOf(scenario) < 0 || scenario === cur) { return nu; }
        params.set("scenario", scenario);
    }
    return path + "?" + params.toString().replace(/%%2C/g, ",");
}
"""
clientside_callback(
    _NAVIGATE
    % {"codes": json.dumps(views.scenario_codes()), "default": json.dumps(views.DEFAULT_SCENARIO)},
    Output("url", "href", allow_duplicate=True),
    Input("region-picker", "value"),
    Input("scenario-select", "value"),
    prevent_initial_call=True,
)


clientside_callback(
    """
    function(search) {
        var m = /[?&]lang=([^&]*)/.exec(search || "");
        var lang = m ? decodeURIComponent(m[1]).toLowerCase() : "nb";
        if (["nb", "nn", "en"].indexOf(lang) < 0) { lang = "nb"; }
        document.documentElement.lang = lang;
        return window.dash_clientside.no_update;
    }
    """,
    Output("skip-link", "title"),
    Input("url", "search"),
)
