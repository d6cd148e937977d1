"""Callback responses serialised with orjson: the same JSON values as Dash's writer, faster.

Dash hands every callback response to plotly.io's JSON writer. With the stdlib engine the
values are encoded in C but each Dash component goes through a Python ``default`` hook, and
when the text contains "NaN" anywhere (a missing value in a figure, a word in a label) the
whole response is parsed and written a second time to turn NaN into null. orjson writes NaN
as null itself and encodes everything but the components in Rust: 35-45 % less time per page
response (benchmarks/profile_requests.py). Anything orjson cannot take (an integer past 64
bits, an unknown type) goes through plotly's writer as before, so the values never differ.
"""

from __future__ import annotations

from typing import Any

import orjson
from plotly.io.json import to_json_plotly

# The escapes plotly.io applies to its orjson output: the JSON can be embedded in HTML
# (no "</script>") and in JavaScript source (no raw line or paragraph separators).
HTML_SAFE = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("/", "\\u002f"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)
OPTIONS = orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS


class _Unsupported(TypeError):
    """A value orjson's hook does not know: the response goes through plotly's writer."""


def _default(obj: Any) -> Any:
    # Dash components and plotly figures know their JSON form; numpy scalars and arrays
    # orjson cannot take natively (object dtype, non-contiguous) become Python values.
    to_plotly_json = getattr(obj, "to_plotly_json", None)
    if to_plotly_json is not None:
        return to_plotly_json()
    tolist = getattr(obj, "tolist", None)
    if tolist is not None:
        return tolist()
    raise _Unsupported(type(obj).__name__)


def to_json(value: Any) -> str:
    """Dash's ``to_json`` for callback responses: compact, NaN as null, HTML-safe."""
    try:
        text = orjson.dumps(value, default=_default, option=OPTIONS).decode("utf-8")
    except TypeError:  # orjson.JSONEncodeError is one: plotly's writer knows more types
        return to_json_plotly(value, engine="json")
    for unsafe, safe in HTML_SAFE:
        if unsafe in text:
            text = text.replace(unsafe, safe)
    return text


def install() -> None:
    """Serialise Dash's callback responses with ``to_json`` (Dash imports the writer into
    its callback module by name; a Dash without that name keeps its own)."""
    from dash import _callback

    if hasattr(_callback, "to_json"):
        _callback.to_json = to_json
