"""Hjemmetjenester: users by age group from calibrated kommune-specific rates."""

from __future__ import annotations

import numpy as np

from projections.needs.ages import CARE_GROUPS
from projections.needs.assumptions import NeedsAssumptionError


def apply_rates(
    groups: np.ndarray, rates: np.ndarray, multiplier: float, label: str, kommuner: tuple[str, ...]
) -> dict[str, np.ndarray]:
    """groups (Y, K, 3) persons x rates (K, 3) users per person -> users by group and total."""
    scaled = rates * multiplier
    if (scaled > 1.0 + 1e-12).any():
        k, g = np.argwhere(scaled > 1.0 + 1e-12)[0]
        raise NeedsAssumptionError(
            f"Dekningsgraden for {label} blir {scaled[k, g]:.0%} i kommune {kommuner[k]} "
            f"(aldersgruppe {CARE_GROUPS[g].replace('_', '-')}), over 100 %; "
            f"reduser multiplikatoren (coverage would exceed 100 %)"
        )
    users = groups * scaled[None, :, :]
    out = {f"brukere_{g}": users[..., i] for i, g in enumerate(CARE_GROUPS)}
    out["brukere"] = users.sum(axis=-1)
    return out


def home_care(
    groups: np.ndarray, rates: np.ndarray, multiplier: float, kommuner: tuple[str, ...]
) -> dict[str, np.ndarray]:
    """Recipients of home-based services (SSB 04686/12292 definition)."""
    return apply_rates(groups, rates, multiplier, "hjemmetjenester", kommuner)
