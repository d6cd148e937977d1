"""Old-age mortality: which improvement trend the observed 2024-2026 stocks support.

HMD ends in 2023, but the 1 January stocks of 2024-2026 (SSB 07459, ``population_national``)
give old-age deaths directly: at 80+ migration is negligible, so deaths during year t are
P(80+, t) - P(81+, t+1). Each mortality choice predicts them from the same stocks
(sum of P(a, t) (1 - S(a, t))); the ratio observed / predicted is the evidence behind the
central choice (docs/method.md, "Old-age mortality").
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from projections.api import ModelConfig, fit
from projections.inputs import national_population
from projections.mortality import survival

# label -> change to the model configuration (the central case first)
CHOICES: dict[str, dict[str, object]] = {
    "pandemic years out of the trend (central)": {},
    "pandemic years in the trend (alternative -P)": {"mortality_exclude": ()},
    "pre-pandemic trend level (no observed jump-off)": {"mortality_jump_off": "trend"},
}


@dataclass(frozen=True)
class OldAgeCheck:
    choice: str
    year: int
    from_age: int
    observed: float  # deaths during ``year`` at ages >= from_age on 1 January
    predicted: float

    @property
    def ratio(self) -> float:
        return self.observed / self.predicted


def observed_deaths(year: int, from_age: int) -> float:
    """Deaths in Norway during ``year`` among those aged ``from_age``+ on 1 January."""
    nat = national_population()
    i = year - int(nat.years[0])
    return float(nat.pop[i, :, from_age:].sum() - nat.pop[i + 1, :, from_age + 1 :].sum())


def checks(
    base_year: int = 2026, years: tuple[int, ...] = (2024, 2025), ages: tuple[int, ...] = (80, 90)
) -> list[OldAgeCheck]:
    """Observed against predicted old-age deaths for every choice in ``CHOICES``."""
    nat = national_population()
    out = []
    for label, change in CHOICES.items():
        fm = fit(base_year, replace(ModelConfig(), **change))
        for t in years:
            S, _ = survival(fm.mortality.mx(np.array([t]), 1.0, from_year=base_year)[0])
            P = nat.pop[t - int(nat.years[0])]
            for a in ages:
                pred = float((P[:, a:] * (1.0 - S[:, a:])).sum())
                out.append(OldAgeCheck(label, t, a, observed_deaths(t, a), pred))
    return out


def format_checks(rows: list[OldAgeCheck]) -> str:
    """Markdown: observed / predicted deaths per choice, year and age group."""
    cols = sorted({(r.year, r.from_age) for r in rows})
    lines = [
        "| mortality choice | " + " | ".join(f"{y}, {a}+" for y, a in cols) + " |",
        "|---|" + "---|" * len(cols),
    ]
    for label in dict.fromkeys(r.choice for r in rows):
        by = {(r.year, r.from_age): r for r in rows if r.choice == label}
        cells = [f"{by[c].ratio:.3f}" for c in cols]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    obs = ", ".join(f"{y} {a}+: {by[(y, a)].observed:,.0f}".replace(",", " ") for y, a in cols)
    return "\n".join(lines) + f"\n\nObserved deaths (from the stocks): {obs}."
