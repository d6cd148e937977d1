"""Whole persons and årsverk, and counts instead of percentages where the base is small.

Why: a projection is an expected value, so a kommune with four children aged 0-5 gets 2.9 ->
6.9 barnehage users and a headline "+93 % (80 %: -46 % to +596 %)". People and årsverk are
shown as whole numbers, and a change on a small base is told as counts ("fra 4 til 8 barn").

The rule for "small": the counting noise of a count n is about sqrt(n) (Poisson), so a
percentage change on base n carries a noise of about 100 / sqrt(n) % from the base alone;
below n = 100 that exceeds 10 %, as large as most projected changes. ``SMALL_BASE`` = 100.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SMALL_BASE = 100.0  # below this many persons (or årsverk) headlines give counts, not %


def whole(x: np.ndarray | float) -> np.ndarray:
    """Round to whole numbers, halves away from zero (NaN stays NaN; -0 becomes 0)."""
    a = np.asarray(x, dtype=np.float64)
    out = np.sign(a) * np.floor(np.abs(a) + 0.5)
    return out + 0.0


def whole_interval(
    value: np.ndarray | float, lower: np.ndarray | float, upper: np.ndarray | float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Whole value and bounds with lower <= value <= upper kept after rounding (the bounds
    are floored / ceiled to the rounded value where rounding would cross it)."""
    v = whole(value)
    lo = np.minimum(whole(lower), v)
    hi = np.maximum(whole(upper), v)
    return v, lo, hi


def is_small_base(base: np.ndarray | float) -> np.ndarray:
    """True where a change on ``base`` should be told as counts."""
    return np.asarray(base, dtype=np.float64) < SMALL_BASE


@dataclass(frozen=True)
class Headline:
    """The numbers of one headline: counts (whole) always, percentages unless the base is
    small. ``kind`` is "count" ("fra 4 til 8 barn (80 %: 2 til 14)") or "percent"."""

    kind: str
    base: float
    value: float
    lower: float | None
    upper: float | None
    change_pct: float | None
    lower_pct: float | None
    upper_pct: float | None


def headline(
    base: float, value: float, lower: float | None = None, upper: float | None = None
) -> Headline:
    """Headline numbers for a change from ``base`` to ``value`` (with an optional interval)."""
    b = float(whole(base))
    if lower is None or upper is None:
        v, lo, hi = float(whole(value)), None, None
    else:
        v, lo, hi = (float(x) for x in whole_interval(value, lower, upper))
    if bool(is_small_base(base)) or b == 0:
        return Headline("count", b, v, lo, hi, None, None, None)

    def pct(x: float | None) -> float | None:
        return None if x is None else 100.0 * (x / float(base) - 1.0)

    # percentages from the unrounded figures (rounding a large base changes nothing visible)
    return Headline(
        "percent",
        b,
        v,
        lo,
        hi,
        pct(float(value)),
        pct(None if lower is None else float(lower)),
        pct(None if upper is None else float(upper)),
    )
