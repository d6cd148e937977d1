"""Årsverk in pleie og omsorg: nurse årsverk and all care årsverk by service, per kommune.

Nurse årsverk = the kommune's observed nurse level x (b_inst x institution residents + b_house x
residents of 24-hour housing + b_home x home-service users), with b from the kommune
cross-section (care_intensity.py): the base year's nurse årsverk are reproduced. All care
årsverk = users x the kommune's own care årsverk per user of each service (care_levels.py:
its nurse level and home-care hours, shrunk toward kommuner of its size, scaled so the 2023
users give SSB's 157 076 årsverk). Care users ("brukere") stay home-service users +
institution residents, SSB's classic denominator.
"""

from __future__ import annotations

import numpy as np


def care_staffing(
    home_users: np.ndarray,
    institution_users: np.ndarray,
    housing_users: np.ndarray,
    intensity: np.ndarray,
    level: np.ndarray,
    arsverk_per_user: np.ndarray,
    multiplier: float,
    intensity_path: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """(Y, K) users per service -> care users, nurse årsverk, all care årsverk and by service.

    Nurse årsverk: national intensity (institution, 24-hour housing, home) x the kommune's
    observed nurse level (reproduces the base year). All care årsverk: arsverk_per_user (K, 3),
    the kommune's own intensity shrunk by size and scaled to SSB's 2023 total (care_levels.py).
    intensity_path (Y,) scales årsverk per user over time (the policy path's intensity trend).
    """
    if intensity_path is not None:
        multiplier = np.asarray(intensity_path, dtype=float)[:, None] * multiplier
    k = level[None, :] * multiplier
    nurses = (
        institution_users * intensity[0] + housing_users * intensity[1] + home_users * intensity[2]
    ) * k
    by_service = {
        "institusjon": institution_users * arsverk_per_user[None, :, 0] * multiplier,
        "bolig_heldogn": housing_users * arsverk_per_user[None, :, 1] * multiplier,
        "hjemmetjenester": home_users * arsverk_per_user[None, :, 2] * multiplier,
    }
    out = {
        "brukere": home_users + institution_users,
        "arsverk_sykepleiere": nurses,
        "arsverk": by_service["institusjon"]
        + by_service["bolig_heldogn"]
        + by_service["hjemmetjenester"],
    }
    for service, arr in by_service.items():
        out[f"arsverk_{service}"] = arr
    return out
