"""Command line: `python -m projections needs --kommune 0301 [--scenario MMMM] [--to 2050]`.

Also runnable as `python -m projections.needs ...`. Output is tidy (scenario, usage, year,
kommune, sector, measure, value, unit), written with projections.export so it matches the dashboard.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import pandas as pd

from projections.cli_common import (
    add_region_arguments,
    add_year_arguments,
    regions_from_args,
)
from projections.needs.costs_cli import register as register_costs
from projections.needs.labels import usage_note

NORWAY_ALIASES = {"0", "norge", "noreg", "norway", "hele landet"}


def add_needs_arguments(parser: argparse.ArgumentParser, regions: bool = True) -> None:
    """Arguments of the needs command (regions optional when the host CLI adds its own)."""
    if regions:
        parser.add_argument(
            "--kommune",
            default="0",
            help="kommunenummer (0301), fylke (03), 'norge' eller 'all' (alle kommuner); "
            "flere skilles med komma",
        )
    parser.add_argument(
        "--scenario",
        default="MMMM",
        metavar="KODE",
        help="alternativ, f.eks. MMMM, LHML (standard: MMMM)",
    )
    add_year_arguments(parser)
    parser.add_argument(
        "--format", choices=("csv", "parquet"), default="csv", help="filformat (standard: csv)"
    )
    parser.add_argument(
        "--csv-variant",
        "--variant",
        dest="variant",
        choices=("standard", "excel_no"),
        default="standard",
        help="standard (komma, punktum) eller excel_no (semikolon, desimalkomma)",
    )
    parser.add_argument(
        "--indicators",
        action="store_true",
        help="skriv indikatorene (omsorgsbrøk, bemanningspress) i stedet",
    )
    parser.add_argument(
        "--out",
        default=None,
        metavar="FIL",
        help="skriv til denne fila (standard: skjermen; over 1 MB må du bruke --out, | eller >)",
    )
    parser.add_argument(
        "--usage",
        choices=("today", "trend"),
        default="today",
        help="bruksbane: today = dagens standard (dagens bruksrater), "
        "trend = lavere dekning som 2015-2025 (politikkbane)",
    )
    parser.add_argument(
        "--damping",
        type=float,
        default=None,
        help="demping av trenden, 0-1 (standard: valgt av tilbakeblikket)",
    )
    parser.add_argument(
        "--staffing",
        choices=("dagens", "lovkrav"),
        default="dagens",
        help="bemanning i barnehage og grunnskole: dagens (publiserte tall) eller lovkrav (normene)",
    )
    parser.add_argument(
        "--level",
        type=int,
        choices=(80, 95),
        default=None,
        help="legg til nedre og øvre grense (lower/upper) for prediksjonsintervallet med dette nivået i prosent",
    )


def parse_regions(text: str) -> list[str]:
    """'0301,03,norge,all' -> validated region codes ('0' = Norway, 'all' = every kommune)."""
    from data_sources import catalogue

    out = []
    for part in (p.strip() for p in str(text).split(",")):
        if not part:
            continue
        if part.lower() in NORWAY_ALIASES:
            out.append("0")
        elif part.lower() == "all":
            out.append("all")
        else:
            out.append(catalogue().get(part).code)  # UnknownRegionError with suggestions
    if not out:
        raise ValueError("Oppgi minst én region med --kommune (no region given)")
    return out


def needs_table(
    regions: Sequence[str],
    scenario: str = "MMMM",
    base_year: int | None = None,
    to_year: int = 2050,
    indicators: bool = False,
    level: int | None = None,
    usage: str = "today",
    damping: float | None = None,
    staffing: str = "dagens",
) -> pd.DataFrame:
    """Tidy needs (or indicators) for the regions, from the projection of `scenario`."""
    from projections import project
    from projections.needs import Assumptions, compute_needs

    a = Assumptions(
        usage_path=usage,
        trend_damping=damping,
        teacher_preset=staffing,
        barnehage_staffing_preset=staffing,
    )
    if level is not None:  # lower/upper from the age-group prediction intervals
        from projections.intervals import needs_frame_with_intervals

        res = project(scenario, base_year=base_year, to_year=to_year)
        return needs_frame_with_intervals(res, regions, level, indicators, assumptions=a)
    needs = compute_needs(project(scenario, base_year=base_year, to_year=to_year), a)
    frames = [needs.indicators(r) if indicators else needs.frame(r) for r in regions]
    return pd.concat(frames, ignore_index=True)


def run_needs(args: argparse.Namespace, regions: Sequence[str] | None = None) -> int:
    """Run the command for parsed arguments; returns the exit code."""
    from projections.export import to_csv, to_parquet_bytes
    from projections.needs.actual_staffing import staffing_note
    from projections.output import check_out_path, write_output

    check_out_path(args.out)
    codes = list(regions) if regions is not None else parse_regions(args.kommune)
    df = needs_table(
        codes,
        args.scenario,
        args.base_year,
        args.to_year,
        args.indicators,
        args.level,
        args.usage,
        args.damping,
        args.staffing,
    )
    # The closing note goes to stderr so the table on stdout stays machine-readable.
    print(usage_note(args.usage, args.damping), file=sys.stderr)
    print(staffing_note(), file=sys.stderr)
    data = to_parquet_bytes(df) if args.format == "parquet" else to_csv(df, args.variant)
    write_output(data, args.out)
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `needs` subcommand to `python -m projections` (regions as in projections.cli)."""
    parser = subparsers.add_parser("needs", help="tjenestebehov og årsverk per sektor")
    add_region_arguments(parser)
    add_needs_arguments(parser, regions=False)
    parser.set_defaults(func=lambda args: run_needs(args, regions_from_args(args)))
    register_costs(subparsers)  # `costs` (kroner) sits beside `needs`, from the same model


def main(argv: Sequence[str] | None = None) -> int:
    from data_sources.argparse_nb import NorskArgumentParser

    parser = NorskArgumentParser(
        prog="python -m projections.needs",
        description="Tjenestebehov og årsverk (barnehage, grunnskole, pleie og omsorg)",
    )
    add_needs_arguments(parser)
    args = parser.parse_args(argv)
    try:
        return run_needs(args)
    except (LookupError, ValueError) as exc:
        print(f"Feil: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
