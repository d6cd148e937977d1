"""The numbers behind a scenario, stated: TFR, life expectancy, net immigration to Norway.

``scenario_assumptions(code)`` reads them off the projection itself (the TFR path, the
mortality actually used, the net international migration summed over kommuner), so what the
dashboard says is what the engine did. ``ssb_assumptions()`` gives SSB's counterparts: SSB's
stated assumptions are not in our data (the 14746 metadata lists only the alternatives'
names), so only the values *implied* by SSB's figures, through our calibrated scenario SSB,
are given, and labelled as such.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from projections.api import DEFAULT_TO_YEAR, fit, project
from projections.mortality import life_table
from projections.scenarios import Overrides, parse_scenario


@dataclass(frozen=True)
class ScenarioAssumptions:
    """National assumptions of one scenario (Norway), base year and ``end_year``."""

    scenario: str
    base_year: int
    end_year: int
    tfr_base: float
    tfr_end: float
    e0_male_base: float
    e0_male_end: float
    e0_female_base: float
    e0_female_end: float
    net_immigration_base: float  # net international migration to Norway in the base year
    net_immigration_mean: float  # mean per year, base_year .. end_year - 1
    net_immigration_last: float  # in end_year - 1 (the last year with a flow)
    calibrated_to: str | None = None  # e.g. "14746 MMMM" for scenario SSB
    # the stated assumption: national net immigration per flow year base_year .. end_year - 1
    # (projections/immigration.py times the scenario's multiplier); the projection's net
    # migration for Norway equals it up to clipping (the forecast combination is zero-sum)
    net_immigration_stated: tuple[float, ...] = ()


def scenario_assumptions(
    code: str,
    base_year: int | None = None,
    end_year: int = DEFAULT_TO_YEAR,
    overrides: Overrides | None = None,
) -> ScenarioAssumptions:
    """TFR, e0 (men, women) and net immigration of ``code`` as the projection uses them.

    Raises the same errors as ``project`` (InvalidScenarioError, InvalidYearError, ...).
    """
    res = project(code, base_year=base_year, to_year=end_year, overrides=overrides)
    asm = res.assumptions
    fm = fit(res.base_year, asm["config"])
    end = np.array([int(end_year)])
    cal = asm.get("calibration")
    parts = parse_scenario(res.scenario).parts
    # the end year itself has no flow in the result (flows run to end_year - 1): evaluate the
    # same assumptions one year on
    mx = fm.mortality.mx(end, asm["mortality_multiplier"], from_year=res.base_year)
    if "M" in parts and (overrides is None or overrides.e0_change_2050 is None):
        mx = mx * cal.extend(end).mx_factor[:, None, :]
    e0_end = life_table(mx[0]).e0
    if "F" in parts and (overrides is None or overrides.tfr is None):
        tfr_end = float(cal.extend(end).tfr[0])
    else:
        years = np.arange(res.base_year, int(end_year) + 1)
        tfr_end = float(fm.fertility.tfr_path(years, asm["tfr_target"])[-1])
    intl = res.international.sum(axis=1)
    return ScenarioAssumptions(
        scenario=res.scenario,
        base_year=res.base_year,
        end_year=int(end_year),
        tfr_base=float(res.tfr[0]),
        tfr_end=tfr_end,
        e0_male_base=float(res.e0[0, 0]),
        e0_male_end=float(e0_end[0]),
        e0_female_base=float(res.e0[0, 1]),
        e0_female_end=float(e0_end[1]),
        net_immigration_base=float(intl[0]),
        net_immigration_mean=float(intl.mean()),
        net_immigration_last=float(intl[-1]),
        calibrated_to="14746 MMMM" if cal is not None else None,
        net_immigration_stated=tuple(float(v) for v in asm["net_immigration"]),
    )


@dataclass(frozen=True)
class SSBAssumptions:
    """SSB's counterparts: ``stated`` is None (not in our data); ``implied`` is our
    scenario SSB, whose national assumptions reproduce SSB's 14746 MMMM by age group."""

    table: str
    alternative: str
    stated: ScenarioAssumptions | None
    implied: ScenarioAssumptions


def ssb_assumptions(end_year: int = DEFAULT_TO_YEAR) -> SSBAssumptions:
    from projections.ssb_reference import ssb_source_table

    return SSBAssumptions(
        table=ssb_source_table("0"),
        alternative="MMMM",
        stated=None,
        implied=scenario_assumptions("SSB", end_year=end_year),
    )
