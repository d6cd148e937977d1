"""Regenerate the backtest report: projections/data/backtest_results.csv and the tables in
docs/backtest.md (between the GENERATED markers; the prose around them is kept)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from projections.api import ModelConfig
from projections.backtest import RESULTS_CSV, format_age_table, format_table, report
from projections.export import to_csv

DOC = Path(__file__).resolve().parent.parent / "docs" / "backtest.md"
BEGIN, END = "<!-- BEGIN GENERATED -->", "<!-- END GENERATED -->"


def generated_block(summary: pd.DataFrame, config: ModelConfig) -> str:
    return "\n\n".join(
        [
            BEGIN,
            f"Configuration: `{config}` (scenario MMMM). Regenerate with "
            "`python -m projections backtest --report`.",
            "### Kommune totals: model and naive baselines",
            format_table(summary),
            "### Model MAPE (%) by age group",
            format_age_table(summary),
            END,
        ]
    )


def write_report(config: ModelConfig | None = None) -> pd.DataFrame:
    config = config or ModelConfig()
    summary = report(config=config)
    RESULTS_CSV.parent.mkdir(parents=True, exist_ok=True)
    RESULTS_CSV.write_text(to_csv(summary.round(4)), encoding="utf-8", newline="")
    block = generated_block(summary, config)
    if DOC.exists() and BEGIN in DOC.read_text(encoding="utf-8"):
        text = DOC.read_text(encoding="utf-8")
        head, rest = text.split(BEGIN, 1)
        tail = rest.split(END, 1)[1] if END in rest else ""
        DOC.write_text(head + block + tail, encoding="utf-8")
    else:
        DOC.parent.mkdir(parents=True, exist_ok=True)
        DOC.write_text("# Backtest\n\n" + block + "\n", encoding="utf-8")
    return summary
