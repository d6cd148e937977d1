"""Heldøgns omsorg: long-term institution residents plus residents of 24-hour housing.

Institution residents have their own age groups (SSB 11645). 24-hour housing (Y_2_ialt) is
all ages only; its age profile is the national 2008 care-housing profile (see calibration).
"""

from __future__ import annotations

import numpy as np

from projections.needs.home_care import apply_rates


def institution(
    groups: np.ndarray,
    rates: np.ndarray,
    multiplier: float,
    kommuner: tuple[str, ...],
    path: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """Long-term residents in institutions (langtidsopphold), users by age group."""
    return apply_rates(groups, rates, multiplier, "langtidsopphold i institusjon", kommuner, path)


def housing(
    groups: np.ndarray,
    rates: np.ndarray,
    multiplier: float,
    kommuner: tuple[str, ...],
    path: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """Residents of housing with 24-hour staffing (bolig med heldøgns bemanning)."""
    return apply_rates(groups, rates, multiplier, "bolig med heldøgns bemanning", kommuner, path)


def round_the_clock(
    inst: dict[str, np.ndarray], house: dict[str, np.ndarray]
) -> dict[str, np.ndarray]:
    """All 24-hour care = institution + 24-hour housing, by the same measures."""
    return {m: inst[m] + house[m] for m in inst}
