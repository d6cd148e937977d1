"""Grunnskole: pupils in grades 1-10 and teacher årsverk (GSI today, lærernormen or own ratios).

Ages 6-15 on 1 January of year t are the pupils of school year (t-1)/t: grade 1 = age 6,
grade 10 = age 15; grades 1-4 = ages 6-9, grades 5-10 = ages 10-15.
"""

from __future__ import annotations

import numpy as np

from projections.needs.actual_staffing import pupils_per_teaching_arsverk
from projections.needs.assumptions import Assumptions
from projections.needs.coefficients import value


def pupils_per_teacher(a: Assumptions) -> tuple[float, float]:
    """(grades 1-4, grades 5-10) pupils per teacher årsverk for the chosen preset."""
    if a.teacher_preset == "dagens":
        r = pupils_per_teaching_arsverk()
        return r, r
    if a.teacher_preset == "egen":
        assert a.actual_pupils_per_teacher_1_4 is not None  # checked by Assumptions
        assert a.actual_pupils_per_teacher_5_10 is not None
        return float(a.actual_pupils_per_teacher_1_4), float(a.actual_pupils_per_teacher_5_10)
    return (
        value("grunnskole.norm.pupils_per_teacher_1_4"),
        value("grunnskole.norm.pupils_per_teacher_5_10"),
    )


def grunnskole(pop_age: np.ndarray, a: Assumptions) -> dict[str, np.ndarray]:
    """pop_age (Y, K, 106) -> pupils and teacher årsverk (Y, K).

    "dagens" = årsverk for teaching at GSI's 11.6 pupils per årsverk (2019/20, includes special
    education). "lovkrav" counts only teachers needed for ordinary teaching at the norm's group
    size, a lower bound.
    """
    share = a.grunnskole_public_share
    p14 = pop_age[..., 6:10].sum(axis=-1) * share
    p510 = pop_age[..., 10:16].sum(axis=-1) * share
    r14, r510 = pupils_per_teacher(a)
    teachers = (p14 / r14 + p510 / r510) * a.grunnskole_staffing_multiplier
    return {
        "brukere": p14 + p510,
        "brukere_1_4": p14,
        "brukere_5_10": p510,
        "arsverk": teachers,
    }
