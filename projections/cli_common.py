"""What every subcommand of ``python -m projections`` shares: the region and output
arguments, reading the regions, writing the frame, and the CLI's own user error."""

from __future__ import annotations

import argparse

import pandas as pd

from data_sources import catalogue
from projections.export import VARIANTS, to_csv, to_parquet_bytes
from projections.output import write_output


class CliError(Exception):
    """A user error detected by the CLI itself (message in Norwegian)."""


def add_region_arguments(parser: argparse.ArgumentParser) -> None:
    """Add --kommune / --fylke / --norge (mutually exclusive) to a subcommand parser."""
    g = parser.add_mutually_exclusive_group(required=True)
    g.add_argument(
        "--kommune",
        metavar="KODE",
        help='kommunenummer, flere med komma (0301,1103), eller "all" for alle kommuner',
    )
    g.add_argument("--fylke", metavar="KODE", help="fylkesnummer, f.eks. 03")
    g.add_argument("--norge", action="store_true", help="hele landet")


def add_year_arguments(parser: argparse.ArgumentParser) -> None:
    """Add --base-year (alias --from) and --to: the span a subcommand projects."""
    parser.add_argument(
        "--base-year",
        "--from",
        dest="base_year",
        type=int,
        default=None,
        metavar="ÅR",
        help="basisår (standard: siste)",
    )
    parser.add_argument(
        "--to", dest="to_year", type=int, default=2050, metavar="ÅR", help="sluttår (2050)"
    )


def add_output_arguments(parser: argparse.ArgumentParser) -> None:
    """Add --format / --csv-variant / --out (the file a subcommand writes) to a parser."""
    parser.add_argument(
        "--format", choices=("csv", "parquet"), default="csv", help="filformat (standard: csv)"
    )
    parser.add_argument(
        "--csv-variant",
        choices=VARIANTS,
        default="standard",
        help="standard (komma, punktum) eller excel_no (semikolon, desimalkomma)",
    )
    parser.add_argument(
        "--out",
        metavar="FIL",
        help="skriv til denne fila (standard: skjermen; over 1 MB må du bruke --out, | eller >)",
    )


def regions_from_args(args: argparse.Namespace) -> list[str]:
    """Region codes selected by ``add_region_arguments``; unknown codes raise UnknownRegionError."""
    cat = catalogue()
    if getattr(args, "norge", False):
        return ["0"]
    if getattr(args, "fylke", None):
        codes = [c.strip() for c in args.fylke.split(",") if c.strip()]
        for c in codes:
            if cat.get(c).level != "fylke":
                raise CliError(f"{c} er ikke et fylkesnummer (bruk --kommune for kommuner)")
        return codes
    raw = (getattr(args, "kommune", None) or "").strip()
    if raw.lower() == "all":
        return cat.kommune_codes
    codes = [c.strip() for c in raw.split(",") if c.strip()]
    if not codes:
        raise CliError("oppgi minst ett kommunenummer")
    for c in codes:
        if cat.get(c).level != "kommune":
            raise CliError(f"{c} er ikke et kommunenummer (bruk --fylke eller --norge)")
    return codes


def write_frame(args: argparse.Namespace, df: pd.DataFrame) -> None:
    """Write a tidy frame as the subcommand's --format, --csv-variant and --out ask."""
    data = to_parquet_bytes(df) if args.format == "parquet" else to_csv(df, args.csv_variant)
    write_output(data, args.out)
