"""Command line for the data layer: ``python -m data_sources {info,refresh,parse,build-snapshot}``.

Expected failures (offline, SSB errors, bad files) print one line on stderr and return a
non-zero exit code; tracebacks are for bugs only.
"""

from __future__ import annotations

import argparse
import errno
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from data_sources.argparse_nb import NorskArgumentParser
from data_sources.ssb.errors import SSBError, SSBUnavailableError

EXIT_SSB = 2  # SSB unreachable or returned an error
EXIT_DATA = 3  # input or data failed validation (or would shrink the store)
EXIT_STORE = 4  # the store could not be written (disk full, no permission)
EXIT_BUG = 1  # anything unexpected

log = logging.getLogger(__name__)


def _info(args: argparse.Namespace) -> int:
    from data_sources import inventory

    print(inventory.render())
    return 0


def _store_problem(exc: OSError) -> str:
    """A writing failure in words a user can act on (disk full first: the common case)."""
    reasons = {
        errno.ENOSPC: "disken er full (no space left on device)",
        errno.EDQUOT: "diskkvoten er brukt opp (disk quota exceeded)",
        errno.EACCES: "ingen skrivetilgang (permission denied)",
        errno.EPERM: "ingen skrivetilgang (operation not permitted)",
        errno.EROFS: "filsystemet er skrivebeskyttet (read-only file system)",
    }
    return reasons.get(exc.errno or 0, exc.strerror or type(exc).__name__)


def _refresh(args: argparse.Namespace) -> int:
    """Every failure is one line on stderr and a non-zero exit; the store is then unchanged
    (``write_many`` is all or nothing), so each line says so. ``--debug`` re-raises."""
    from data_sources.refresh import refresh
    from data_sources.store import default_store_dir

    try:
        done = refresh(args.tables or None)
    except SSBUnavailableError:
        print(
            "Kunne ikke nå SSB (data.ssb.no): ingen nettverkstilgang. Lageret er uendret.",
            file=sys.stderr,
        )
        return _fail(args, EXIT_SSB)
    except SSBError as exc:
        print(f"{exc}. Lageret er uendret.", file=sys.stderr)
        return _fail(args, EXIT_SSB)
    except ValueError as exc:
        print(f"{exc}. Lageret er uendret.", file=sys.stderr)
        return _fail(args, EXIT_DATA)
    except OSError as exc:
        where = exc.filename or default_store_dir()
        print(
            f"Kunne ikke skrive til lageret ({where}): {_store_problem(exc)}. Lageret er uendret.",
            file=sys.stderr,
        )
        return _fail(args, EXIT_STORE)
    except KeyboardInterrupt:
        print("Avbrutt. Lageret er uendret.", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: still one line (with --debug, the traceback)
        log.debug("refresh failed", exc_info=True)
        first = str(exc).splitlines()[0] if str(exc) else ""
        print(
            f"Uventet feil under oppdatering ({type(exc).__name__}: {first[:200]}). "
            "Lageret er uendret. Kjør med --debug for detaljer.",
            file=sys.stderr,
        )
        return _fail(args, EXIT_BUG)
    for p in done:
        updated = ", ".join(f"{k} {v}" for k, v in p.meta["ssb_updated"].items())
        print(f"Oppdatert {p.name}: {len(p.frame):,} rader fra SSB ({updated})".replace(",", " "))
    return 0


def _fail(args: argparse.Namespace, code: int) -> int:
    if getattr(args, "debug", False):
        raise  # the exception being handled (we are called from its except block)
    return code


def _parse(args: argparse.Namespace) -> int:
    from data_sources.ssb import jsonstat

    try:
        frame = jsonstat.parse(Path(args.file).read_bytes(), dataset=args.dataset)
    except OSError as exc:
        print(f"Kan ikke lese {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_DATA
    except SSBError as exc:
        print(f"{args.file}: {exc}", file=sys.stderr)
        return EXIT_DATA
    sep = "\t" if args.format == "tsv" else ","
    try:
        frame.to_csv(sys.stdout, index=False, sep=sep, lineterminator="\n")
        sys.stdout.flush()
    except BrokenPipeError:  # `parse FILE | head`: the reader left early, which is fine
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def _build_snapshot(args: argparse.Namespace) -> int:
    from data_sources.snapshot_build import build_snapshot

    try:
        written = build_snapshot(args.src)
    except FileNotFoundError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_DATA
    print(f"Bygde {len(written)} tabeller i {written[0].parent if written else '-'}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = NorskArgumentParser(
        prog="python -m data_sources",
        description="Kommunefram sitt datalag: SSB-tabeller, det lokale lageret og snapshotet.",
        epilog="Skriv «python -m data_sources KOMMANDO -h» for valgene til hver kommando.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="KOMMANDO")

    p = sub.add_parser("info", help="vis tabellene som brukes, og kontroller kjente totaler")
    p.set_defaults(func=_info)

    p = sub.add_parser("refresh", help="hent tabeller direkte fra SSB til det lokale lageret")
    p.add_argument(
        "tables",
        nargs="*",
        metavar="TABELL",
        help="tabellnavn i lageret eller SSB-tabellnummer (standard: alle)",
    )
    p.add_argument("--debug", action="store_true", help="show the traceback of a failure")
    p.set_defaults(func=_refresh)

    p = sub.add_parser("parse", help="JSON-stat-fil (v1-datasett eller 2.0) til CSV på skjermen")
    p.add_argument("file", metavar="FIL", help="JSON-stat-fila som skal leses")
    p.add_argument(
        "--format", choices=("csv", "tsv"), default="csv", help="utformat (standard: csv)"
    )
    p.add_argument(
        "--dataset", metavar="NAVN", help="velg ett datasett i en v1-samling (standard: alle)"
    )
    p.set_defaults(func=_parse)

    p = sub.add_parser("build-snapshot", help="bygg det innebygde snapshotet på nytt fra rådataene")
    p.add_argument(
        "--from",
        dest="src",
        required=True,
        metavar="MAPPE",
        help="mappen med rådataene (kommandoen står i README, kildene i PROVENANCE.md)",
    )
    p.set_defaults(func=_build_snapshot)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
