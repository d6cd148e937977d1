"""Callback responses through orjson carry the same JSON values as plotly's writer."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
from dash import dcc, html
from plotly.io.json import to_json_plotly

from dashboard.server import response_json


def _response() -> dict:
    figure = {
        "data": [
            {
                "type": "scatter",
                "x": np.arange(2026, 2031),
                "y": np.array([1.5, math.nan, 3.25, np.inf, -0.0]),
                "customdata": np.array([["a", 1], ["b", 2]], dtype=object),
                "name": "80 år og eldre",
            }
        ],
        "layout": {"title": {"text": "Tromsø – Romsa\u2028"}, "meta": np.float64(2.5)},
    }
    page = html.Div(
        [
            html.H2("Økning </script><b>", id="t", **{"aria-label": "x", "data-k": "1"}),
            dcc.Graph(id="g", figure=figure, config={"locale": "nb"}),
            dcc.Markdown("<table><tr><td>1 234</td></tr></table>", dangerously_allow_html=True),
            {"props": {"children": "rå"}, "type": "P", "namespace": "dash_html_components"},
        ],
        className="page",
    )
    return {
        "multi": True,
        "response": {
            "_pages_content": {"children": page},
            "store": {"data": {"year": np.int64(2040), "share": np.float32(0.25), 7: None}},
        },
    }


def test_same_json_values_as_plotlys_writer():
    value = _response()
    ours, theirs = response_json.to_json(value), to_json_plotly(value, engine="json")
    assert json.loads(ours) == json.loads(theirs)
    assert "NaN" not in ours and "Infinity" not in ours  # strict JSON: null


def test_html_safe_like_plotly():
    text = response_json.to_json(_response())
    for raw in ("<", ">", "/", "\u2028", "\u2029"):
        assert raw not in text
    assert "\\u003c\\u002fscript\\u003e" in text
    assert "Økning" in text  # UTF-8, not escaped: smaller and the same value


def test_types_orjson_cannot_take_go_through_plotly():
    value = {"big": 2**70, "when": pd.Timestamp("2026-01-01"), "df": pd.Series([1.0, 2.0])}
    assert json.loads(response_json.to_json(value)) == json.loads(
        to_json_plotly(value, engine="json")
    )


def test_installed_for_dash_callbacks():
    from dash import _callback

    import app  # noqa: F401  (installs the writer)

    assert _callback.to_json is response_json.to_json
