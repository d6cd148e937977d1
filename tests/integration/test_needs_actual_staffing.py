"""Today's staffing is the default (GSI teachers, actual barnehage staffing); the law is a preset."""

from __future__ import annotations

import io
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from projections.needs import Assumptions, NeedsAssumptionError, needs_from_population
from projections.needs.actual_staffing import (
    barnehage_arithmetic,
    barnehage_arithmetic_from,
    pupils_per_teaching_arsverk,
)
from projections.needs.coefficients import value


def _published(topic: str, year: int, measure_start: str) -> float:
    import data_sources

    sf = data_sources.read_table("service_figures")
    row = sf[
        (sf["topic"] == topic) & (sf["year"] == year) & sf["measure"].str.startswith(measure_start)
    ]
    assert len(row) == 1, (topic, year, measure_start)
    return float(row["value"].iloc[0])


def test_coefficients_match_the_published_figures_in_the_store() -> None:
    assert value("grunnskole.actual.pupils_per_teaching_arsverk") == _published(
        "primary_school", 2019, "pupils per årsverk"
    )
    assert value("barnehage.actual.arsverk_2009") == _published("kindergarten", 2009, "årsverk")
    assert value("barnehage.actual.employees_2009") == _published("kindergarten", 2009, "employees")
    assert value("barnehage.actual.employees_2020") == _published("kindergarten", 2020, "employees")
    assert value("barnehage.actual.children_2020") == _published("kindergarten", 2020, "children")


def test_barnehage_arithmetic_is_the_documented_one() -> None:
    b = barnehage_arithmetic()
    assert b.arsverk_per_employee_2009 == pytest.approx(68088 / 84885)
    assert b.arsverk_2020_estimate == pytest.approx(95909 * 68088 / 84885)
    # children by band add up to the published total
    assert b.children_0 + b.children_1_2 + b.children_3_5 == pytest.approx(272264)
    assert b.norm_arsverk_2020 == pytest.approx(
        (b.children_0 + b.children_1_2) / 3 + b.children_3_5 / 6
    )
    assert b.factor == pytest.approx(b.arsverk_2020_estimate / b.norm_arsverk_2020)
    # actual staffing is well above the norm, and the estimate lies between 2009's årsverk and
    # 2020's employees (persons), as the published figures require
    assert 1.1 < b.factor < 1.4
    assert 68088 < b.arsverk_2020_estimate < 95909
    # pure function: more children under 3 need more norm årsverk, so a smaller factor
    assert barnehage_arithmetic_from(130000, 170000).factor < b.factor


def _one_kommune_pop() -> np.ndarray:
    pop = np.zeros((1, 1, 2, 106))
    pop[..., 0:16] = 10.0
    return pop


def test_presets_dagens_default_and_lovkrav_available() -> None:
    pop = _one_kommune_pop()
    today = needs_from_population(pop, [2026], ["0301"])
    law = needs_from_population(
        pop,
        [2026],
        ["0301"],
        Assumptions(teacher_preset="lovkrav", barnehage_staffing_preset="lovkrav"),
    )
    pupils = today.get("grunnskole", "brukere")
    np.testing.assert_allclose(today.get("grunnskole", "arsverk"), pupils / 11.6)
    np.testing.assert_allclose(law.get("grunnskole", "arsverk"), 80 / 15 + 120 / 20)
    np.testing.assert_allclose(
        today.get("barnehage", "arsverk"),
        law.get("barnehage", "arsverk") * barnehage_arithmetic().factor,
    )
    # the older preset names keep working (saved URLs)
    assert Assumptions(teacher_preset="norm").teacher_preset == "lovkrav"
    with pytest.raises(NeedsAssumptionError, match="dagens"):
        Assumptions(barnehage_staffing_preset="maks")


def test_cli_norway_teachers_within_10_percent_of_gsi_and_note_shows_arithmetic() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "projections", "needs", "--kommune", "all", "--to", "2040"],
        capture_output=True,
        text=True,
        check=True,
    )
    df = pd.read_csv(io.StringIO(out.stdout), dtype={"kommune": str})
    base = df[df["year"] == df["year"].min()]
    assert base["kommune"].nunique() == 357
    total = base.groupby(["sector", "measure"])["value"].sum()
    pupils = total[("grunnskole", "brukere")]
    teachers = total[("grunnskole", "arsverk")]
    assert abs(teachers / (pupils / 11.6) - 1) < 0.10
    assert 600_000 < pupils < 660_000  # registered children 6-15, 1 January 2026
    assert 45_000 < teachers < 60_000  # issue: about 55 000 årsverk in 2019/20
    assert pupils_per_teaching_arsverk() == 11.6
    assert "11,6" in out.stderr and "95 909" in out.stderr and "68 088" in out.stderr


def test_cli_lovkrav_preset_gives_the_legal_norms() -> None:
    from projections.needs.cli import needs_table

    law = needs_table(["0"], to_year=2030, staffing="lovkrav")
    today = needs_table(["0"], to_year=2030)
    pick = (law["year"] == 2026) & (law["measure"] == "arsverk")
    lv = law[pick].set_index("sector")["value"]
    tv = today[(today["year"] == 2026) & (today["measure"] == "arsverk")].set_index("sector")[
        "value"
    ]
    pupils = today[
        (today["year"] == 2026)
        & (today["sector"] == "grunnskole")
        & (today["measure"] == "brukere_1_4")
    ]["value"].iloc[0]
    assert lv["grunnskole"] < 0.7 * tv["grunnskole"]  # issue 9: the norm is ~35 % too low
    assert lv["grunnskole"] > pupils / 15  # but still counts grades 5-10
    assert tv["barnehage"] == pytest.approx(lv["barnehage"] * barnehage_arithmetic().factor)
    assert lv["pleie_og_omsorg"] == pytest.approx(tv["pleie_og_omsorg"])
