"""Compare and Kart say how sure we are: 80 % intervals beside the projected numbers."""

from __future__ import annotations

import io
import json

import app  # registers the pages
from dashboard.data import model, regions
from dashboard.text.formatting import fmt_number
from dashboard.views import intervals
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
        row = rows[regions.region_name(code, "nb")]
        frame = intervals.interval_frame(code, "MMMM", "total").set_index("year")
        lo = intervals.round_sig(float(frame.at[2040, "lower_80"]))
        hi = intervals.round_sig(float(frame.at[2040, "upper_80"]))
        assert row[2] == f"{fmt_number(lo, 'nb')}–{fmt_number(hi, 'nb')}"
        total = next(k for k in model.key_figures("MMMM", code) if k.key == "total")
        assert lo < total.values[2040] < hi  # the interval holds the projected figure
        widths[code] = (hi - lo) / total.values[2040]
    assert widths["1151"] > 2 * widths["0301"]  # Utsira far less certain than Oslo
    assert "80 %-intervallet" in str(layout)


def test_map_table_carries_the_interval_for_growth_and_population():
    from dashboard.views import chartdata

    for indicator in ("growth", "growth_80p", "population"):
        df = chartdata.map_table("MMMM", 2040, indicator)
        assert len(df) == 357
        ok = (df["lower_80"] <= df["value"]) & (df["value"] <= df["upper_80"])
        assert ok.all(), df[~ok].head()
        width = (df["upper_80"] - df["lower_80"]).set_axis(df["kommune"])
        if indicator == "growth":  # percentage points: a tiny kommune is far less certain
            assert width["1151"] > 2 * width["0301"]
    oslo = chartdata.map_table("MMMM", 2040, "population").set_index("kommune").loc["0301"]
    frame = intervals.interval_frame("0301", "MMMM", "total").set_index("year")
    assert oslo["lower_80"] == frame.at[2040, "lower_80"]
    assert "lower_80" not in chartdata.map_table("MMMM", 2040, "share_80p")  # a ratio: none


def test_intervals_table_download_equals_the_cli(tmp_path, monkeypatch):
    import subprocess
    import sys
    from pathlib import Path

    import pandas as pd

    from dashboard.files import downloads
    from projections.export import to_csv
    from projections.intervals import project_intervals

    CLI = [sys.executable, "-m", "projections", "intervals"]
    monkeypatch.setenv(downloads.CACHE_ENV, str(tmp_path))
    client = app.server.test_client()
    one = client.get("/last-ned/intervals.csv?region=1804&scenario=LLML&variant=standard")
    assert one.status_code == 200 and one.mimetype == "text/csv"
    cli = subprocess.run(
        [*CLI, "--kommune", "1804", "--scenario", "LLML", "--level", "80", "--level", "95"],
        capture_output=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    ).stdout
    assert one.data == cli
    df = pd.read_csv(io.BytesIO(one.data))
    assert set(df["level"]) == {80, 95} and set(df["region"]) == {1804}
    assert ((df["lower"] <= df["median"]) & (df["median"] <= df["upper"])).all()
    every = client.get("/last-ned/intervals.csv?region=alle&scenario=MMMM")
    expected = to_csv(
        project_intervals("MMMM", level=[80, 95], regions=None)[
            lambda d: d["region"].str.len() == 4
        ]
    )
    assert every.data.decode("utf-8") == expected
    excel = client.get("/last-ned/intervals.csv?region=1151&scenario=MMMM&variant=excel_no&lang=nn")
    head = excel.data.decode("utf-8").splitlines()[0]
    assert head.startswith(
        "\ufeffFramskrivingsalternativ;År;Regionnummer;Aldersgruppe;Intervall (%)"
    )
    assert "Nedre grense (personar)" in head


def test_headline_sentences_say_how_sure_they_are():
    from dashboard.text.texts import change_sentence
    from dashboard.views import report_data

    nbsp = "\u00a0"
    assert change_sentence("0_5", 105, 100, 2040, "nb", (90, 120)) == (
        f"Antall barn 0–5 år ventes å øke med 5{nbsp}% fram til 2040 "
        f"(80 %: −10{nbsp}% til +20{nbsp}%)."
    )
    assert change_sentence("total", 95, 100, 2050, "en", (80, 99)).endswith(
        "(80%: −20% to −1%)."  # English writes 5%, without the space
    )
    from pages import oversikt

    page = json.dumps(
        oversikt.layout(code="1151").to_plotly_json(),
        default=lambda o: o.to_plotly_json(),
        ensure_ascii=False,
    )
    findings = report_data.collect(report_data.parse_request("1151", {})).findings
    lo, hi = intervals.bounds("1151", "MMMM", 2040, "0_5")
    kids = next(k for k in model.key_figures("MMMM", "1151") if k.key == "0_5")
    assert lo < kids.values[2040] < hi and hi > 3 * lo  # 4 children today: wide, and says so
    sentence = change_sentence("0_5", kids.values[2040], kids.base, 2040, "nb", (lo, hi))
    assert sentence in findings and sentence in page  # the report and the page say the same
