"""`python -m projections costs --kommune NR|all | --fylke NR | --norge [--scenario S]
[--usage today|trend] [--to Y] [--format csv|parquet] [--out FILE]`.

Tidy output (scenario, usage, year, region, sector, measure, value, unit, price_year) written
with projections.export, the same writer the dashboard uses. A closing note on stderr gives the
unit costs with their arithmetic and sources.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import pandas as pd

from projections.api import project
from projections.cli_common import (
    add_output_arguments,
    add_region_arguments,
    add_year_arguments,
    regions_from_args,
)
from projections.export import to_csv, to_parquet_bytes
from projections.needs.assumptions import Assumptions
from projections.needs.costs import CostResult, costs
from projections.needs.model import compute_needs
from projections.output import check_out_path, write_output


def cost_result(
    scenario: str = "MMMM",
    usage: str = "today",
    to_year: int = 2050,
    base_year: int | None = None,
) -> CostResult:
    """Costs for every kommune from the projection of `scenario` (default assumptions)."""
    res = project(scenario, base_year=base_year, to_year=to_year)
    return costs(compute_needs(res, Assumptions(usage_path=usage)))


def cost_table(regions: Sequence[str], result: CostResult) -> pd.DataFrame:
    return pd.concat([result.frame(r) for r in regions], ignore_index=True)


def cost_note(result: CostResult) -> str:
    """The unit costs, one line each, with price year and arithmetic (stderr closing note)."""
    u = result.unit_costs
    lines = ["Enhetskostnader (nasjonale, publiserte tall; ingen prisjustering):"]
    for c in (u.barnehage, u.grunnskole, u.institusjon, u.hjemmebasert):
        lines.append(f"- {c.sector}: {c.arithmetic} ({c.price_year}-priser)")
    return "\n".join(lines)


def run_costs(args: argparse.Namespace, regions: Sequence[str]) -> int:
    check_out_path(args.out)
    result = cost_result(args.scenario, args.usage, args.to_year, args.base_year)
    df = cost_table(regions, result)
    print(cost_note(result), file=sys.stderr)
    data = to_parquet_bytes(df) if args.format == "parquet" else to_csv(df, args.csv_variant)
    write_output(data, args.out)
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `costs` subcommand to `python -m projections` (regions as in projections.cli)."""
    parser = subparsers.add_parser(
        "costs", help="kostnad og demografikostnad i kroner per sektor (TBU-metoden)"
    )
    add_region_arguments(parser)
    parser.add_argument("--scenario", default="MMMM", metavar="KODE", help="alternativ (MMMM)")
    parser.add_argument(
        "--usage",
        choices=("today", "trend"),
        default="today",
        help="bruksbane: today = dagens standard, trend = lavere dekning som 2015-2025",
    )
    add_year_arguments(parser)
    add_output_arguments(parser)
    parser.set_defaults(func=lambda args: run_costs(args, regions_from_args(args)))
