"""Markup as the JSON Dash sends for a component, without building the Component.

Hand-built, so it must match what the installed Dash writes: tests/test_element_json.py checks
it against ``to_plotly_json`` of real components. Only for markup the server does not read back
(the key cards, chart furniture, the shell's links): Python code cannot walk into it as
Components, and property names are not checked.
"""

from __future__ import annotations

from typing import Any


def raw_element(tag: str, children: Any = None, **props: Any) -> dict[str, Any]:
    """An ``html.<tag>`` element as the JSON Dash sends for it, without building a Component.

    Building a Component and its ``to_plotly_json`` cost ~25 us per element on the request
    path; the key cards alone are ~170 elements on every Oversikt render (a fifth of the load
    test's CPU went into Dash components). Same JSON, so the browser sees the same markup.
    Only for markup the server does not read back: Python code cannot walk into it as
    Components (interactive controls stay Components), and property names are not checked.
    """
    # like a Component: "children" is always sent (null when empty)
    return {
        "props": {"children": children, **props},
        "type": tag,
        "namespace": "dash_html_components",
    }


def raw_core(tag: str, **props: Any) -> dict[str, Any]:
    """A ``dcc.<tag>`` (Graph, Markdown, Link) as its JSON, like ``raw_element``."""
    return {"props": props, "type": tag, "namespace": "dash_core_components"}
