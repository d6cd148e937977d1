"""Figures in docs/method.md, docs/backtest.md and README.md, generated from the code.

Each figure block sits between ``<!-- BEGIN GENERATED: name -->`` and
``<!-- END GENERATED: name -->`` in its file; ``write_docs()`` rewrites them (called by
``python -m projections backtest --report``) and ``stale_blocks()`` lists those that differ
from what the code gives now (tests/unit/test_docs_generated.py), so the documents cannot drift
from the code. The long backtest report block of docs/backtest.md is written by
``projections.report``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from projections.api import ModelConfig, fit, project, survival_history
from projections.assumptions import scenario_assumptions, ssb_assumptions
from projections.backtest import class_means, format_class_means, run_all
from projections.immigration import HELD_OUT_ORIGINS, SELECTION_ORIGINS, rule_backtest
from projections.inputs import national_population, population_data
from projections.old_age import checks, format_checks
from projections.peers import SIZE_BANDS, peer_groups
from projections.ssb_decomposition import decompose
from projections.targets import figures, format_figures

ROOT = Path(__file__).resolve().parent.parent
DECAYS = (0.8, 0.85, 0.9, 0.95, 1.0)


def _nb(x: float, decimals: int = 0) -> str:
    """Thousands with a thin space, as in the prose (21 680)."""
    return f"{x:,.{decimals}f}".replace(",", " ")


def _signed(x: float) -> str:
    return ("+" if round(x) >= 0 else "−") + _nb(abs(x))


def immigration_block() -> str:
    """The stated immigration path for base 2026 and the rule's national backtest."""
    fm = fit(2026, ModelConfig())
    imm = fm.immigration
    surv = survival_history(2026)
    nat = national_population()
    years = np.array([2026, 2030, 2035, 2049])
    level = imm.level(years)
    lines = [
        f"Base 2026: net migration in 2025 {_nb(imm.last)}, mean 1986-2025 "
        f"{_nb(imm.long_run)}, ten-year mean 2016-2025 (the rule before issue 18) "
        f"{_nb(imm.window_mean)}. Stated level (MMMM): "
        + ", ".join(f"{y} {_nb(v)}" for y, v in zip(years, level, strict=True))
        + "; MMML and MMMH are 0.5 and 1.5 times it, MMM0 zero.",
        "",
        "National backtest: error of the cumulated net migration in % of Norway's population "
        "at the target year, root mean square over the origins.",
        "",
        "| rule | selection 1996-2007, 5 y | selection 1996-2007, 10 y "
        f"| held out {HELD_OUT_ORIGINS[5][0]}-{HELD_OUT_ORIGINS[5][-1]}, 5 y "
        f"| held out {HELD_OUT_ORIGINS[10][0]}-{HELD_OUT_ORIGINS[10][-1]}, 10 y |",
        "|---|---|---|---|---|",
    ]

    def rms(x: np.ndarray) -> str:
        return f"{float(np.sqrt(np.mean(x**2))):.2f}"

    variants: list[tuple[str, str, float]] = [("ten-year mean (before issue 18)", "window", 1.0)]
    variants += [
        (f"decay {d:g}" + (" (chosen)" if d == imm.decay else ""), "decay", d) for d in DECAYS
    ]
    for label, rule, d in variants:
        cells = [
            rms(rule_backtest(nat, surv, SELECTION_ORIGINS, 5, rule, d)),
            rms(rule_backtest(nat, surv, SELECTION_ORIGINS, 10, rule, d)),
            rms(rule_backtest(nat, surv, HELD_OUT_ORIGINS[5], 5, rule, d)),
            rms(rule_backtest(nat, surv, HELD_OUT_ORIGINS[10], 10, rule, d)),
        ]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main_figures_block() -> str:
    """Norway 2050 and the stated assumptions of the main scenarios, base 2026."""
    lines = [
        "| scenario | Norway 2050 | 90+ in 2050 | e0 men / women 2026 → 2050 | TFR | "
        "net immigration 2026 / 2049 |",
        "|---|---|---|---|---|---|",
    ]
    for code in ("MMMM", "MMMM-P", "LLML", "HHMH", "MMM0", "MM00"):
        res = project(code)
        a = scenario_assumptions(code)
        old = float(res.population[-1][..., 90:].sum(dtype=np.float64))
        imm = a.net_immigration_stated
        lines.append(
            f"| {code} | {_nb(res.total('0')[-1])} | {_nb(old)} | "
            f"{a.e0_male_base:.1f} / {a.e0_female_base:.1f} → {a.e0_male_end:.1f} / "
            f"{a.e0_female_end:.1f} | {a.tfr_base:.2f} → {a.tfr_end:.2f} | "
            f"{_nb(imm[0])} / {_nb(imm[-1])} |"
        )
    return "\n".join(lines)


def old_age_block() -> str:
    return format_checks(checks())


def peers_block() -> str:
    pop = population_data()
    group, n = peer_groups(pop, 2026)
    counts = np.bincount(group, minlength=n)
    edges = (0.0, *SIZE_BANDS, np.inf)
    cells = [
        f"{_nb(lo)}-{_nb(hi) if np.isfinite(hi) else ''}: {c}"
        for lo, hi, c in zip(edges[:-1], edges[1:], counts, strict=True)
    ]
    return "Peer groups for base 2026 (inhabitants: kommuner): " + "; ".join(cells) + "."


def ssb_difference_block() -> str:
    """Why Norway differs from SSB's 14746 MMMM (README, "Method in brief")."""
    ours = scenario_assumptions("MMMM")
    ssb = ssb_assumptions().implied
    res, cal = project("MMMM"), project("SSB")
    return (
        f"Main alternative, Norway 2050: {res.total('0')[-1] / 1e6:.2f} million against "
        f"{cal.total('0')[-1] / 1e6:.2f} million in SSB's 14746 (our scenario SSB reproduces "
        f"it). Net immigration {_nb(ours.net_immigration_mean)} a year on average 2026-2049 "
        f"against the {_nb(ssb.net_immigration_mean)} SSB's figures imply; TFR held at "
        f"{ours.tfr_end:.2f} while SSB's figures imply {ssb.tfr_base:.2f} rising to "
        f"{ssb.tfr_end:.2f}; life expectancy 2050 men {ours.e0_male_end:.1f} against "
        f"{ssb.e0_male_end:.1f}, women {ours.e0_female_end:.1f} against {ssb.e0_female_end:.1f}."
    )


def ssb_section_block() -> str:
    """Scenario SSB's implied assumptions and the decomposition (docs/method.md section 9)."""
    ssb = ssb_assumptions().implied
    path = ssb.net_immigration_stated
    cal = project("SSB").assumptions["calibration"]
    dec = decompose()
    lines = [
        f"Largest miss against 14746 MMMM over the ten groups, 2027-2050: "
        f"{cal.max_error_pct:.2f} %. Implied: TFR {ssb.tfr_base:.2f} (2026) to {ssb.tfr_end:.2f} "
        f"(2050); net immigration {_nb(path[0])} in 2026, {_nb(path[-1])} in 2049 (mean "
        f"{_nb(ssb.net_immigration_mean)}); e0 2050 {ssb.e0_male_end:.1f} (men) / "
        f"{ssb.e0_female_end:.1f} (women).",
        "",
        "| region, 2050 | ours | SSB | difference | immigration | fertility | mortality "
        "| kommune | vintage |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for code, name in (("0", "Norway"), ("0301", "Oslo")):
        r = dec.frame(code).set_index("year").loc[2050]
        parts = [r[p] for p in ("immigration", "fertility", "mortality", "kommune", "vintage")]
        lines.append(
            f"| {name} | {_nb(r['ours'])} | {_nb(r['ssb'])} | {_signed(r['difference'])} | "
            + " | ".join(_signed(x) for x in parts)
            + " |"
        )
    return "\n".join(lines)


@dataclass(frozen=True)
class _Backtest:
    """One backtest run shared by the blocks that need it."""

    accuracy: pd.DataFrame
    targets: str


def _backtest() -> _Backtest:
    runs = run_all(ModelConfig())
    acc = pd.concat([r.by_size_class() for r in runs], ignore_index=True)
    return _Backtest(acc, format_figures(figures(runs, ModelConfig())))


def accuracy_block(bt: _Backtest) -> str:
    cm = class_means(bt.accuracy)
    n = int(cm["n_kommuner"].max())
    return (
        f"MAPE % of kommune totals (share within 5 %), averaged over the origins (up to {n} "
        "kommuner scored):\n\n" + format_class_means(bt.accuracy) + "\n\n" + bt.targets
    )


# block name -> (file, generator); generators taking the backtest get it as argument
BLOCKS: dict[str, tuple[str, Callable[..., str], bool]] = {
    "immigration": ("docs/method.md", immigration_block, False),
    "old-age": ("docs/method.md", old_age_block, False),
    "peers": ("docs/method.md", peers_block, False),
    "main-figures": ("docs/method.md", main_figures_block, False),
    "ssb-section": ("docs/method.md", ssb_section_block, False),
    "targets": ("docs/backtest.md", lambda bt: bt.targets, True),
    "readme-ssb": ("README.md", ssb_difference_block, False),
    "readme-accuracy": ("README.md", accuracy_block, True),
}


def markers(name: str) -> tuple[str, str]:
    return f"<!-- BEGIN GENERATED: {name} -->", f"<!-- END GENERATED: {name} -->"


def render() -> dict[str, str]:
    """Every block's text as the code gives it now."""
    bt = _backtest()
    return {name: (gen(bt) if uses_bt else gen()) for name, (_, gen, uses_bt) in BLOCKS.items()}


def current(name: str) -> str | None:
    """The block's text in its file (None if the markers are missing)."""
    path = ROOT / BLOCKS[name][0]
    begin, end = markers(name)
    text = path.read_text(encoding="utf-8")
    if begin not in text or end not in text:
        return None
    return text.split(begin, 1)[1].split(end, 1)[0].strip("\n")


def stale_blocks(rendered: dict[str, str] | None = None) -> list[str]:
    """Names of the blocks whose file text differs from the code's."""
    rendered = render() if rendered is None else rendered
    return [name for name, body in rendered.items() if current(name) != body]


def write_docs(rendered: dict[str, str] | None = None) -> list[str]:
    """Rewrite every block between its markers; returns the names rewritten."""
    rendered = render() if rendered is None else rendered
    changed = []
    for name, body in rendered.items():
        path = ROOT / BLOCKS[name][0]
        begin, end = markers(name)
        text = path.read_text(encoding="utf-8")
        if begin not in text or end not in text:
            raise ValueError(f"{path.name} mangler markørene for {name!r}")
        head, rest = text.split(begin, 1)
        tail = rest.split(end, 1)[1]
        new = f"{head}{begin}\n{body}\n{end}{tail}"
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(name)
    return changed
