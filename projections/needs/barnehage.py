"""Barnehage: children 0-5 in barnehage and staff årsverk (today's staffing or the legal norm).

Coverage by single age is national (Udir 2016): the data store has no kommune-level
barnehage figures, so every kommune gets the national coverage unless the user overrides it.
"""

from __future__ import annotations

import numpy as np

from projections.needs.actual_staffing import barnehage_actual_factor
from projections.needs.assumptions import Assumptions
from projections.needs.coefficients import value


def barnehage(pop_age: np.ndarray, a: Assumptions) -> dict[str, np.ndarray]:
    """pop_age (Y, K, 106) -> measures (Y, K): children by age band and årsverk.

    Årsverk = the basic staffing norm x the actual-staffing factor ("dagens", from the published
    national figures) or x 1 ("lovkrav"), times barnehage_staffing_multiplier.

    Under 3 = ages 0-2 in completed years at 1 January (= age at 31 December the year before,
    SSB's age concept for barnehage), 3 and over = ages 3-5.
    """
    cov = np.asarray(a.barnehage_coverage_values()) * a.barnehage_coverage_multiplier
    children = pop_age[..., :6] * cov
    under3 = children[..., :3].sum(axis=-1)
    over3 = children[..., 3:].sum(axis=-1)
    basic = under3 / value("barnehage.norm.children_per_adult_under_3") + over3 / value(
        "barnehage.norm.children_per_adult_3_plus"
    )
    pedagogical = under3 / value(
        "barnehage.norm.children_per_pedagogical_leader_under_3"
    ) + over3 / value("barnehage.norm.children_per_pedagogical_leader_3_plus")
    preset = barnehage_actual_factor() if a.barnehage_staffing_preset == "dagens" else 1.0
    return {
        "brukere": under3 + over3,
        "brukere_0_2": under3,
        "brukere_3_5": over3,
        "arsverk": basic * preset * a.barnehage_staffing_multiplier,
        "arsverk_pedagogiske_ledere": pedagogical,
    }
