"""python -m projections: project, backtest and user errors."""

from __future__ import annotations

import io
import subprocess
import sys
from contextlib import redirect_stdout
from pathlib import Path

import pandas as pd
import pytest

from projections import project
from projections.cli import build_parser, main, regions_from_args
from projections.export import to_csv

ROOT = Path(__file__).resolve().parents[2]


def _run(argv: list[str]) -> tuple[int, str]:
    buf = io.StringIO()
    with redirect_stdout(buf):
        rc = main(argv)
    return rc, buf.getvalue()


def test_project_kommune_csv_equals_api_export():
    rc, out = _run(["project", "--kommune", "0301", "--to", "2030"])
    assert rc == 0
    expected = to_csv(project("MMMM", to_year=2030).to_frame("0301"))
    assert out == expected
    df = pd.read_csv(io.StringIO(out), dtype={"kommune": str})
    assert list(df.columns) == ["scenario", "year", "kommune", "sex", "age", "persons"]
    assert df[df["year"] == 2026]["persons"].sum() == 728_714


def test_project_fylke_norge_components_and_file(tmp_path):
    out_file = tmp_path / "c.csv"
    rc, _ = _run(
        [
            "project",
            "--norge",
            "--components",
            "--scenario",
            "MM00",
            "--to",
            "2030",
            "--out",
            str(out_file),
        ]
    )
    assert rc == 0
    df = pd.read_csv(out_file, dtype={"kommune": str})
    assert list(df.columns) == [
        "scenario",
        "year",
        "kommune",
        "population",
        "births",
        "deaths",
        "net_migration",
    ]
    assert (df["scenario"] == "MM00").all() and df["population"].iloc[0] == 5_627_400
    assert (df["net_migration"].dropna() == 0).all()
    rc, out = _run(["project", "--fylke", "03", "--to", "2027", "--csv-variant", "excel_no"])
    assert rc == 0 and out.startswith("\ufeffscenario;year")


def test_project_parquet(tmp_path):
    f = tmp_path / "p.parquet"
    assert (
        _run(
            [
                "project",
                "--kommune",
                "0301,1103",
                "--to",
                "2028",
                "--format",
                "parquet",
                "--out",
                str(f),
            ]
        )[0]
        == 0
    )
    df = pd.read_parquet(f)
    assert set(df["kommune"]) == {"0301", "1103"}


def test_region_helpers():
    p = build_parser()
    args = p.parse_args(["project", "--kommune", "all"])
    assert len(regions_from_args(args)) == 357
    assert regions_from_args(p.parse_args(["project", "--norge"])) == ["0"]


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["project", "--kommune", "9999"], "Ukjent kommune"),
        (["project", "--kommune", "0301", "--scenario", "XXXX"], "Ugyldig scenariokode"),
        (["project", "--kommune", "0301", "--tfr", "9"], "Samlet fruktbarhet"),
        (["project", "--kommune", "0301", "--to", "2200"], "Ugyldig sluttår"),
        (["project", "--fylke", "0301"], "ikke et fylkesnummer"),
        (["backtest", "--base-year", "2024", "--horizon", "5"], "etter siste observerte"),
    ],
)
def test_user_errors_are_one_line_without_traceback(argv, needle):
    proc = subprocess.run(
        [sys.executable, "-m", "projections", *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0]
    assert "Traceback" not in proc.stderr


def test_backtest_cli_prints_summary_and_csv(tmp_path):
    f = tmp_path / "bt.csv"
    rc, out = _run(["backtest", "--base-year", "2019", "--horizon", "5", "--csv", str(f)])
    assert rc == 0
    assert "| 2019 | 5 | model |" in out and "| 2019 | 5 | linear |" in out
    assert "| 2019 | 5 | 80+ |" in out  # every age group is scored
    df = pd.read_csv(f, dtype={"kommune": str})
    assert {"kommune", "measure", "method", "observed", "projected", "ape"} <= set(df.columns)
    assert set(df["measure"]) == {"total", "0-5", "6-15", "16-66", "67-79", "80+"}
