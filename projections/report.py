"""Regenerate the backtest report: projections/data/backtest_results.csv and the tables in
docs/backtest.md (between the GENERATED markers; the prose around them is kept), and the named
figure blocks of projections/docs_figures.py."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd

from projections.api import ModelConfig
from projections.backtest import (
    ACCURACY_CSV,
    BASELINES,
    ORIGINS,
    REPORT_CASES,
    RESULTS_CSV,
    SELECTION_ORIGINS,
    SIZE_CLASSES,
    accuracy,
    at_or_below,
    class_means,
    format_accuracy,
    format_age_table,
    format_class_means,
    format_table,
    report,
    scored_note,
)
from projections.docs_figures import write_docs
from projections.export import to_csv

DOC = Path(__file__).resolve().parent.parent / "docs" / "backtest.md"
BEGIN, END = "<!-- BEGIN GENERATED -->", "<!-- END GENERATED -->"


VARIANTS: dict[str, dict[str, object]] = {
    "chosen configuration": {},
    "no forecast combination (issue 8 start, with the pandemic exclusion)": {"combination": False},
    "pandemic years kept in the mortality trend": {"mortality_exclude": ()},
    "no credibility of the domestic level": {"migration_level_eb": False},
    "one-year jumps capped at 3 robust SDs (not adopted)": {"migration_robust": 3.0},
    "migration as constant counts": {"migration_method": "counts"},
    "migration as rates (all cells)": {"migration_method": "rates"},
    "5-year migration window": {"migration_window": 5},
    "5-year immigration window": {"intl_window": 5},
    "20-year immigration window": {"intl_window": 20},
    "immigration shares from regression on history": {"intl_distribution": "regression"},
    "no domestic damping (persistence 1.0)": {"domestic_persistence": 1.0},
    "age-profile shrinkage toward fylke (10 000)": {"migration_shrink": 10000.0},
    "no age smoothing": {"smoothing": 1},
    "immigration: ten-year mean carried forward (before issue 18)": {"immigration_rule": "window"},
    "immigration decay 0.8": {"immigration_decay": 0.8},
    "immigration decay 0.85": {"immigration_decay": 0.85},
    "immigration decay 0.95": {"immigration_decay": 0.95},
    "immigration decay 1.0 (last year carried forward)": {"immigration_decay": 1.0},
    "fylke as the prior of small kommuner (before issue 18)": {"peers": "fylke"},
    "trends' excess immigration taken by immigration shares": {"excess_shares": "immigration"},
    "combination fades to the model by 15 years (not 20)": {"combination_end": 15},
}


def _origin_means(acc: pd.DataFrame) -> dict[str, float]:
    """Model MAPE of totals averaged over selection / held-out origins per horizon."""
    a = acc[(acc["size_class"] == "all") & (acc["method"] == "model")]
    out = {}
    for h in sorted(ORIGINS):
        g = a[a["horizon"] == h]
        sel = g["base_year"].isin(SELECTION_ORIGINS[h])
        out[f"{h}y selection"] = g.loc[sel, "mape"].mean()
        out[f"{h}y held out"] = g.loc[~sel, "mape"].mean()
    return out


def selection_table(
    config: ModelConfig, variants: dict[str, dict[str, object]] | None = None
) -> str:
    """Model MAPE of kommune totals when one estimation choice is changed at a time: the
    five standard cases and the means over the selection and held-out origins."""
    cases = [f"{b}+{h}" for b, h in REPORT_CASES]
    means = list(_origin_means(accuracy(config)))
    lines = [
        "| variant | " + " | ".join(cases) + " | " + " | ".join(f"mean {m}" for m in means) + " |",
        "|---|" + "---|" * (len(cases) + len(means)),
    ]
    for label, change in (VARIANTS if variants is None else variants).items():
        acc = accuracy(replace(config, **change))
        a = acc[(acc["size_class"] == "all") & (acc["method"] == "model")]
        m = a.set_index(["base_year", "horizon"])["mape"]
        vals = " | ".join(f"{m[(b, h)]:.2f}" for b, h in REPORT_CASES)
        om = " | ".join(f"{v:.2f}" for v in _origin_means(acc).values())
        lines.append(f"| {label} | {vals} | {om} |")
    return "\n".join(lines)


def targets_table(acc: pd.DataFrame) -> str:
    """The issue-8 accuracy targets, each met or not, with the figures."""
    a = acc[acc["size_class"] == "all"].set_index(["base_year", "horizon", "method"])

    def mape(b: int, h: int, m: str = "model") -> float:
        return float(a.loc[(b, h, m), "mape"])

    rows = []
    five = [(b, mape(b, 5)) for b in (2010, 2015, 2019)]
    within = [(b, float(a.loc[(b, 5, "model"), "within_5pct"])) for b in (2010, 2015, 2019)]
    ten = [(b, mape(b, 10)) for b in ORIGINS[10]]

    def verdict(ok: bool) -> str:
        return "**met**" if ok else "**not met**"

    rows.append(
        (
            "5-year MAPE ≤ 2.5 % (origins 2010, 2015, 2019)",
            verdict(all(v <= 2.5 for _, v in five)),
            ", ".join(f"{b}: {v:.2f} %" for b, v in five),
        )
    )
    rows.append(
        (
            "≥ 90 % of kommuner within 5 % after 5 years (2010, 2015, 2019)",
            verdict(all(v >= 90 for _, v in within)),
            ", ".join(f"{b}: {v:.1f} %" for b, v in within),
        )
    )
    rows.append(
        (
            f"10-year MAPE ≤ 4.0 % (origins {ORIGINS[10][0]}-{ORIGINS[10][-1]})",
            verdict(all(v <= 4.0 for _, v in ten)),
            ", ".join(f"{b}: {v:.2f}" for b, v in ten),
        )
    )
    for h in sorted(ORIGINS):
        lost = [
            f"{b}: {mape(b, h):.2f} vs {min(mape(b, h, x) for x in BASELINES):.2f}"
            for b in ORIGINS[h]
            if not at_or_below(mape(b, h), min(mape(b, h, x) for x in BASELINES))
        ]
        rows.append(
            (
                f"model ≤ best baseline at every origin {ORIGINS[h][0]}-{ORIGINS[h][-1]}, "
                f"{h} years",
                verdict(not lost),
                f"{len(ORIGINS[h]) - len(lost)} of {len(ORIGINS[h])} origins"
                + (f"; lost: {'; '.join(lost)}" if lost else ""),
            )
        )
    cm = class_means(acc).set_index(["horizon", "size_class", "method"])["mape"]
    for h in sorted(ORIGINS):
        lost = []
        for label, *_ in SIZE_CLASSES:
            best = min(cm[(h, label, x)] for x in BASELINES)
            if not at_or_below(cm[(h, label, "model")], best):
                lost.append(f"{label}: {cm[(h, label, 'model')]:.2f} vs {best:.2f}")
        rows.append(
            (
                f"model ≤ best baseline averaged over the {h}-year origins, every size class",
                verdict(not lost),
                f"{4 - len(lost)} of 4 classes" + (f"; lost: {'; '.join(lost)}" if lost else ""),
            )
        )
    lines = ["| target | result | figures |", "|---|---|---|"]
    lines += [f"| {t} | {r} | {f} |" for t, r, f in rows]
    return "\n".join(lines)


def generated_block(
    summary: pd.DataFrame, config: ModelConfig, selection: str = "", acc: pd.DataFrame | None = None
) -> str:
    acc = accuracy(config) if acc is None else acc
    sel = ", ".join(f"{v[0]}-{v[-1]} ({h} years)" for h, v in sorted(SELECTION_ORIGINS.items()))
    return "\n\n".join(
        [
            BEGIN,
            f"Configuration: `{config}` (scenario MMMM). Regenerate with "
            "`python -m projections backtest --report`; `python -m projections backtest` prints "
            "the first two tables.",
            f"Selection scheme: choices made from issue 8 on are selected on the early origins "
            f"{sel} only; all later origins are held out. The older choices were compared on "
            "the five standard cases (2010+5, 2015+5, 2010+10 for the credibility weighting, "
            "with 2019+5 and 2015+10 held out; see the text above).",
            f"Scoring: kommune totals, {scored_note(lang='en')}. Baselines: constant; linear and "
            "geometric trend over the ten years before the origin (from 2005 for earlier "
            "origins; Vindafjord and Aure, missing in 2005, from 2006).",
            "### Every origin: MAPE % (share of kommuner within 5 %)",
            format_accuracy(acc),
            "### Averaged over the origins, by size class at the origin",
            format_class_means(acc),
            "### Targets (issue 8)",
            targets_table(acc),
            "### The five standard cases in detail",
            format_table(summary),
            "### Model MAPE (%) by age group",
            format_age_table(summary),
            "### One change at a time (MAPE % of kommune totals, model only)",
            selection or "(not computed)",
            END,
        ]
    )


def write_report(config: ModelConfig | None = None) -> pd.DataFrame:
    config = config or ModelConfig()
    summary = report(config=config)
    RESULTS_CSV.parent.mkdir(parents=True, exist_ok=True)
    RESULTS_CSV.write_text(to_csv(summary.round(4)), encoding="utf-8", newline="")
    acc = accuracy(config)
    ACCURACY_CSV.write_text(to_csv(acc.round(4)), encoding="utf-8", newline="")
    block = generated_block(summary, config, selection_table(config), acc)
    write_docs()  # the named figure blocks in docs/method.md, docs/backtest.md and README.md
    if DOC.exists() and BEGIN in DOC.read_text(encoding="utf-8"):
        text = DOC.read_text(encoding="utf-8")
        head, rest = text.split(BEGIN, 1)
        tail = rest.split(END, 1)[1] if END in rest else ""
        DOC.write_text(head + block + tail, encoding="utf-8")
    else:
        DOC.parent.mkdir(parents=True, exist_ok=True)
        DOC.write_text("# Backtest\n\n" + block + "\n", encoding="utf-8")
    return summary
