"""`python -m data_sources` through main(argv): info, refresh offline, parse, argument errors."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import requests

from data_sources.__main__ import main
from data_sources.store import Store

FIX = Path(__file__).parents[1] / "fixtures" / "jsonstat"


@pytest.fixture
def live(tmp_path, monkeypatch) -> Store:
    root = tmp_path / "store"
    monkeypatch.setenv("KOMMUNEFRAM_STORE", str(root))
    return Store(root)


def test_info_lists_tables_and_checks_published_totals(live, capsys):
    assert main(["info"]) == 0
    out = capsys.readouterr().out
    assert "Norge 1.1.2026: 5 627 400, Oslo (0301): 728 714, 357 kommuner" in out
    pop_line = next(line for line in out.splitlines() if line.startswith("population "))
    assert "1 664 624" in pop_line and "2005-2026" in pop_line
    assert "07459" in pop_line and "2026-02-25" in pop_line and "snapshot" in pop_line
    for name in ("care_panel", "kommuner", "ssb_projection_fylke", "geo_kommuner"):
        assert any(line.startswith(name + " ") for line in out.splitlines())


def test_info_prefers_the_live_store(live, capsys):
    df = pd.DataFrame({"year": [2031], "kommune_code": ["0301"], "persons": [7]})
    meta = {"source": "live", "ssb_tables": ["07459"], "fetched_at": "2031-01-02T03:04:05+00:00"}
    live.write("population", df, meta)
    assert main(["info"]) == 0
    out = capsys.readouterr().out
    pop_line = next(line for line in out.splitlines() if line.startswith("population "))
    assert " live " in pop_line and "2031-2031" in pop_line and "2031-01-02T03:04:05" in pop_line
    assert "Norge 1.1.2031: 7, Oslo (0301): 7, 1 kommuner" in out


def test_refresh_offline_is_one_line_and_leaves_the_store_untouched(live, capsys, monkeypatch):
    live.write("population", pd.DataFrame({"year": [2024], "persons": [1]}), {"source": "live"})
    before = hashlib.sha256(live.path("population").read_bytes()).hexdigest()
    listing = sorted(p.name for p in live.root.iterdir())

    def offline(self, method, url, **kwargs):
        raise requests.exceptions.ConnectionError("Temporary failure in name resolution")

    monkeypatch.setattr(requests.Session, "request", offline)
    assert main(["refresh"]) != 0
    captured = capsys.readouterr()
    lines = (captured.out + captured.err).strip().splitlines()
    assert lines == ["Kunne ikke nå SSB (data.ssb.no): ingen nettverkstilgang. Lageret er uendret."]
    assert hashlib.sha256(live.path("population").read_bytes()).hexdigest() == before
    assert sorted(p.name for p in live.root.iterdir()) == listing


def test_refresh_unknown_table_is_an_error_line(live, capsys):
    assert main(["refresh", "care_panel"]) != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "Kan ikke oppdatere 'care_panel'" in err[0]


@pytest.mark.parametrize(
    ("name", "rows"),
    [
        ("ssb_v0_table_05300_jsonstat2.json", 432),
        ("ssb_v1_dataset_1120.json", 8),
        ("ssb_v1_dataset_29843.json", 37440),
    ],
)
def test_parse_writes_csv_with_one_row_per_cell(name, rows, capsys):
    assert main(["parse", str(FIX / name), "--format", "csv"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert len(lines) == rows + 1
    assert lines[0].endswith(",value,status")


def test_parse_csv_keeps_codes_and_status(capsys, tmp_path):
    assert main(["parse", str(FIX / "ssb_v0_table_05300_jsonstat2.json")]) == 0
    out = capsys.readouterr().out
    csv = tmp_path / "out.csv"
    csv.write_text(out, encoding="utf-8")
    df = pd.read_csv(csv, dtype=str)
    assert df.loc[0, "Avstand1"] == "01" and df.loc[0, "value"] == "16.0"
    assert df["status"].value_counts().to_dict() == {".": 20, "..": 8}


def test_parse_v1_bundle_dataset_choice(tmp_path, capsys):
    one = json.loads((FIX / "ssb_v1_dataset_1120.json").read_text())["dataset"]
    bundle = tmp_path / "bundle.json"
    bundle.write_text(json.dumps({"laks": one, "igjen": one}), encoding="utf-8")
    assert main(["parse", str(bundle)]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 17  # both datasets, `dataset` column
    assert main(["parse", str(bundle), "--dataset", "igjen"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 9
    assert main(["parse", str(bundle), "--dataset", "nope"]) != 0
    assert "'nope' finnes ikke" in capsys.readouterr().err


def test_parse_malformed_file_is_one_line(tmp_path, capsys):
    body = (FIX / "ssb_v0_table_05300_jsonstat2.json").read_text()
    bad = tmp_path / "cut.json"
    bad.write_text(body[:500], encoding="utf-8")
    assert main(["parse", str(bad)]) != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "Ugyldig JSON-stat" in err[0]


def test_build_snapshot_calls_the_builder(monkeypatch, capsys, tmp_path):
    import data_sources.snapshot_build as sb

    seen = []
    monkeypatch.setattr(sb, "build_snapshot", lambda src: seen.append(src) or [tmp_path / "x"])
    assert main(["build-snapshot", "--from", "../shared/data"]) == 0
    assert seen == ["../shared/data"]


def test_bad_arguments_are_argparse_errors(capsys):
    for argv in ([], ["bogus"], ["parse"], ["parse", "f.json", "--format", "xml"]):
        with pytest.raises(SystemExit) as exit_:
            main(argv)
        assert exit_.value.code == 2
    assert "bruk:" in capsys.readouterr().err  # argparse's texts in bokmål


def test_help_runs_as_a_module():
    done = subprocess.run(
        [sys.executable, "-m", "data_sources", "--help"],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parents[2],
        timeout=60,
    )
    assert done.returncode == 0
    for command in ("info", "refresh", "parse", "build-snapshot"):
        assert command in done.stdout


def test_info_check_reads_the_population_table_quickly(live):
    """The check line reads 1.66 million rows; measured ~0.15 s, asserted with a wide margin."""
    import time

    from data_sources import inventory
    from data_sources.store_read import _read_cached

    _read_cached.cache_clear()
    start = time.perf_counter()
    line = inventory.check_line()
    assert time.perf_counter() - start < 1.0
    assert line.startswith("Norge 1.1.2026: 5 627 400")


def test_parse_into_a_closed_pipe_is_not_a_traceback():
    """`parse FILE | head -1`: the reader leaves early; that must not print a traceback."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "data_sources", "parse", str(FIX / "ssb_v1_dataset_29843.json")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=Path(__file__).parents[2],
    )
    assert proc.stdout.readline().startswith(b"PKoder,")
    proc.stdout.close()  # like head after one line
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0
    assert "Traceback" not in err


def test_refresh_connection_reset_is_named_as_such_not_no_network(live, capsys, monkeypatch):
    from urllib3.exceptions import ProtocolError

    def reset(self, method, url, **kwargs):
        cause = ProtocolError("Connection aborted.", ConnectionResetError(104, "reset by peer"))
        raise requests.exceptions.ConnectionError(cause)

    monkeypatch.setattr(requests.Session, "request", reset)
    assert main(["refresh", "07459"]) != 0
    lines = capsys.readouterr().err.strip().splitlines()
    assert lines == [
        "Forbindelsen til SSB (data.ssb.no) ble brutt før svaret kom "
        "(connection reset mid-response); prøv igjen. Lageret er uendret."
    ]
    assert not live.root.exists()
