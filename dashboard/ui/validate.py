"""Checks for the values callbacks receive: whatever arrives in a request is untrusted.

The browser sends what the page put there, but a request can be crafted (``"abc"`` for a
year, ``[]`` for a dropdown, ``None`` for a store). Every callback passes its inputs through
these helpers and answers a clear message (or no update) instead of failing with a 500.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from typing import Any

from dash import html

from dashboard import views
from dashboard.state import ViewState, decode, encode
from dashboard.text.i18n import normalise_lang, t
from dashboard.ui import components

MAX_TEXT = 64  # no legitimate callback value is longer


def page_data(data: Any, need_code: bool = True) -> dict[str, str] | None:
    """A page's own dcc.Store data (code, scenario, lang) if it is what the page wrote."""
    if not isinstance(data, dict):
        return None
    scenario, ok = views.normalise_scenario(data.get("scenario"))
    lang_value = data.get("lang")
    lang, lang_ok = normalise_lang(lang_value if isinstance(lang_value, str) else "x")
    if not ok or not lang_ok:
        return None
    out = {"scenario": scenario, "lang": lang}
    if need_code:
        region = views.region_or_none(data.get("code"))
        if region is None:
            return None
        out["code"] = region.code
    return out


def page_state(data: Any, need_code: bool = True) -> ViewState | None:
    """The view state a page stored (``state_data``), or None if it is not what a page
    wrote: a crafted store gets "no update" or a notice, never a different view."""
    ok = page_data(data, need_code)
    if ok is None or len(data) > 40:
        return None
    decoded = decode(ok.get("code"), {str(k): str(v) for k, v in data.items() if k != "code"})
    return None if decoded.problems else decoded.state


def state_data(state: ViewState) -> dict[str, str]:
    """What a page stores for its callbacks: the region and the canonical query."""
    return {"code": state.region or "", **encode(state)}


def lang_of(data: Any) -> str:
    """The language of a page's store data, bokmål when it is missing or odd."""
    value = data.get("lang") if isinstance(data, dict) else None
    return normalise_lang(value if isinstance(value, str) else None)[0]


def choice(value: Any, options: Collection[str]) -> str | None:
    """``value`` if it is one of ``options`` (text only), else None."""
    return value if isinstance(value, str) and value in options else None


def int_in(value: Any, lo: int, hi: int) -> int | None:
    """An integer from lo to hi (an int, a whole float or digits), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip()
        if not value.isdigit() or len(value) > 6:
            return None
        value = int(value)
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and lo <= value <= hi:
        return value
    return None


def str_list(value: Any, options: Collection[str], max_n: int) -> list[str] | None:
    """A list of distinct known strings of at most ``max_n`` items (None when malformed)."""
    if value is None:
        return []
    if not isinstance(value, list) or len(value) > max_n:
        return None
    if not all(isinstance(v, str) and v in options for v in value):
        return None
    return list(dict.fromkeys(value))


def bad_input(lang: str) -> html.Div:
    """The notice for a value no control on the page can produce."""
    return components.notice(t("serve.bad_input", lang), "warning", role="alert")
