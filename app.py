"""Kommunefram dashboard: a multi-page Dash app (Dash Pages).

Run ``python app.py`` (http://127.0.0.1:8050) or ``gunicorn app:server``. Debug mode is off
unless ``KOMMUNEFRAM_DEBUG=1``: tracebacks must never reach the browser.

The app shell (header, navigation, kommune picker, scenario choice, footer) lives here; the
pages in ``pages/`` render the content for the URL. All state is in the URL
(``/kommune/0301?scenario=MMMM&lang=nb``) so every view is a shareable deep link.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import threading
import time
from html import escape as html_escape
from typing import Any
from urllib.parse import urlencode, urlsplit

if __name__ == "__main__" and "IPython" not in sys.modules:
    # Served as a script: skip Dash's optional Jupyter integration, whose IPython import
    # costs ~0.3 s of cold start. (In a notebook IPython is already loaded: untouched.)
    sys.modules["IPython"] = None  # type: ignore[assignment]

import dash
import flask
import plotly.io.json
from dash import ALL, Input, Output, State, ctx, dcc, html, no_update

from dashboard import chart_excel as _chart_excel  # noqa: F401  (registers its download callback)
from dashboard import (
    components,
    downloads,
    model,
    report_link,
    response_json,
    scenario_extras,
    serving,
    ssb_compare,
    uncertainty,
    url_state,
    urls,
    ux_notices,
    validate,
)
from dashboard import view_url as _view_url  # noqa: F401  (view choices written to the URL)
from dashboard.i18n import normalise_lang, t

log = logging.getLogger("kommunefram")
HERE = os.path.dirname(os.path.abspath(__file__))


# Dash serialises every response through plotly.io's JSON writer. Its default ("auto":
# orjson when installed) fails on Dash components and falls back to a pure-Python walk over
# every value of the tree before orjson runs: ~40 % of a page callback's serialisation time
# more than the stdlib encoder, which hands components to a ``default`` hook and encodes the
# rest in C (same JSON values; benchmarks/profile_pages.py). Callback responses go through
# orjson with such a hook (dashboard/response_json.py); plotly's writer stays for the rest.
plotly.io.json.config.default_engine = "json"
response_json.install()

_URL_META = re.compile(r'(<meta property="twitter:url" content=")[^"]*(">)')


def _url_meta(m: re.Match[str]) -> str:
    url = flask.request.base_url[:200] if flask.has_request_context() else ""
    return m.group(1) + html_escape(url) + m.group(2)


_LAYOUT_JSON: dict[str, str] = {}  # language -> the shell's JSON (3 entries at most)


class KommuneframDash(dash.Dash):
    """Dash with ``<html lang>`` set per request (screen readers pick the right voice)."""

    def interpolate_index(self, **kwargs: Any) -> str:
        html_text = super().interpolate_index(**kwargs)
        lang = _request_lang()
        html_text = html_text.replace("<html>", f'<html lang="{lang}">', 1)
        # Dash Pages puts the full request URL in a meta tag: keep the path only (a crafted
        # query string is not echoed into the page).
        return _URL_META.sub(_url_meta, html_text, count=1)

    def serve_layout(self) -> Any:
        """Dash's ``/_dash-layout``, serialised once per language: the shell depends on the
        language alone (``serve_layout`` below), and every page view asks for it."""
        lang = _request_lang()
        text = _LAYOUT_JSON.get(lang)
        if text is None:
            text = _LAYOUT_JSON[lang] = response_json.to_json(self.get_layout())
        return self.backend.make_response(text, mimetype="application/json")

    def _config(self) -> dict[str, Any]:
        """The page config without version strings (Python, Dash, Plotly): nothing for a
        scanner to match against known vulnerabilities."""
        config = super()._config()
        for key in ("python_version", "dash_version", "plotly_version", "ddk_version"):
            config.pop(key, None)
        return config


app = KommuneframDash(
    __name__,
    use_pages=True,
    pages_folder=os.path.join(HERE, "pages"),
    assets_folder=os.path.join(HERE, "assets"),
    assets_ignore=r"\.lazy\.js$",  # the map's plotly chunk: loaded on demand (frontend/)
    title="Kommunefram",
    update_title=None,
    suppress_callback_exceptions=True,
    meta_tags=[
        {"name": "viewport", "content": "width=device-width, initial-scale=1"},
        {
            "name": "description",
            "content": "Befolkningsframskrivinger, tjenestebehov og bemanning for alle "
            "norske kommuner fram mot 2050.",
        },
        {"name": "theme-color", "content": "#002F5F"},
    ],
)
server = app.server
serving.install(server)
report_link.register(server)  # /kommune/<nr>/rapport.pdf


# -- layout ----------------------------------------------------------------------------------
def _request_lang() -> str:
    """Language of the page being served: its own query string, or (for Dash's layout request)
    the page it was requested from."""
    if not flask.has_request_context():
        return "nb"
    value = flask.request.args.get("lang")
    if value is None and flask.request.referrer:
        value = urls.parse_search(urlsplit(flask.request.referrer).query).get("lang")
    return normalise_lang(value)[0]


def serve_layout() -> html.Div:
    """The shell, in the language of the page that asks for it (so a deep link with
    ``lang=en`` does not flash Norwegian); ``update_shell`` keeps it in step afterwards."""
    lang = _request_lang()
    return html.Div(
        className="app",
        children=[
            dcc.Location(id="url", refresh="callback-nav"),
            dcc.Store(id="shell-lang", data=lang),
            dcc.Store(id="view-sync"),
            dcc.Download(id="chart-download"),
            # An invisible graph in the shell makes Dash fetch plotly.js while the page content
            # is still being computed, instead of after it arrives (~0.3-0.5 s sooner charts).
            html.Div(
                dcc.Graph(
                    id="plotly-preload",
                    figure={"data": [], "layout": {"width": 10, "height": 10}},
                    config={"staticPlot": True, "displayModeBar": False},
                    responsive=False,
                ),
                className="preload",
                **{"aria-hidden": "true"},
            ),
            html.A(t("a11y.skip", lang), href="#main", className="skip-link", id="skip-link"),
            html.Header(
                id="site-header",
                className="site-header",
                children=components.header_inner("home", None, model.DEFAULT_SCENARIO, lang),
            ),
            html.Nav(id="site-nav", className="site-nav", **{"aria-label": "Hovedmeny"}),
            html.Div(
                className="toolbar",
                children=html.Div(
                    className="container toolbar-row",
                    children=[
                        components.picker(lang),
                        html.Div(
                            className="scenario-picker",
                            children=[
                                html.Label(
                                    t("scenario.label", lang),
                                    htmlFor="scenario-select",
                                    id="scenario-label",
                                ),
                                dcc.Dropdown(
                                    id="scenario-select",
                                    options=scenario_options(lang),
                                    value=model.DEFAULT_SCENARIO,
                                    clearable=False,
                                    searchable=False,
                                    className="scenario-dropdown",
                                ),
                            ],
                        ),
                    ],
                ),
            ),
            html.Div(id="url-notice", className="container", **{"aria-live": "polite"}),
            html.Main(
                id="main", className="container main", tabIndex="-1", children=dash.page_container
            ),
            html.Footer(
                id="site-footer", className="site-footer", children=components.footer_inner(lang)
            ),
        ],
    )


app.layout = serve_layout


def scenario_options(lang: str) -> list[dict[str, str]]:
    opts = []
    for code in model.scenario_codes():
        label = t(f"scenario.{code}", lang)
        if label == f"scenario.{code}":
            label = code
        opts.append({"label": f"{label} ({code})", "value": code})
    return opts


# -- shell callbacks -------------------------------------------------------------------------
@app.callback(
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
    params = urls.parse_search(search if isinstance(search, str) else None)
    lang, lang_ok = normalise_lang(params.get("lang"))
    scenario, scen_ok = model.normalise_scenario(params.get("scenario"))
    section, code = urls.section_of(pathname)
    region = model.region_or_none(code)
    value = region.code if region is not None else no_update
    if code is not None and region is None:
        section = "unknown"  # the not-found page: highlight no menu item
    notices = []
    if not lang_ok:
        notices.append(
            components.notice(
                t("notice.bad_lang", lang, value=validate.clip(params.get("lang", ""))), "warning"
            )
        )
    if not scen_ok:
        notices.append(
            components.notice(
                t(
                    "notice.bad_scenario",
                    lang,
                    value=validate.clip(params.get("scenario", "")),
                    default=scenario,
                ),
                "warning",
            )
        )
    if region is not None and params.get("fra"):
        notices.extend(ux_notices.old_code_notice(params["fra"], region.code, lang))
    nav_code = region.code if region is not None else None
    extra = {k: v for k, v in params.items() if k not in ("scenario", "lang")}
    return (
        components.header_inner(section, nav_code, scenario, lang, extra),
        components.nav_links(section, nav_code, scenario, lang, url_state.keep_params(params)),
        components.footer_inner(lang) if lang != shown_lang else no_update,
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


@app.callback(
    Output("url", "href", allow_duplicate=True),
    Input("region-picker", "value"),
    Input("scenario-select", "value"),
    State("url", "pathname"),
    State("url", "search"),
    prevent_initial_call=True,
)
def navigate(
    code: str | None, scenario: str | None, pathname: str | None, search: str | None
) -> Any:
    """Picker or scenario changed: go to the same section for the new choice."""
    if not code or not isinstance(code, str) or model.region_or_none(code) is None:
        return no_update
    scenario = scenario if isinstance(scenario, str) else None
    pathname = pathname if isinstance(pathname, str) else None
    params = urls.parse_search(search if isinstance(search, str) else None)
    lang, _ = normalise_lang(params.get("lang"))
    cur_scenario, _ = model.normalise_scenario(params.get("scenario"))
    section, cur_code = urls.section_of(pathname)
    scenario = model.normalise_scenario(scenario)[0] if scenario else cur_scenario
    if ctx.triggered_id == "region-picker":
        if section not in urls.KOMMUNE_SECTIONS:
            section = "oversikt"
        if code == cur_code and scenario == cur_scenario:
            return no_update
    else:
        if scenario == cur_scenario or (
            params.get("scenario") is None and scenario == model.DEFAULT_SCENARIO
        ):
            return no_update
        code = cur_code or code
    extra = {k: v for k, v in params.items() if k not in ("scenario", "lang", "fra")}
    if section in urls.GLOBAL_PAGES or section == "home":
        if ctx.triggered_id == "region-picker":
            section = "oversikt"
        else:
            path = urls.GLOBAL_PAGES.get(section, "/")
            return path + urls.query(scenario, lang, extra)
    return urls.href(section, code, scenario, lang, extra)


app.clientside_callback(
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


@app.callback(
    Output("chart-download", "data"),
    Input({"type": "chart-csv", "key": ALL}, "n_clicks"),
    prevent_initial_call=True,
)
def download_chart(clicks: list[int | None]) -> Any:
    """CSV of exactly what a chart shows (standard variant, via projections.export.to_csv)."""
    trig = ctx.triggered_id
    if not trig or not isinstance(clicks, list) or not any(clicks):
        return no_update
    key = trig.get("key") if isinstance(trig, dict) else None
    try:
        return downloads.chart_download(key)
    except downloads.BadKeyError:
        log.warning("refused chart download key %.80r", key)
        return no_update


def _plain(text: str, status: int) -> flask.Response:
    return flask.Response(text, status=status, mimetype="text/plain")


@server.route("/last-ned/<table>.csv")
def download_table(table: str) -> flask.Response:
    """A full tidy table as a plain file download (no base64 through a callback). The
    all-kommuner tables come from a per-scenario file cache (gzip passed straight through)."""
    args = flask.request.args
    scenario, ok = model.normalise_scenario(args.get("scenario"))
    region = args.get("region", "0")
    variant = args.get("variant", "standard")
    if table not in downloads.TABLES or variant not in downloads.VARIANTS:
        return _plain("Fant ikke tabellen (table not found)\n", 404)
    if not ok:
        return _plain("Ukjent scenario (unknown scenario)\n", 404)
    if region != "alle" and not re.fullmatch(r"[0-9]{1,4}", region):
        return _plain("Ugyldig region: bruk et kommune- eller fylkesnummer (invalid region)\n", 400)
    if region != "alle" and model.region_or_none(region) is None:
        return _plain("Fant ikke regionen (region not found)\n", 404)
    lang, _ = normalise_lang(args.get("lang"))
    assumptions, problems = url_state.read_assumptions(args.to_dict(), lang)
    if problems:
        return _plain("\n".join(problems) + "\n", 400)
    changed = assumptions is not None
    name = downloads.filename(table, region, scenario, variant, changed)
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    csv_type = "text/csv; charset=utf-8"
    if region != "alle" or changed or variant != "standard":
        # one region, edited assumptions or the Excel variant (Norwegian headers in the
        # user's language): built per request
        if region != "alle" and not changed and variant == "standard":
            data = downloads.region_csv(table, region, scenario, variant)
        else:
            df = downloads.full_table(
                table, None if region == "alle" else region, scenario, assumptions
            )
            body = downloads.table_csv(df, variant, lang)
            data = body.encode("utf-8") if isinstance(body, str) else body
        return flask.Response(data, headers=headers, content_type=csv_type)
    path = downloads.all_kommuner_file(table, scenario, variant)
    headers["Cache-Control"] = "public, max-age=3600"
    headers["Vary"] = "Accept-Encoding"
    if serving.accepts_gzip(flask.request):
        headers["Content-Encoding"] = "gzip"
        headers["Content-Length"] = str(path.stat().st_size)
        body = downloads.iter_file(path)
    else:
        body = downloads.iter_gunzip(path)
    resp = flask.Response(body, headers=headers, content_type=csv_type)
    resp.direct_passthrough = True
    return resp


# -- HTTP 404 for unknown kommuner and unknown paths -----------------------------------------
_INTERNAL = re.compile(
    r"^/(_dash|_reload|_favicon|favicon\.ico$|assets|_alive|geo/|last-ned/|kommune/[^/]+/rapport\.pdf$)"
)
GEOJSON_PATH = "/geo/kommuner.geojson"


@server.route("/favicon.ico")
def favicon() -> flask.Response:
    """Browsers and crawlers ask for /favicon.ico whatever the page links (was a 404)."""
    return flask.send_from_directory(app.config.assets_folder, "favicon.ico", max_age=86400)


@server.route(GEOJSON_PATH)
def kommune_geojson() -> flask.Response:
    """Kommune boundaries (© Kartverket) as one cacheable file: the map fetches it once
    instead of receiving ~0.5 MB inside every map update."""
    body = model.geojson_text()
    resp = flask.Response(body, mimetype="application/geo+json")
    resp.headers["Cache-Control"] = "public, max-age=86400"
    return resp


@server.before_request
def not_found_status() -> Any:
    """Dash Pages answers 200 for any path; give real 404s for pages that do not exist."""
    req = flask.request
    if req.method != "GET" or _INTERNAL.match(req.path):
        return None
    section, code = urls.section_of(req.path)
    missing = section == "unknown" or (code is not None and model.region_or_none(code) is None)
    if missing and code is not None and model.region_or_none(code) is None:
        from dashboard import old_codes

        target = old_codes.redirect_code(code)
        if target is not None:  # an old number or a name: today's kommune, with a notice
            new_code, old = target
            args = {k: v for k, v in req.args.items() if k != "fra"}
            if old:
                args["fra"] = old
            path = urls.kommune_path(new_code, section if section != "unknown" else "oversikt")
            return flask.redirect(path + "?" + urlencode(args) if args else path, code=302)
    if missing:
        return flask.Response(app.index(), status=404, mimetype="text/html")
    return None


def warm_up() -> None:
    """Precompute what is cheap: Dash's own setup, history array, catalogue, picker options.

    Dash registers the Pages router and copies the page callbacks on a process's first
    request, and sets its "done" flag before the work: with threaded workers, a second
    request arriving meanwhile finds no router callback (KeyError, seen under load). One
    request here, before gunicorn forks, does that setup once for every worker.
    """
    server.test_client().get("/om")
    model.history_array()
    for lang in ("nb", "nn", "en"):
        components.picker_options(lang)


def warm_regions() -> None:
    """The scenario-independent frames of every region (SSB's figures and the decomposition,
    the track record): small, and 20-200 ms each to build on a first visit."""
    from data_sources import catalogue

    for code in [r.code for r in catalogue().regions()]:
        ssb_compare.ssb_series(code)
        ssb_compare.comparison_frame(code)
        uncertainty.track_record_frame(code)


def warm_all(regions: bool = True) -> None:
    """History, picker, the main scenario's pages, then the aggregates of every scenario.

    Called in gunicorn's master before the workers fork (gunicorn.conf.py), so the workers
    share these pages copy-on-write; or in a background thread when run as a script.
    """
    t0 = time.perf_counter()
    warm_up()
    model.key_figures(model.DEFAULT_SCENARIO, "0")
    model.pressure_series(model.DEFAULT_SCENARIO, "0")
    held = scenario_extras.warm_all_scenarios()
    for scenario in model.scenario_codes():  # stated assumptions: one projection each
        ssb_compare.assumptions_frame(scenario, "nb")
    if regions:  # gunicorn's preload: shared by every worker
        warm_regions()
    model.drop_full_projections()
    model.release_memory()  # once, after start-up: not on the request path
    log.info(
        "aggregates of %d scenarios ready (%.0f MB) in %.1f s",
        len(model.scenario_codes()),
        held,
        time.perf_counter() - t0,
    )


def warm_projections() -> None:
    """Warm in the background, so the server answers at once and the first kommune page is
    still fast. A failure here is logged; the pages compute on demand and say what failed."""
    time.sleep(1.0)  # let the server bind and answer its first requests first
    try:
        warm_all(regions=False)  # a single process: regions warm on their first visit
    except Exception:
        log.exception("background warm-up failed")


if os.environ.get("KOMMUNEFRAM_WARM", "1") == "1":
    threading.Thread(target=warm_projections, name="kommunefram-warm", daemon=True).start()

if __name__ == "__main__":
    debug = os.environ.get("KOMMUNEFRAM_DEBUG") == "1"
    from werkzeug.serving import WSGIRequestHandler

    class QuietHandler(WSGIRequestHandler):
        """No "Werkzeug/x Python/y" Server header from the development server."""

        server_version = "Kommunefram"
        sys_version = ""

    app.run(
        host=os.environ.get("KOMMUNEFRAM_HOST", "127.0.0.1"),
        port=int(os.environ.get("KOMMUNEFRAM_PORT", "8050")),
        debug=debug,
        request_handler=QuietHandler,
    )
