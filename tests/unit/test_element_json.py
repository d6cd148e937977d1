"""The hand-built component JSON (dashboard/ui/element_json.py) is exactly what the installed
Dash writes for the same components: a Dash upgrade that changes the format fails here."""

from __future__ import annotations

import json

import plotly.io.json
from dash import dcc, html

from dashboard.ui.element_json import raw_core, raw_element


def _dash_json(component) -> object:
    return json.loads(plotly.io.json.to_json_plotly(component))


def test_html_elements_match_dash():
    cases = [
        (raw_element("Div"), html.Div()),
        (raw_element("Span", "tekst", className="x"), html.Span("tekst", className="x")),
        (
            raw_element(
                "Section", [raw_element("H2", "Tittel", id="t")], **{"aria-labelledby": "t"}
            ),
            html.Section([html.H2("Tittel", id="t")], **{"aria-labelledby": "t"}),
        ),
        (
            raw_element("Li", raw_element("A", "lenke", href="/x")),
            html.Li(html.A("lenke", href="/x")),
        ),
    ]
    for raw, component in cases:
        assert json.loads(json.dumps(raw)) == _dash_json(component)


def test_core_components_match_dash():
    assert raw_core("Link", children="Oslo", href="/kommune/0301") == _dash_json(
        dcc.Link("Oslo", href="/kommune/0301")
    )
    figure = {"data": [], "layout": {"height": 10}}
    raw = raw_core("Graph", id="g", figure=figure, config={"displaylogo": False})
    ours = _dash_json(dcc.Graph(id="g", figure=figure, config={"displaylogo": False}))
    assert json.loads(json.dumps(raw)) == ours
