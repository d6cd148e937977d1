"""Assumptions: hashable, and impossible values give clear Norwegian-first errors."""

from __future__ import annotations

import numpy as np
import pytest

from projections.needs import Assumptions, NeedsAssumptionError, needs_from_population


def test_assumptions_are_hashable_and_comparable() -> None:
    a = Assumptions(home_care_coverage_multiplier=1.2)
    b = Assumptions(home_care_coverage_multiplier=1.2)
    assert a == b and hash(a) == hash(b)
    assert {a: 1}[b] == 1
    assert a != Assumptions()


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"home_care_coverage_multiplier": -0.1}, "negativ"),
        ({"care_staffing_multiplier": 5.5}, "høy"),
        ({"barnehage_staffing_multiplier": float("nan")}, "tall"),
        ({"barnehage_coverage_multiplier": 1.2}, "over 100 %"),
        ({"barnehage_coverage": (0.1, 0.5, 0.9, 1.1, 0.9, 0.9)}, "mellom 0 og 1"),
        ({"barnehage_coverage": (0.5, 0.5)}, "seks"),
        ({"grunnskole_public_share": 1.01}, "mellom 0 og 1"),
        ({"teacher_preset": "magic"}, "Ukjent"),
        ({"teacher_preset": "actual"}, "krever"),
        (
            {
                "teacher_preset": "actual",
                "actual_pupils_per_teacher_1_4": 0.0,
                "actual_pupils_per_teacher_5_10": 12.0,
            },
            "mellom 1 og 100",
        ),
        ({"rate_window_years": 0}, "heltall"),
    ],
)
def test_invalid_assumptions_raise(kwargs: dict, pattern: str) -> None:
    with pytest.raises(NeedsAssumptionError, match=pattern):
        Assumptions(**kwargs)


def test_error_is_a_value_error_with_english_translation() -> None:
    with pytest.raises(ValueError, match=r"\(multiplier cannot be negative\)"):
        Assumptions(institution_coverage_multiplier=-1)


def test_care_multiplier_giving_coverage_above_100_percent_raises() -> None:
    pop = np.zeros((1, 1, 2, 106))
    pop[0, 0, :, 90] = 100
    with pytest.raises(NeedsAssumptionError, match="over 100 %"):
        needs_from_population(pop, [2030], ["0301"], Assumptions(home_care_coverage_multiplier=5.0))


def test_valid_edge_values_are_accepted() -> None:
    Assumptions(home_care_coverage_multiplier=0.0, care_staffing_multiplier=5.0)
    Assumptions(barnehage_coverage=(0, 0, 0, 1, 1, 1), grunnskole_public_share=0.0)
    Assumptions(
        teacher_preset="actual",
        actual_pupils_per_teacher_1_4=13.0,
        actual_pupils_per_teacher_5_10=17.5,
    )
