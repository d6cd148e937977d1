"""Dash with what this app needs of the page shell: ``<html lang>`` per request, the
shell's layout JSON serialised once per language, no version strings for scanners, and
callback responses written by orjson (``response_json``).

Each override is of a documented Dash hook (``interpolate_index``, ``serve_layout``,
``_config``); tests/integration/test_app_routes.py checks them against the installed Dash.
"""

from __future__ import annotations

import re
from html import escape as html_escape
from typing import Any
from urllib.parse import urlsplit

import dash
import flask
import plotly.io.json

from dashboard.server import response_json
from dashboard.state import routes
from dashboard.text import normalise_lang

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
        lang = request_lang()
        html_text = html_text.replace("<html>", f'<html lang="{lang}">', 1)
        # Dash Pages puts the full request URL in a meta tag: keep the path only (a crafted
        # query string is not echoed into the page).
        return _URL_META.sub(_url_meta, html_text, count=1)

    def serve_layout(self) -> Any:
        """Dash's ``/_dash-layout``, serialised once per language: the shell depends on the
        language alone (``serve_layout`` below), and every page view asks for it."""
        lang = request_lang()
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


def request_lang() -> str:
    """Language of the page being served: its own query string, or (for Dash's layout request)
    the page it was requested from."""
    if not flask.has_request_context():
        return "nb"
    value = flask.request.args.get("lang")
    if value is None and flask.request.referrer:
        value = routes.parse_search(urlsplit(flask.request.referrer).query).get("lang")
    return normalise_lang(value)[0]
