"""Recruitment need: årsverk leaving today's staff (avgang) plus growth, per sector.

Today's staff is given a piecewise-uniform age density built from published NATIONAL age
profiles (the same for every kommune: no kommune-level staff ages are published in our data),
and everyone is assumed to leave at the sector's average departure age D (KS PAI). After h
years, the staff who have left are those aged D - h or older today:

    departed(h) = sum over age bands [lo, hi) of share x overlap([D - h, D], [lo, hi)) / (hi - lo)

arsverk_avgang(t) = departed(t - base) x årsverk(base) (cumulative from the base year);
arsverk_rekruttering(t) = max(0, årsverk(t) - årsverk(base) + arsverk_avgang(t)).
Recruits are young and are not assumed to leave within the horizon; persons are counted as
årsverk (the same part-time share at every age). Each profile is checked against KS's
published average age of the sector's employees (1.12.2023).

Age bands (working life assumed to start at 20, an assumption):
- pleie og omsorg: [20, 55) and [55, D); the 55+ share weights Helsedirektoratet's shares by
  profession (2020) by årsverk: nurses (the panel's nurse årsverk 2023) at the share of
  nurses without further education, staff without health education (157 076 x (1 - 77.1 %))
  at their share, the rest (helsefagarbeidere and other health education) at the
  helsefagarbeider share. D = 62.9 (KS, helse og omsorg, 2020).
- grunnskole: teachers under 30 (21 %), 30-39 (26 % = rest), 40+ (53 %) (SSB 2022);
  D = 63.5 (KS, undervisningspersonell, 2020).
- barnehage: no published age shares; one band [L, D) with L set so the mean age equals KS's
  43.3 (barnehage, 2023); D = 63.1 (KS, all employees, 2022-2023).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

import data_sources
from projections.needs.published import PublishedFigure, figure_from, published_table

WORK_START_AGE = 20.0  # assumption: the youngest age of staff
RECRUITMENT_SECTORS = ("barnehage", "grunnskole", "pleie_og_omsorg")


@dataclass(frozen=True)
class AgeProfile:
    """Piecewise-uniform age density of today's staff and the age at which they leave."""

    sector: str
    bands: tuple[tuple[float, float, float], ...]  # (lo, hi, share), shares sum to 1
    departure_age: float
    published_mean_age: float  # KS, 1.12.2023, for the check
    arithmetic: str
    sources: tuple[PublishedFigure, ...]

    def departed_share(self, years_ahead: np.ndarray) -> np.ndarray:
        """Share of today's staff gone after h years (h <= 0 gives 0)."""
        h = np.maximum(np.asarray(years_ahead, dtype=float), 0.0)
        cut = self.departure_age - h
        out = np.zeros_like(h)
        for lo, hi, share in self.bands:
            top = min(hi, self.departure_age)
            overlap = np.clip(top - np.maximum(cut, lo), 0.0, None)
            out += share * overlap / (hi - lo)
        return out

    def mean_age(self) -> float:
        return float(sum(share * (lo + hi) / 2 for lo, hi, share in self.bands))


def _pct(f: PublishedFigure) -> float:
    return f.value / 100.0


def age_profiles_from(table: pd.DataFrame, nurse_arsverk_2023: float) -> dict[str, AgeProfile]:
    """Pure: the three sector profiles from the published table (see module docstring)."""

    def age(year: int, start: str) -> PublishedFigure:
        return figure_from(table, "workforce_age", year, start)

    share55 = "share of employed aged 55+ in municipal health and care: "
    nurse = age(2020, share55 + "nurses without")
    nurse_further = age(2020, share55 + "nurses with further")
    hfa = age(2020, share55 + "helsefagarbeider")
    no_edu = age(2020, share55 + "staff without")
    total = figure_from(table, "elderly_care", 2023, "årsverk in care services")
    edu = figure_from(table, "elderly_care", 2023, "share of user-directed årsverk")
    w_no_edu = total.value * (1.0 - _pct(edu))
    w_rest = total.value - nurse_arsverk_2023 - w_no_edu
    s55 = (
        nurse_arsverk_2023 * _pct(nurse) + w_no_edu * _pct(no_edu) + w_rest * _pct(hfa)
    ) / total.value
    d_care = age(2020, "average departure age, employees in helse")
    care = AgeProfile(
        "pleie_og_omsorg",
        ((WORK_START_AGE, 55.0, 1.0 - s55), (55.0, d_care.value, s55)),
        d_care.value,
        age(2023, "average age of employees, helse").value,
        f"55+ = ({nurse_arsverk_2023:.0f} sykepleierårsverk x {nurse.value} % + "
        f"{w_no_edu:.0f} uten helseutdanning x {no_edu.value} % + {w_rest:.0f} andre x "
        f"{hfa.value} %) / {total.value:.0f} = {s55:.1%}; avgangsalder {d_care.value}",
        (nurse, nurse_further, hfa, no_edu, total, edu, d_care),
    )

    under30 = age(2022, "share of primary school teachers aged under")
    over40 = age(2022, "share of primary school teachers aged over")
    d_teach = age(2020, "average departure age, teaching")
    s30 = 1.0 - _pct(under30) - _pct(over40)
    school = AgeProfile(
        "grunnskole",
        (
            (WORK_START_AGE, 30.0, _pct(under30)),
            (30.0, 40.0, s30),
            (40.0, d_teach.value, _pct(over40)),
        ),
        d_teach.value,
        age(2023, "average age of employees, undervisning").value,
        f"lærere under 30 {under30.value:.0f} %, 30-39 {s30:.0%}, 40+ {over40.value:.0f} % "
        f"(SSB 2022); avgangsalder {d_teach.value}",
        (under30, over40, d_teach),
    )

    mean_bh = age(2023, "average age of employees, barnehage")
    d_all = age(2023, "average departure age, all employees")
    lo = 2.0 * mean_bh.value - d_all.value
    kindergarten = AgeProfile(
        "barnehage",
        ((lo, d_all.value, 1.0),),
        d_all.value,
        mean_bh.value,
        f"ingen publiserte aldersandeler: jevn aldersfordeling {lo:.1f}-{d_all.value} år, "
        f"slik at snittalderen blir KS' {mean_bh.value} år; avgangsalder {d_all.value}",
        (mean_bh, d_all),
    )
    return {p.sector: p for p in (kindergarten, school, care)}


@lru_cache(maxsize=1)
def age_profiles() -> dict[str, AgeProfile]:
    """Profiles from the data store (nurse årsverk 2023 from the care panel)."""
    panel = data_sources.read_table("care_panel")
    nurses = float(panel.loc[panel["year"] == 2023, "Y_5_ialt"].sum())
    return age_profiles_from(published_table(), nurses)


def recruitment_measures(
    arsverk: np.ndarray, years: np.ndarray, profile: AgeProfile
) -> dict[str, np.ndarray]:
    """(Y, K) årsverk -> arsverk_avgang and arsverk_rekruttering (Y, K), from years[0]."""
    gone = profile.departed_share(np.asarray(years) - years[0])[:, None] * arsverk[:1]
    need = np.maximum(arsverk - arsverk[:1] + gone, 0.0)
    return {"arsverk_avgang": gone, "arsverk_rekruttering": need}
