"""The command lines as a new user meets them: a wrong --out folder, a huge table aimed at the
terminal, and help texts, all in one clear Norwegian line and never a traceback."""

from __future__ import annotations

import argparse
import io
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from data_sources.__main__ import build_parser as data_parser
from data_sources.argparse_nb import translate
from projections import cli
from projections.output import TTY_LIMIT_BYTES, OutputError, write_output

ROOT = Path(__file__).resolve().parents[2]
ENGLISH = ("usage:", "options:", "positional arguments", "show this help", "error:")


def _run(*argv: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def _one_norwegian_line(proc: subprocess.CompletedProcess[str], needle: str) -> None:
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert needle in lines[0]
    assert proc.stdout == ""


@pytest.mark.parametrize(
    "argv",
    [
        ("projections", "project", "--kommune", "0301", "--out", "/nonexistent/dir/x.csv"),
        ("projections", "needs", "--kommune", "0301", "--out", "/nonexistent/dir/x.csv"),
        ("projections.needs", "--kommune", "0301", "--out", "/nonexistent/dir/x.csv"),
        ("projections", "backtest", "--base-year", "2015", "--csv", "/nonexistent/dir/x.csv"),
    ],
)
def test_missing_output_folder_is_one_clear_line(argv):
    proc = _run(*argv)
    _one_norwegian_line(proc, "mappen /nonexistent/dir finnes ikke")


def test_output_to_a_folder_or_a_read_only_place(tmp_path):
    proc = _run("projections", "project", "--kommune", "0301", "--out", str(tmp_path))
    _one_norwegian_line(proc, "er en mappe; oppgi et filnavn")
    if os.geteuid() != 0:  # root may write anywhere
        ro = tmp_path / "ro"
        ro.mkdir(mode=0o500)
        proc = _run("projections", "project", "--kommune", "0301", "--out", str(ro / "x.csv"))
        _one_norwegian_line(proc, "har ikke skrivetilgang")


def test_readme_example_does_not_flood_a_terminal():
    """`project --kommune all --base-year 2015` in a real terminal (a pty) is refused with a
    hint to use --out; nothing is written to the screen but that one line."""
    leader, follower = pty.openpty()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "projections", "project", "--kommune", "all"],
            cwd=ROOT,
            stdout=follower,
            stderr=subprocess.PIPE,
            text=True,
            timeout=180,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        os.set_blocking(leader, False)
        try:
            screen = os.read(leader, 1_000_000)
        except BlockingIOError:
            screen = b""
    finally:
        os.close(leader)
        os.close(follower)
    assert proc.returncode == 2
    assert screen == b""
    line = proc.stderr.strip()
    assert "\n" not in line and "Traceback" not in line
    assert "for mye for terminalen" in line and "--out" in line and "MB" in line


def test_base_year_2015_to_a_terminal_is_refused(monkeypatch, capsys):
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    monkeypatch.setattr(sys, "stdout", screen)
    rc = cli.main(["project", "--kommune", "all", "--base-year", "2015"])
    assert rc == 2
    assert screen.getvalue() == ""
    err = capsys.readouterr().err.strip().splitlines()
    # (a "merk:" line may name kommuner whose 2015 numbers are approximate)
    assert err[-1].startswith("feil: utdataene er ") and "bruk --out FIL" in err[-1]


def test_pipes_and_small_tables_still_go_to_stdout():
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    small = "a,b\n1,2\n"
    tty = Terminal()
    write_output(small, None, stdout=tty)
    assert tty.getvalue() == small  # small tables still show on screen
    big = "x" * (TTY_LIMIT_BYTES + 1)
    pipe = io.StringIO()  # not a terminal: | head or > file
    write_output(big, None, stdout=pipe)
    assert pipe.getvalue() == big
    with pytest.raises(OutputError, match="bruk --out FIL"):
        write_output(big, None, stdout=Terminal())
    with pytest.raises(OutputError, match="Parquet er binærdata"):
        write_output(b"PAR1", None, stdout=Terminal())


def test_a_pipe_gets_the_whole_table():
    proc = _run("projections", "project", "--kommune", "0301", "--to", "2027")
    assert proc.returncode == 0 and proc.stdout.startswith("scenario,year,kommune,sex,age")


def _parsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    out = [parser]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                out += _parsers(sub)
    return out


@pytest.mark.parametrize("build", [cli.build_parser, data_parser])
def test_help_is_norwegian_and_complete(build):
    for parser in _parsers(build()):
        text = parser.format_help()
        assert text.startswith("bruk: "), parser.prog
        for word in ENGLISH:
            assert word not in text, f"{parser.prog}: {word!r}"
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                assert all(a.help for a in action._choices_actions), parser.prog
            else:
                assert action.help, f"{parser.prog} {action.option_strings or action.dest}"


def test_argparse_errors_in_bokmal():
    proc = _run("projections", "project", "--kommune", "0301", "--to", "abc")
    assert proc.returncode == 2
    assert proc.stderr.startswith("bruk: ")
    assert "feil: --to: ugyldig verdi 'abc' (må være heltall)" in proc.stderr
    assert "error" not in proc.stderr
    assert translate("one of the arguments --kommune --fylke --norge is required") == (
        "ett av argumentene --kommune --fylke --norge må oppgis"
    )
    assert translate("unrecognized arguments: --foo") == "ukjente argumenter: --foo"
