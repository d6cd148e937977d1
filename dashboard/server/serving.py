"""Production serving for the Dash app: request limits, security headers, compression, caching.

Why a module of its own: these are properties of the HTTP server, not of any page. ``install``
is called once by app.py; each piece can be read and tested on its own.

* Limits: request bodies (``MAX_CONTENT_LENGTH``), query strings and paths are capped; a
  malformed callback body answers 400 with a short message, never a 500 or a traceback.
* Headers: a Content-Security-Policy whose script hashes are taken from the page itself (Dash
  inlines its clientside callbacks and the renderer start), X-Content-Type-Options,
  frame-ancestors and X-Frame-Options, Referrer-Policy, Permissions-Policy.
* No version strings in the page config, no dev endpoints outside debug mode.
* Compression: gzip for text responses; fingerprinted static files (Dash's component suites,
  ``/assets/...?m=``) are compressed once at the highest level, kept in a bounded in-memory
  cache and sent with a one-year immutable Cache-Control.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import logging
import os
import re
import threading
from collections import OrderedDict
from typing import Any

import flask
from werkzeug.exceptions import HTTPException

log = logging.getLogger("kommunefram")

MAX_BODY_BYTES = 64 * 1024  # the largest real callback body is a few kB (see tests)
MAX_QUERY_BYTES = 2048
MAX_PATH_BYTES = 512
DISPATCH_PATH = "/_dash-update-component"
LAYOUT_PATH = "/_dash-layout"
DEV_ENDPOINTS = ("/_reload-hash",)
STATIC_CACHE_BYTES = 24 * 1024 * 1024  # compressed fingerprinted files (plotly.min.js ~1.4 MB)
MIN_COMPRESS_BYTES = 1024
DYNAMIC_GZIP_LEVEL = 5  # callbacks and pages: fast, most of the gain
STATIC_GZIP_LEVEL = 9  # paid once per file and worker
COMPRESSIBLE = (
    "text/",
    "application/javascript",
    "application/json",
    "application/geo+json",
    "image/svg+xml",
    "image/x-icon",
    "image/vnd.microsoft.icon",
)
ONE_YEAR = 31536000
_SCRIPT = re.compile(rb"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.DOTALL)
BAD_REQUEST = "Ugyldig forespørsel (bad request)\n"

CSP_BASE: dict[str, str] = {
    "default-src": "'self'",
    # Plotly and React set inline styles (style attributes and <style> rules for the charts).
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data: blob:",
    "font-src": "'self' data:",
    "connect-src": "'self'",
    "worker-src": "'self' blob:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
HEADERS: dict[str, str] = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


# -- content security policy -----------------------------------------------------------------
_hash_cache: dict[bytes, str] = {}


def inline_script_hashes(html: bytes) -> list[str]:
    """CSP source expressions ('sha256-…') of the executable inline scripts of a page."""
    out = []
    for m in _SCRIPT.finditer(html):
        attrs, body = m.group("attrs"), m.group("body")
        if b"src=" in attrs or not body.strip() or b"application/json" in attrs:
            continue
        h = _hash_cache.get(body)
        if h is None:
            digest = base64.b64encode(hashlib.sha256(body).digest()).decode("ascii")
            h = f"'sha256-{digest}'"
            if len(_hash_cache) < 256:
                _hash_cache[body] = h
        out.append(h)
    return out


def content_security_policy(script_hashes: list[str]) -> str:
    """No 'unsafe-inline' and no 'unsafe-eval' for scripts: every page and chart runs without
    them (tests/browser/test_serving.py). The map (MapLibre) starts a worker from a blob."""
    script = " ".join(["'self'", *dict.fromkeys(script_hashes)])
    parts = {"script-src": script, **CSP_BASE}
    return "; ".join(f"{k} {v}" for k, v in parts.items())


# -- compression -----------------------------------------------------------------------------
class StaticCache:
    """Bounded LRU of compressed bodies of fingerprinted files (keyed by full path)."""

    def __init__(self, limit: int = STATIC_CACHE_BYTES) -> None:
        self.limit = limit
        self.size = 0
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            data = self._items.get(key)
            if data is not None:
                self._items.move_to_end(key)
            return data

    def put(self, key: str, data: bytes) -> None:
        if len(data) > self.limit:
            return
        with self._lock:
            if key in self._items:
                return
            self._items[key] = data
            self.size += len(data)
            while self.size > self.limit:
                _, old = self._items.popitem(last=False)
                self.size -= len(old)


STATIC = StaticCache()


def is_fingerprinted(req: flask.Request) -> bool:
    """Dash's component suites carry a version fingerprint in the name; assets carry ?m=."""
    if req.path.startswith("/_dash-component-suites/"):
        return bool(re.search(r"\.v[\w-]+m\d+\.", req.path))
    return req.path.startswith(("/assets/", "/_favicon.ico")) and (
        "m" in req.args or "v" in req.args
    )


def accepts_gzip(req: flask.Request) -> bool:
    return "gzip" in req.headers.get("Accept-Encoding", "").lower()


def compress_response(resp: flask.Response) -> flask.Response:
    req = flask.request
    if resp.direct_passthrough and resp.status_code == 200 and is_fingerprinted(req):
        resp.direct_passthrough = False  # an asset file (Flask streams it): read it to gzip it
        resp.set_data(resp.get_data())
    if (
        resp.direct_passthrough
        or resp.is_streamed
        or resp.status_code != 200
        or "Content-Encoding" in resp.headers
        or not (resp.mimetype or "").startswith(COMPRESSIBLE)
    ):
        return resp
    resp.vary.add("Accept-Encoding")
    if not accepts_gzip(req):
        return resp
    static = is_fingerprinted(req)
    key = req.full_path
    body = STATIC.get(key) if static else None
    if body is None:
        data = resp.get_data()
        if len(data) < MIN_COMPRESS_BYTES:
            return resp
        if req.path == LAYOUT_PATH:
            # the shell's JSON, one per language (app.serve_layout): compressed once each,
            # found again by its content (every page view asks for it; gzip was half its cost)
            static, key = True, "layout:" + hashlib.blake2b(data, digest_size=16).hexdigest()
            body = STATIC.get(key)
    if body is None:
        level = STATIC_GZIP_LEVEL if static else DYNAMIC_GZIP_LEVEL
        body = gzip.compress(data, compresslevel=level, mtime=0)
        if static:
            STATIC.put(key, body)
    resp.set_data(body)
    resp.headers["Content-Encoding"] = "gzip"
    resp.headers["Content-Length"] = str(len(body))
    if resp.headers.get("ETag"):
        resp.headers["ETag"] = resp.headers["ETag"].rstrip('"') + '-gz"'
    return resp


# -- hooks -----------------------------------------------------------------------------------
def limit_request() -> flask.Response | None:
    """Refuse oversized paths and queries, dev endpoints in production, non-JSON callbacks."""
    req = flask.request
    etag = req.environ.get("HTTP_IF_NONE_MATCH", "")
    if etag.endswith('-gz"'):  # our compressed variant's ETag: Dash compares the plain one
        req.environ["HTTP_IF_NONE_MATCH"] = etag[: -len('-gz"')] + '"'
    if len(req.path.encode("utf-8")) > MAX_PATH_BYTES or len(req.query_string) > MAX_QUERY_BYTES:
        return flask.Response("For lang adresse (URI too long)\n", 414, mimetype="text/plain")
    if req.path in DEV_ENDPOINTS and not flask.current_app.debug:
        return flask.Response("Fant ikke siden (not found)\n", 404, mimetype="text/plain")
    if req.path == DISPATCH_PATH and req.method == "POST":
        if (req.content_length or 0) > MAX_BODY_BYTES:
            return flask.Response(
                "For stor forespørsel (request too large)\n", 413, mimetype="text/plain"
            )
        body = req.get_json(silent=True)
        if not valid_callback_body(body):
            return flask.Response(BAD_REQUEST, 400, mimetype="text/plain")
    return None


def valid_callback_body(body: Any) -> bool:
    """The shape Dash's renderer sends: output str, outputs, inputs list, optional state list."""
    if not isinstance(body, dict) or not isinstance(body.get("output"), str):
        return False
    if not isinstance(body.get("inputs"), list) or not isinstance(body.get("state", []), list):
        return False
    if not isinstance(body.get("outputs"), dict | list):
        return False
    items = [*body["inputs"], *body.get("state", [])]
    return all(isinstance(i, dict | list) for i in items)


def add_headers(resp: flask.Response) -> flask.Response:
    for name, value in HEADERS.items():
        resp.headers.setdefault(name, value)
    if resp.mimetype == "text/html":
        resp.headers["Content-Security-Policy"] = content_security_policy(
            inline_script_hashes(resp.get_data())
        )
        resp.headers.setdefault("Cache-Control", "no-cache")
    elif flask.request.method == "GET" and resp.status_code in (200, 304):
        if is_fingerprinted(flask.request):
            resp.headers["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
        elif flask.request.path.startswith("/_dash-component-suites/"):
            # Dash's async chunks (plotly.min.js among them) carry no fingerprint: the
            # browser keeps them and revalidates with the ETag (a 304, no new download).
            resp.headers["Cache-Control"] = "no-cache"
    resp.headers.pop("Server", None)
    return resp


def guard_dispatch(server: flask.Flask) -> None:
    """A callback that fails on crafted input answers 400 with a short message (and a log
    line with the traceback), never a 500 with a traceback."""
    endpoint = next(r.endpoint for r in server.url_map.iter_rules() if r.rule == DISPATCH_PATH)
    view = server.view_functions[endpoint]

    def dispatch(*args: Any, **kwargs: Any) -> Any:
        try:
            return view(*args, **kwargs)
        except HTTPException:
            raise
        except Exception as exc:
            if type(exc).__name__ == "PreventUpdate":
                raise
            log.exception("callback failed for %.200s", flask.request.get_json(silent=True))
            return flask.Response(BAD_REQUEST, 400, mimetype="text/plain")

    server.view_functions[endpoint] = dispatch


def install(server: flask.Flask, compress: bool | None = None) -> None:
    """Attach limits, headers and compression to the app's Flask server (once)."""
    server.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    server.config["MAX_FORM_MEMORY_SIZE"] = MAX_BODY_BYTES
    server.before_request(limit_request)
    if compress is None:
        compress = os.environ.get("KOMMUNEFRAM_COMPRESS", "1") == "1"
    # after_request hooks run in reverse order: headers (CSP from the plain HTML) first.
    if compress:
        server.after_request(compress_response)
    server.after_request(add_headers)
    guard_dispatch(server)
