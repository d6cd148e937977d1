"""Kommunefram dashboard: a multi-page Dash app (Dash Pages), assembled from its layers.

``python app.py`` runs Flask's development server on http://127.0.0.1:8050 (no browser
opens; it warms the caches in a background thread); production runs ``gunicorn app:server``
(gunicorn.conf.py warms them in the master before forking). Debug mode is off unless
``KOMMUNEFRAM_DEBUG=1``: tracebacks must never reach the browser. docs/architecture.md says
where a change goes.
"""

from __future__ import annotations

import os
import sys
import threading

if __name__ == "__main__" and "IPython" not in sys.modules:
    # Served as a script: skip Dash's optional Jupyter integration, whose IPython import
    # costs ~0.3 s of cold start. (In a notebook IPython is already loaded: untouched.)
    sys.modules["IPython"] = None  # type: ignore[assignment]

from dashboard.data import warmup
from dashboard.report import report_link
from dashboard.server import routes, serving
from dashboard.server.dash_app import KommuneframDash
from dashboard.ui import shell_callbacks, view_url
from dashboard.ui.shell_layout import shell_layout

HERE = os.path.dirname(os.path.abspath(__file__))

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
app.layout = shell_layout
server = app.server
serving.install(server)  # request limits, security headers, compression
report_link.register(server)  # /kommune/<nr>/rapport.pdf
routes.register(server)  # downloads, boundaries, 404s and redirects
CALLBACK_MODULES = (shell_callbacks, view_url)  # registered with Dash when imported


def warm_all(regions: bool = True) -> None:
    """Warm every cache of this process (gunicorn.conf.py calls it in the master)."""
    warmup.warm_all(server, regions)


if __name__ == "__main__":
    if os.environ.get("KOMMUNEFRAM_WARM", "1") == "1":  # never at import: tests import app
        threading.Thread(
            target=warmup.warm_projections, args=(server,), name="kommunefram-warm", daemon=True
        ).start()
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
