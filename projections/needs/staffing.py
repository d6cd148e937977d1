"""Årsverk in pleie og omsorg: care intensity by service, the kommune's level, all care årsverk.

Nurse årsverk = the kommune's level x (b_inst x institution residents + b_house x residents of
24-hour housing + b_home x home-service users), with b the nurse årsverk per user of each
service from the kommune cross-section (care_intensity.py) and the level = observed / fitted
nurse årsverk in the base year (so the base year is reproduced and growth follows the mix of
services). All care årsverk = nurse årsverk x (SSB's national care årsverk / nurse årsverk,
2023). Care users ("brukere") stay home-service users + institution residents, SSB's classic
denominator; 24-hour-housing residents enter the årsverk through their own intensity.
"""

from __future__ import annotations

import numpy as np


def care_staffing(
    home_users: np.ndarray,
    institution_users: np.ndarray,
    housing_users: np.ndarray,
    intensity: np.ndarray,
    level: np.ndarray,
    total_per_nurse: float,
    multiplier: float,
) -> dict[str, np.ndarray]:
    """(Y, K) users per service -> care users, nurse årsverk, all care årsverk and by service.

    intensity = nurse årsverk per user (institution, 24-hour housing, home services); level (K,).
    """
    k = level[None, :] * multiplier
    by_service = {
        "institusjon": institution_users * intensity[0] * k,
        "bolig_heldogn": housing_users * intensity[1] * k,
        "hjemmetjenester": home_users * intensity[2] * k,
    }
    nurses = by_service["institusjon"] + by_service["bolig_heldogn"] + by_service["hjemmetjenester"]
    out = {
        "brukere": home_users + institution_users,
        "arsverk_sykepleiere": nurses,
        "arsverk": nurses * total_per_nurse,
    }
    for service, arr in by_service.items():
        out[f"arsverk_{service}"] = arr * total_per_nurse
    return out
