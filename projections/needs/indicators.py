"""Demographic and staffing-pressure indicators, from summed numerators and denominators."""

from __future__ import annotations

import numpy as np

# Population aggregates kept in NeedsResult for the indicators: name -> (lo, hi) ages.
POPULATION_GROUPS = {
    "folk_ialt": (0, 105),
    "folk_20_66": (20, 66),
    "folk_50_66": (50, 66),
    "folk_80p": (80, 105),
    "folk_85p": (85, 105),
}
STAFFED_SECTORS = ("barnehage", "grunnskole", "pleie_og_omsorg", "alle")


def ratio(num: np.ndarray, den: np.ndarray, factor: float = 1.0) -> np.ndarray:
    """num / den * factor with NaN where the denominator is zero."""
    num = np.asarray(num, dtype=float)
    den = np.asarray(den, dtype=float)
    out = np.full(np.broadcast_shapes(num.shape, den.shape), np.nan)
    np.divide(num * factor, den, out=out, where=den > 0)
    return out


def indicator_arrays(
    pop: dict[str, np.ndarray], arsverk: dict[str, np.ndarray]
) -> list[tuple[str, np.ndarray, str]]:
    """(indicator, (Y, R) values, unit) from summed population groups and sector årsverk.

    Changes are relative to the first year (the projection's base year).
    """
    out: list[tuple[str, np.ndarray, str]] = [
        (
            "forsorgerbrok_20_66_per_80p",
            ratio(pop["folk_20_66"], pop["folk_80p"]),
            "personer 20-66 per person 80+",
        ),
        (
            "omsorgskoeffisient_50_66_per_85p",
            ratio(pop["folk_50_66"], pop["folk_85p"]),
            "personer 50-66 per person 85+",
        ),
    ]
    for sector in STAFFED_SECTORS:
        level = ratio(arsverk[sector], pop["folk_20_66"], 1000.0)
        out.append((f"bemanningspress_{sector}", level, "årsverk per 1000 personer 20-66"))
        out.append(
            (
                f"bemanningspress_{sector}_endring",
                level - level[:1],
                "endring i årsverk per 1000 personer 20-66 fra basisåret",
            )
        )
    out.append(
        (
            "andel_20_66_i_pleie_og_omsorg",
            ratio(arsverk["pleie_og_omsorg"], pop["folk_20_66"], 100.0),
            "prosent (årsverk i pleie og omsorg / personer 20-66)",
        )
    )
    return out
