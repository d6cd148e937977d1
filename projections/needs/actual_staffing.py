"""Today's staffing ("dagens" presets): the published national figures, with their arithmetic.

The legal norms (barnehageloven § 26, lærernormen) are minimums per group; real staffing is well
above them. These presets turn the published national figures into staffing ratios:

- grunnskole: pupils per årsverk for teaching, GSI 2019/20 (11.6), for all grades;
- barnehage: a factor on the norm. Årsverk 2020 are estimated as employees 2020 x årsverk per
  employee 2009 (the only year with both in our data); the norm's implied årsverk are computed
  for the children in barnehage in 2020 (coverage 1-2 and 3-5 years times the registered
  children at the end of 2020, the 0-year-olds as the remainder). Factor = estimate / norm.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from projections.needs.coefficients import value

BARNEHAGE_YEAR = 2020
# Children are counted on 15 December; their age then = completed years on 1 January next year.
BARNEHAGE_POPULATION_YEAR = BARNEHAGE_YEAR + 1


@dataclass(frozen=True)
class BarnehageArithmetic:
    """Every step from the published figures to the actual-staffing factor."""

    arsverk_2009: float
    employees_2009: float
    arsverk_per_employee_2009: float
    employees_2020: float
    arsverk_2020_estimate: float
    children_2020: float
    children_1_2: float
    children_3_5: float
    children_0: float
    norm_arsverk_2020: float
    factor: float


def pupils_per_teaching_arsverk() -> float:
    """GSI 2019/20: pupils per årsverk for teaching (all grades, public and private)."""
    return value("grunnskole.actual.pupils_per_teaching_arsverk")


def barnehage_arithmetic_from(pop_1_2: float, pop_3_5: float) -> BarnehageArithmetic:
    """Pure arithmetic, given the registered children aged 1-2 and 3-5 at the end of 2020."""
    a09 = value("barnehage.actual.arsverk_2009")
    e09 = value("barnehage.actual.employees_2009")
    e20 = value("barnehage.actual.employees_2020")
    c20 = value("barnehage.actual.children_2020")
    per_employee = a09 / e09
    estimate = e20 * per_employee
    c12 = value("barnehage.actual.coverage_1_2_2020") * pop_1_2
    c35 = value("barnehage.actual.coverage_3_5_2020") * pop_3_5
    c0 = max(c20 - c12 - c35, 0.0)
    norm = (c0 + c12) / value("barnehage.norm.children_per_adult_under_3") + c35 / value(
        "barnehage.norm.children_per_adult_3_plus"
    )
    return BarnehageArithmetic(
        arsverk_2009=a09,
        employees_2009=e09,
        arsverk_per_employee_2009=per_employee,
        employees_2020=e20,
        arsverk_2020_estimate=estimate,
        children_2020=c20,
        children_1_2=c12,
        children_3_5=c35,
        children_0=c0,
        norm_arsverk_2020=norm,
        factor=estimate / norm,
    )


@lru_cache(maxsize=1)
def barnehage_arithmetic() -> BarnehageArithmetic:
    """The arithmetic with the registered population of 1 January 2021 from the data store."""
    import data_sources

    pop = data_sources.read_table("population")
    pop = pop[pop["year"] == BARNEHAGE_POPULATION_YEAR]
    by_age = pop.groupby("age")["persons"].sum()
    return barnehage_arithmetic_from(float(by_age.loc[1:2].sum()), float(by_age.loc[3:5].sum()))


def barnehage_actual_factor() -> float:
    """Actual barnehage årsverk relative to the basic staffing norm (about 1.25)."""
    return barnehage_arithmetic().factor


def staffing_note(lang: str = "nb") -> str:
    """The closing note of the CLI: how today's staffing is derived, step by step."""
    b = barnehage_arithmetic()
    gsi = pupils_per_teaching_arsverk()

    def n(x: float, d: int = 0) -> str:
        s = f"{x:,.{d}f}".replace(",", " ")
        return s if lang == "en" else s.replace(".", ",")

    if lang == "en":
        return (
            f"Note: teacher FTEs = pupils / {n(gsi, 1)} (pupils per teaching FTE, GSI 2019/20); "
            f"preset 'lovkrav' = teacher norm 15/20. Kindergarten FTEs = norm x {n(b.factor, 3)}: "
            f"{n(b.employees_2020)} employees 2020 x ({n(b.arsverk_2009)} FTE / "
            f"{n(b.employees_2009)} employees 2009 = {n(b.arsverk_per_employee_2009, 3)}) = "
            f"{n(b.arsverk_2020_estimate)} FTE; the norm (1 adult per 3 under 3, per 6 aged 3+) "
            f"for the {n(b.children_2020)} children of 2020 gives {n(b.norm_arsverk_2020)}; "
            f"preset 'lovkrav' = the norm."
        )
    return (
        f"Merknad: lærerårsverk = elever / {n(gsi, 1)} (elever per årsverk til undervisning, "
        f"GSI 2019/20); forutsetningen 'lovkrav' = lærernormen 15/20. Barnehageårsverk = "
        f"normen x {n(b.factor, 3)}: {n(b.employees_2020)} ansatte 2020 x "
        f"({n(b.arsverk_2009)} årsverk / {n(b.employees_2009)} ansatte 2009 = "
        f"{n(b.arsverk_per_employee_2009, 3)}) = {n(b.arsverk_2020_estimate)} årsverk; normen "
        f"(1 voksen per 3 under 3 år, per 6 over 3 år) for de {n(b.children_2020)} barna i 2020 "
        f"gir {n(b.norm_arsverk_2020)}; forutsetningen 'lovkrav' = normen."
    )
