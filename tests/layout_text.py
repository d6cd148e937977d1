"""Reading a rendered page layout in tests: its elements and its text.

Pages mix Dash components and element JSON (``dashboard.ui.element_json``); both are walked
here as the JSON Dash sends to the browser.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any


def _json(o: Any) -> Any:
    return o.to_plotly_json() if hasattr(o, "to_plotly_json") else str(o)


def text(layout: Any) -> str:
    """The layout as the JSON the browser gets: every text the person sees is in it."""
    return json.dumps(layout, default=_json, ensure_ascii=False)


def nodes(tree: Any) -> Iterator[dict[str, Any]]:
    """Every element of a layout, as its JSON (``{"type", "namespace", "props"}``)."""
    if hasattr(tree, "to_plotly_json"):
        tree = tree.to_plotly_json()
    if isinstance(tree, dict):
        if "props" in tree:
            yield tree
            yield from nodes(tree["props"].get("children"))
        else:
            for v in tree.values():
                yield from nodes(v)
    elif isinstance(tree, list | tuple):
        for v in tree:
            yield from nodes(v)
