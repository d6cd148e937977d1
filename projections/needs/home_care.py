"""Hjemmetjenester: users by age group from calibrated kommune-specific rates."""

from __future__ import annotations

import numpy as np

from projections.needs.ages import FINE_GROUPS
from projections.needs.assumptions import NeedsAssumptionError


def apply_rates(
    groups: np.ndarray,
    rates: np.ndarray,
    multiplier: float,
    label: str,
    kommuner: tuple[str, ...],
    path: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """groups (Y, K, 4) persons x rates (K, 4) users per person -> users by group and total.

    `path` (Y, 4) or (Y, K, 4) is the usage path's factor on the rates per year (kommune) and
    age group (None = 1, "dagens standard"). Groups: 0-66, 67-79, 80-89, 90+; brukere_80p = 80-89 + 90+.
    """
    scaled = rates * multiplier
    if (scaled > 1.0 + 1e-12).any():
        k, g = np.argwhere(scaled > 1.0 + 1e-12)[0]
        raise NeedsAssumptionError(
            f"Dekningsgraden for {label} blir {scaled[k, g]:.0%} i kommune {kommuner[k]} "
            f"(aldersgruppe {FINE_GROUPS[g].replace('_', '-')}), over 100 %; "
            f"reduser multiplikatoren (coverage would exceed 100 %)"
        )
    users = groups * scaled[None, :, :]
    if path is not None:
        users = users * (path if path.ndim == 3 else path[:, None, :])
    out = {f"brukere_{g}": users[..., i] for i, g in enumerate(FINE_GROUPS)}
    out["brukere_80p"] = users[..., 2] + users[..., 3]
    out["brukere"] = users.sum(axis=-1)
    return out


def home_care(
    groups: np.ndarray,
    rates: np.ndarray,
    multiplier: float,
    kommuner: tuple[str, ...],
    path: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """Recipients of home-based services (SSB 04686/12292 definition)."""
    return apply_rates(groups, rates, multiplier, "hjemmetjenester", kommuner, path)
