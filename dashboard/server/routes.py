"""The app's own HTTP routes beside Dash: full tables and chart CSVs as plain downloads, the
kommune boundaries as one cacheable file, and real 404s (and redirects for old kommune
numbers and old parameter names) for the page paths Dash Pages would answer with 200."""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import urlencode

import dash
import flask

from dashboard.data import model, regions
from dashboard.files import downloads, excel_csv
from dashboard.server import serving
from dashboard.state import canonical_params, decode, old_codes, routes
from dashboard.text import t
from dashboard.views import chart_views
from projections import export

log = logging.getLogger("kommunefram")


def _plain(text: str, status: int) -> flask.Response:
    return flask.Response(text, status=status, mimetype="text/plain")


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
    if region != "alle" and regions.region_or_none(region) is None:
        return _plain("Fant ikke regionen (region not found)\n", 404)
    decoded = decode(None, args.to_dict())
    lang, assumptions = decoded.state.lang, decoded.state.assumptions_or_none
    if decoded.problems:
        return _plain("\n".join(decoded.problems) + "\n", 400)
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


def download_chart(name: str) -> flask.Response:
    """A chart's CSV (or CSV for Excel): the chart rebuilt from the view state in the query,
    the same state the page drew it from. A refused value is named (400), never replaced."""
    args = flask.request.args.to_dict()
    variant = args.pop("variant", "standard")
    decoded = decode(None, args)
    state = decoded.state
    if name not in chart_views.CHARTS or variant not in downloads.VARIANTS:
        return _plain(t("serve.chart_unknown", state.lang) + "\n", 404)
    if decoded.problems or (name in chart_views.REGION_CHARTS and state.region is None):
        problems = decoded.problems or (t("serve.chart_region", state.lang),)
        return _plain("\n".join(problems) + "\n", 400)
    try:
        chart = chart_views.chart_table(name, state)
    except (LookupError, ValueError) as exc:  # e.g. a year outside the projection
        log.info("chart %s refused: %s", name, exc)
        return _plain(t("serve.chart_region", state.lang) + "\n", 400)
    frame = chart.frame
    if variant == "excel_no":
        frame = excel_csv.plain_chart(frame, state.lang, chart.headers, chart.decimals)
    suffix = "_excel" if variant == "excel_no" else ""
    headers = {"Content-Disposition": f'attachment; filename="{chart.stem(state)}{suffix}.csv"'}
    return flask.Response(
        export.to_csv_bytes(frame, variant), headers=headers, content_type="text/csv; charset=utf-8"
    )


# -- HTTP 404 for unknown kommuner and unknown paths -----------------------------------------
_INTERNAL = re.compile(
    r"^/(_dash|_reload|_favicon|favicon\.ico$|assets|_alive|geo/|last-ned/|kommune/[^/]+/rapport\.pdf$)"
)
GEOJSON_PATH = "/geo/kommuner.geojson"


def kommune_geojson() -> flask.Response:
    """Kommune boundaries (© Kartverket) as one cacheable file: the map fetches it once
    instead of receiving ~0.5 MB inside every map update."""
    body = regions.geojson_text()
    resp = flask.Response(body, mimetype="application/geo+json")
    resp.headers["Cache-Control"] = "public, max-age=86400"
    return resp


def not_found_status() -> Any:
    """Dash Pages answers 200 for any path; give real 404s for pages that do not exist."""
    req = flask.request
    if req.method != "GET" or _INTERNAL.match(req.path):
        return None
    canonical, renamed = canonical_params(req.args.to_dict())
    if renamed:  # an old parameter name (a long assumption name): the canonical URL
        return flask.redirect(req.path + "?" + urlencode(canonical, safe=","), code=301)
    section, code = routes.section_of(req.path)
    missing = section == "unknown" or (code is not None and regions.region_or_none(code) is None)
    if missing and code is not None and regions.region_or_none(code) is None:
        target = old_codes.redirect_code(code)
        if target is not None:  # an old number or a name: today's kommune, with a notice
            new_code, old = target
            args = {k: v for k, v in req.args.items() if k != "fra"}
            if old:
                args["fra"] = old
            path = routes.kommune_path(new_code, section if section != "unknown" else "oversikt")
            return flask.redirect(path + "?" + urlencode(args) if args else path, code=302)
    if missing:
        return flask.Response(dash.get_app().index(), status=404, mimetype="text/html")
    return None


def favicon() -> flask.Response:
    """Browsers and crawlers ask for /favicon.ico whatever the page links (was a 404)."""
    return flask.send_from_directory(
        dash.get_app().config.assets_folder, "favicon.ico", max_age=86400
    )


def register(server: flask.Flask) -> None:
    """Add the routes and the 404 hook to the Dash app's Flask server (once, from app.py)."""
    server.add_url_rule("/last-ned/<table>.csv", "download_table", download_table)
    server.add_url_rule(chart_views.ROUTE, "download_chart", download_chart)
    server.add_url_rule(GEOJSON_PATH, "kommune_geojson", kommune_geojson)
    server.add_url_rule("/favicon.ico", "favicon", favicon)
    server.before_request(not_found_status)
