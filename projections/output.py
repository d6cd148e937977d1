"""Where the command lines write their tables: a file (``--out``) or standard output.

Two things a user must never meet: a traceback because the folder in ``--out`` does not
exist, and 72 MB of CSV scrolling through a terminal. So ``--out`` is checked before any work
is done, write errors become one Norwegian line, and output larger than ``TTY_LIMIT_BYTES``
(or any Parquet) is refused when standard output is a terminal: a pipe or a redirect
(``| head``, ``> fil.csv``) still gets everything.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import IO

TTY_LIMIT_BYTES = 1_000_000  # ~10 000 CSV lines: more is never read on screen


class OutputError(ValueError):
    """The output cannot be written where asked (message in Norwegian, one line)."""


def check_out_path(out: str | None, option: str = "--out") -> None:
    """Fail early, before a long computation, if ``out`` cannot be a file we can write."""
    if not out:
        return
    path = Path(out)
    if path.is_dir():
        raise OutputError(f"{option} {out} er en mappe; oppgi et filnavn, f.eks. {path / 'ut.csv'}")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.exists():
        raise OutputError(
            f"mappen {parent} finnes ikke; lag den først (mkdir -p {parent}) eller velg "
            f"en annen {option}"
        )
    if not parent.is_dir():
        raise OutputError(f"{parent} er ikke en mappe, så {option} {out} kan ikke lages")
    if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise OutputError(f"har ikke skrivetilgang til {out}; velg en annen {option}")


def _human(size: int) -> str:
    return f"{size / 1_000_000:.1f}".replace(".", ",") + " MB"


def write_output(
    data: str | bytes,
    out: str | None,
    option: str = "--out",
    stdout: IO[str] | None = None,
) -> None:
    """Write ``data`` to the file ``out``, or to standard output when ``out`` is empty."""
    if out:
        check_out_path(out, option)
        try:
            if isinstance(data, bytes):
                Path(out).write_bytes(data)
            else:
                Path(out).write_text(data, encoding="utf-8", newline="")
        except OSError as exc:
            reason = exc.strerror or exc.__class__.__name__
            raise OutputError(f"kunne ikke skrive {out}: {reason}") from exc
        return
    stream = stdout or sys.stdout
    if stream.isatty():
        if isinstance(data, bytes):
            raise OutputError(
                f"Parquet er binærdata og skrives ikke til terminalen; bruk {option} FIL"
            )
        size = len(data.encode("utf-8"))
        if size > TTY_LIMIT_BYTES:
            lines = f"{data.count(chr(10)):,}".replace(",", " ")
            raise OutputError(
                f"utdataene er {_human(size)} ({lines} linjer), for mye for terminalen; "
                f"bruk {option} FIL, eller send dem videre med | eller >"
            )
    if isinstance(data, bytes):
        stream.flush()
        stream.buffer.write(data)
    else:
        stream.write(data)
