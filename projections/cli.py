"""Command line: ``python -m projections project|backtest ...``.

User errors (unknown kommune, bad scenario, impossible assumption) give one line on stderr and
exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from data_sources import UnknownRegionError, catalogue
from data_sources.argparse_nb import NorskArgumentParser
from projections import backtest as bt
from projections.api import DEFAULT_TO_YEAR, MAX_TO_YEAR, InvalidYearError, ModelConfig, project
from projections.cli_common import (
    CliError,
    add_output_arguments,
    add_region_arguments,
    regions_from_args,
    write_frame,
)
from projections.export import to_csv
from projections.inputs import approximate_at
from projections.intervals_cli import register as register_intervals
from projections.needs.cli import register as register_needs
from projections.output import OutputError, check_out_path, write_output
from projections.scenarios import (
    MORTALITY_TRENDS,
    PANDEMIC_SUFFIX,
    InvalidOverridesError,
    InvalidScenarioError,
    Overrides,
)

USER_ERRORS = (
    UnknownRegionError,
    InvalidScenarioError,
    InvalidOverridesError,
    InvalidYearError,
    OutputError,
)
EXIT_USER_ERROR = 2
DOCS_DIR = Path(__file__).resolve().parent.parent / "docs"


def _overrides(args: argparse.Namespace) -> Overrides | None:
    o = Overrides(
        tfr=args.tfr, e0_change_2050=args.e0_change, migration_multiplier=args.migration_multiplier
    )
    return None if o.empty else o


def cmd_project(args: argparse.Namespace) -> int:
    check_out_path(args.out)
    regions = regions_from_args(args)
    scenario = args.scenario
    if args.mortality_trend == "with-pandemic" and not scenario.upper().endswith(PANDEMIC_SUFFIX):
        scenario += PANDEMIC_SUFFIX
    res = project(scenario, base_year=args.base_year, to_year=args.to, overrides=_overrides(args))
    approx = approximate_at(res.base_year, regions)
    if approx:  # one line on stderr, so the CSV on stdout stays clean
        names = ", ".join(f"{c} {catalogue().get(c).name}" for c in approx)
        print(
            f"merk: basisåret {res.base_year} bygger på tilnærmede folketall for {names} "
            "(kommunedeling; eksakte tall først fra delingsåret).",
            file=sys.stderr,
        )
    df = res.components_frame(regions) if args.components else res.to_frame(regions)
    write_frame(args, df)
    return 0


def cmd_backtest(args: argparse.Namespace) -> int:
    config = ModelConfig(
        migration_window=args.migration_window,
        intl_window=args.intl_window,
        smoothing=args.smoothing,
        migration_method=args.migration_method,
    )
    check_out_path(args.csv, "--csv")
    if args.report:
        from projections.report import write_report

        summary = write_report(config)
        print(bt.format_table(summary))
        return 0
    if args.base_year is None:  # every origin, model and the three baselines by size class
        import time

        from projections.targets import figures, format_figures

        start = time.perf_counter()
        runs = bt.run_all(config)
        acc = pd.concat([r.by_size_class() for r in runs], ignore_index=True)
        print(bt.format_accuracy(acc))
        print()
        print(bt.format_class_means(acc))
        print()
        print(format_figures(figures(runs, config)))
        print()
        print(
            f"MAPE % (andel kommuner innen 5 %) for kommunetotaler; {bt.scored_note()}. "
            f"Kjøretid {time.perf_counter() - start:.1f} s."
        )
        return 0
    result = bt.run_backtest(args.base_year, args.horizon, config)
    if args.csv:
        write_output(to_csv(result.per_kommune), args.csv, "--csv")
    summary = result.summary()
    print(
        f"Backtest basisår {args.base_year}, horisont {args.horizon} år "
        f"({len(result.per_kommune['kommune'].unique())} kommuner, "
        f"{result.n_excluded} utelatt pga. tilnærmede tall; trendgrunnlag fra {result.trend_start})"
    )
    note = bt.scored_note()
    print(note[0].upper() + note[1:] + ".")
    print(bt.format_table(summary))
    print()
    print(bt.format_measure_table(summary))
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = NorskArgumentParser(
        prog="python -m projections",
        description="Befolkningsframskrivinger, tjenestebehov og bemanning for kommunene",
        epilog="Skriv «python -m projections KOMMANDO -h» for valgene til hver kommando.",
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="KOMMANDO")

    pp = sub.add_parser("project", help="framskriv befolkningen")
    add_region_arguments(pp)
    pp.add_argument(
        "--scenario",
        default="MMMM",
        metavar="KODE",
        help="alternativ, f.eks. MMMM, LLML, HHMH (standard: MMMM)",
    )
    pp.add_argument(
        "--to", type=int, default=DEFAULT_TO_YEAR, metavar="ÅR", help=f"sluttår (<= {MAX_TO_YEAR})"
    )
    pp.add_argument(
        "--base-year", type=int, default=None, metavar="ÅR", help="basisår (standard: siste)"
    )
    add_output_arguments(pp)
    pp.add_argument("--components", action="store_true", help="fødte, døde og nettoflytting")
    pp.add_argument(
        "--tfr", type=float, default=None, metavar="TALL", help="mål for samlet fruktbarhet"
    )
    pp.add_argument(
        "--e0-change",
        type=float,
        default=None,
        metavar="ÅR",
        help="endring i forventet levealder til 2050",
    )
    pp.add_argument(
        "--migration-multiplier",
        type=float,
        default=None,
        metavar="TALL",
        help="ganger flyttingen med dette tallet (1 = uendret)",
    )
    pp.add_argument(
        "--mortality-trend",
        choices=tuple(MORTALITY_TRENDS),
        default="pre-pandemic",
        help="dødelighet for eldre: pre-pandemic (hovedvalget, pandemiårene utenfor trenden) "
        f"eller with-pandemic (langsommere bedring; det samme som koden med {PANDEMIC_SUFFIX})",
    )
    pp.set_defaults(func=cmd_project)

    bp = sub.add_parser("backtest", help="test modellen mot observert befolkning")
    bp.add_argument(
        "--base-year",
        type=int,
        default=None,
        metavar="ÅR",
        help="basisår for testen, f.eks. 2015 (uten: alle basisår, etter kommunestørrelse)",
    )
    bp.add_argument(
        "--horizon", type=int, default=5, metavar="ÅR", help="antall år fram (standard: 5)"
    )
    bp.add_argument("--csv", metavar="FIL", help="skriv feil per kommune til denne CSV-fila")
    bp.add_argument(
        "--report",
        action="store_true",
        help="kjør alle standardtilfellene og skriv docs/backtest.md og projections/data/backtest_results.csv",
    )
    d = ModelConfig()
    bp.add_argument(
        "--migration-window",
        type=int,
        default=d.migration_window,
        metavar="ÅR",
        help=f"antall år nettoflyttingen beregnes fra (standard: {d.migration_window})",
    )
    bp.add_argument(
        "--intl-window",
        type=int,
        default=d.intl_window,
        metavar="ÅR",
        help=f"antall år nivået på nettoinnvandringen beregnes fra (standard: {d.intl_window})",
    )
    bp.add_argument(
        "--smoothing",
        type=int,
        default=d.smoothing,
        metavar="PUNKTER",
        help=f"glatting over alder: punkter i binomialkjernen (standard: {d.smoothing})",
    )
    bp.add_argument(
        "--migration-method",
        choices=("counts", "rates", "mixed"),
        default=d.migration_method,
        help="flytting som antall (counts), rater (rates) eller en blanding (mixed) "
        f"(standard: {d.migration_method})",
    )
    bp.set_defaults(func=cmd_backtest)

    # Other layers register their subcommands (needs, costs, intervals).
    register_needs(sub)
    register_intervals(sub)

    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (*USER_ERRORS, CliError) as exc:
        print(f"feil: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except BrokenPipeError:  # e.g. `... | head`
        return 0
