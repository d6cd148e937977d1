"""The report's web side: the ``/kommune/<nr>/rapport.pdf`` route and the download button.

Kept apart from the PDF drawing so the app does not import ReportLab (~0.3 s) at start-up:
``dashboard.report.report_pdf`` is imported on the first report request.
"""

from __future__ import annotations

import logging
import os
import re

import flask

from dashboard.report import report_pdf
from dashboard.state.routes import REPORT_ROUTE
from dashboard.text.i18n import normalise_lang, t
from dashboard.views.report_data import ReportInputError, ReportRequest

log = logging.getLogger("kommunefram.report")
ROUTE = REPORT_ROUTE


# -- route -----------------------------------------------------------------------------------
def filename(req: ReportRequest) -> str:
    return f"kommunefram_rapport_{req.code}_{req.scenario}_{req.lang}.pdf"


def _plain(message: str, status: int) -> flask.Response:
    # a mimetype without charset: Flask adds "; charset=utf-8" itself (it was there twice)
    return flask.Response(message + "\n", status=status, mimetype="text/plain")


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
