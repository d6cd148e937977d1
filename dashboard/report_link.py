"""The report's web side: the ``/kommune/<nr>/rapport.pdf`` route and the download button.

Kept apart from the PDF drawing so the app does not import ReportLab (~0.3 s) at start-up:
``dashboard.report_pdf`` is imported on the first report request.
"""

from __future__ import annotations

import logging
import math
import os
import re
from typing import Any
from urllib.parse import urlencode

import flask
from dash import ALL, Input, Output, State, callback, html, no_update

from dashboard import model, urls
from dashboard.i18n import LANGS, normalise_lang, t
from dashboard.report_data import ASSUMPTION_PARAMS, ReportInputError, ReportRequest

log = logging.getLogger("kommunefram.report")
ROUTE = "/kommune/<code>/rapport.pdf"
LINK_ID = "report-link"


# -- route -----------------------------------------------------------------------------------
def filename(req: ReportRequest) -> str:
    return f"kommunefram_rapport_{req.code}_{req.scenario}_{req.lang}.pdf"


def _plain(message: str, status: int) -> flask.Response:
    return flask.Response(message + "\n", status=status, mimetype="text/plain; charset=utf-8")


BASE_URL_ENV = "KOMMUNEFRAM_BASE_URL"
_HOST_URL = re.compile(r"^https?://[A-Za-z0-9.\-]+(:[0-9]{1,5})?$")
_CONFIGURED_URL = re.compile(r"^https?://[A-Za-z0-9.\-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~\-/]*)?$")


def site_url() -> str:
    """ "https://host" for the report's page link (a link on paper must be absolute): the
    configured public address (``KOMMUNEFRAM_BASE_URL``, e.g. behind a proxy), else the one this
    request came to; "" (a path only) if neither is a plain address."""
    configured = os.environ.get(BASE_URL_ENV, "").strip().rstrip("/")
    if configured:
        return configured if _CONFIGURED_URL.match(configured) else ""
    url = flask.request.host_url.rstrip("/")
    return url if _HOST_URL.match(url) else ""


def serve_report(code: str) -> flask.Response:
    """Flask view: one clear line with 400/404 for bad input, the PDF otherwise."""
    from dashboard import report_pdf

    args = dict(flask.request.args.items())
    try:
        body, req = report_pdf.report_pdf(code, args, base_url=site_url())
    except ReportInputError as exc:
        return _plain(exc.message, exc.status)
    except Exception:
        log.exception("report failed for %s", code)
        lang, _ = normalise_lang(args.get("lang"))
        return _plain(t("report.err.failed", lang), 503)
    resp = flask.Response(body, mimetype="application/pdf")
    resp.headers["Content-Disposition"] = f'attachment; filename="{filename(req)}"'
    resp.headers["Cache-Control"] = "no-store"
    return resp


def register(server: flask.Flask) -> None:
    """Add the report route to the Dash app's Flask server (called once from app.py)."""
    server.add_url_rule(ROUTE, "kommune_report_pdf", serve_report, methods=["GET"])


# -- button ----------------------------------------------------------------------------------
def report_href(
    code: str, scenario: str, lang: str, assumptions: dict[str, float] | None = None
) -> str:
    """Link to the report; ``assumptions`` are field -> percent (only changed ones needed)."""
    params = {"scenario": scenario, "lang": lang if lang in LANGS else "nb"}
    params.update({f: f"{v:g}" for f, v in (assumptions or {}).items()})
    return f"/kommune/{code}/rapport.pdf?" + urlencode(params)


def button(code: str, scenario: str, lang: str) -> html.A:
    """ "Last ned rapport (PDF)": a plain link (the server answers with a file download)."""
    return html.A(
        t("report.button", lang),
        id=LINK_ID,
        href=report_href(code, scenario, lang),
        className="btn btn-secondary report-button",
        title=t("report.button.title", lang),
        rel="nofollow",
    )


def _changed_percent(ids: list[dict[str, str]], values: list[Any]) -> dict[str, float]:
    """Form values (percent) that differ from today's level; unreadable ones are left out
    (the form shows its own message for those)."""
    if not model.needs_available():
        return {}
    default = model.default_assumptions()
    out = {}
    for id_, v in zip(ids, values, strict=False):
        f = id_.get("field")
        if f not in ASSUMPTION_PARAMS:
            continue
        try:
            pct = float(str(v).replace(",", "."))
        except (TypeError, ValueError):
            continue
        if math.isfinite(pct) and not math.isclose(pct / 100.0, getattr(default, f)):
            out[f] = pct
    return out


@callback(
    Output(LINK_ID, "href"),
    Input("url", "search"),
    Input({"type": "asm", "field": ALL}, "value"),
    State({"type": "asm", "field": ALL}, "id"),
    State("url", "pathname"),
)
def update_href(
    search: str | None, values: list[Any], ids: list[dict[str, str]], pathname: str | None
) -> Any:
    """Keep the link in step with the page: scenario, language and edited assumptions
    (assumption parameters already in the page's URL travel along too)."""
    _, code = urls.section_of(pathname)
    region = model.region_or_none(code)
    if region is None:
        return no_update
    params = urls.parse_search(search)
    lang, _ = normalise_lang(params.get("lang"))
    scenario, _ = model.normalise_scenario(params.get("scenario"))
    from_url = {f: params[f] for f in ASSUMPTION_PARAMS if params.get(f)}
    edited = {f: f"{v:g}" for f, v in _changed_percent(ids or [], values or []).items()}
    chosen: dict[str, str] = {**from_url, **edited}
    params_out = {"scenario": scenario, "lang": lang, **chosen}
    return f"/kommune/{region.code}/rapport.pdf?" + urlencode(params_out)
