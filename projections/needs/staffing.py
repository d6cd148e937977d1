"""Årsverk in pleie og omsorg: nurses per care user and all care årsverk per nurse.

Care users = home-service users + long-term institution residents (SSB's classic
"årsverk per brukar" denominator). Residents of 24-hour housing are not added: we assume they
are mostly counted as home-service recipients already (services in the home are recorded as
home services), so adding them would double count. This is an assumption, see docs/needs.md.
"""

from __future__ import annotations

import numpy as np


def care_staffing(
    home_users: np.ndarray,
    institution_users: np.ndarray,
    nurse_per_user: np.ndarray,
    total_per_nurse: float,
    multiplier: float,
) -> dict[str, np.ndarray]:
    """(Y, K) users -> care users, nurse årsverk and all care årsverk (Y, K).

    All care årsverk = the kommune's nurse årsverk x (national care årsverk / national nurse
    årsverk, 2023): it keeps the kommune's own staffing level per user and sums to the national
    total in 2023.
    """
    users = home_users + institution_users
    nurses = users * nurse_per_user[None, :] * multiplier
    return {
        "brukere": users,
        "arsverk_sykepleiere": nurses,
        "arsverk": nurses * total_per_nurse,
    }
