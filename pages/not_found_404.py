"""Unknown path: friendly page with suggestions (HTTP 404 is set in app.py)."""

from __future__ import annotations

from typing import Any

import dash

from dashboard import ui, views
from dashboard.text import normalise_lang

dash.register_page(
    __name__, path="/404", name="Fant ikke siden", title="Fant ikke siden – Kommunefram"
)


def layout(scenario: str | None = None, lang: str | None = None, **_: Any) -> Any:
    lang, _ok = normalise_lang(lang)
    scen, _ok2 = views.normalise_scenario(scenario)
    return ui.not_found(None, scen, lang)
