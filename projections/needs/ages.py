"""Age-group sums over the population array pop[year, kommune, sex, age] (ages 0..105+)."""

from __future__ import annotations

import numpy as np

N_AGES = 106
CARE_GROUPS = ("0_66", "67_79", "80p")
CARE_GROUP_BOUNDS = ((0, 66), (67, 79), (80, 105))
# The model's age groups: the panel's 80+ split into 80-89 and 90+ (see calibration).
FINE_GROUPS = ("0_66", "67_79", "80_89", "90p")
FINE_GROUP_BOUNDS = ((0, 66), (67, 79), (80, 89), (90, 105))


def check_population(pop: np.ndarray) -> np.ndarray:
    """Validate the (Y, K, 2, 106) layout early, so shape errors are not silent."""
    arr = np.asarray(pop, dtype=float)
    if arr.ndim != 4 or arr.shape[2] != 2 or arr.shape[3] != N_AGES:
        raise ValueError(
            f"Befolkningen må ha formen (år, kommune, 2 kjønn, 106 aldre), fikk {arr.shape} "
            f"(population must be shaped (Y, K, 2, 106))"
        )
    if np.isnan(arr).any() or (arr < 0).any():
        raise ValueError("Befolkningen har negative eller manglende verdier (negative or NaN)")
    return arr


def by_age(pop: np.ndarray) -> np.ndarray:
    """Both sexes: (Y, K, 106)."""
    return pop.sum(axis=2)


def age_sum(pop_age: np.ndarray, lo: int, hi: int) -> np.ndarray:
    """Persons aged lo..hi inclusive from a (Y, K, 106) array -> (Y, K)."""
    return pop_age[..., lo : hi + 1].sum(axis=-1)


def fine_groups(pop_age: np.ndarray) -> np.ndarray:
    """Persons in the model's age groups 0-66, 67-79, 80-89, 90+ -> (Y, K, 4)."""
    return np.stack([age_sum(pop_age, lo, hi) for lo, hi in FINE_GROUP_BOUNDS], axis=-1)
