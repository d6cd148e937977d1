"""Compare and Kart say how sure we are: 80 % intervals beside the projected numbers."""

from __future__ import annotations

import json

import app  # noqa: F401  (registers the pages)
from dashboard import model, uncertainty
from dashboard.formatting import fmt_number
from pages import sammenlign


def _rows(layout) -> dict[str, list[str]]:
    """Region name -> the texts of its row in the compare table."""
    table = json.loads(json.dumps(layout.to_plotly_json(), default=lambda o: o.to_plotly_json()))
    rows: dict[str, list[str]] = {}

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") == "Tr":
                cells = node["props"]["children"]
                texts = [c["props"].get("children") for c in cells]
                rows[str(texts[0])] = [str(x) for x in texts[1:]]
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(table)
    return rows


def test_compare_table_has_the_80_percent_interval_for_2040():
    layout = sammenlign.layout(k="0301,1151", lang="nb")
    rows = _rows(layout)
    widths = {}
    for code in ("0301", "1151"):
        row = rows[model.region_name(code, "nb")]
        frame = uncertainty.interval_frame(code, "MMMM", "total").set_index("year")
        lo = uncertainty.round_sig(float(frame.at[2040, "lower_80"]))
        hi = uncertainty.round_sig(float(frame.at[2040, "upper_80"]))
        assert row[2] == f"{fmt_number(lo, 'nb')}–{fmt_number(hi, 'nb')}"
        total = next(k for k in model.key_figures("MMMM", code) if k.key == "total")
        assert lo < total.values[2040] < hi  # the interval holds the projected figure
        widths[code] = (hi - lo) / total.values[2040]
    assert widths["1151"] > 2 * widths["0301"]  # Utsira far less certain than Oslo
    assert "80 %-intervallet" in str(layout)


def test_map_table_carries_the_interval_for_growth_and_population():
    from dashboard import chartdata

    for indicator in ("growth", "growth_80p", "population"):
        df = chartdata.map_table("MMMM", 2040, indicator)
        assert len(df) == 357
        ok = (df["lower_80"] <= df["value"]) & (df["value"] <= df["upper_80"])
        assert ok.all(), df[~ok].head()
        width = (df["upper_80"] - df["lower_80"]).set_axis(df["kommune"])
        if indicator == "growth":  # percentage points: a tiny kommune is far less certain
            assert width["1151"] > 2 * width["0301"]
    oslo = chartdata.map_table("MMMM", 2040, "population").set_index("kommune").loc["0301"]
    frame = uncertainty.interval_frame("0301", "MMMM", "total").set_index("year")
    assert oslo["lower_80"] == frame.at[2040, "lower_80"]
    assert "lower_80" not in chartdata.map_table("MMMM", 2040, "share_80p")  # a ratio: none
