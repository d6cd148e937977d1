"""User-editable assumptions of the needs model (frozen and hashable, so callers can cache).

Defaults reproduce today's standard: observed coverage and staffing per user, today's staffing
in barnehage and grunnskole from the published national figures (the legal norms are presets). Numbers without a published source in our data (public-school
share, "actual" teacher ratios) are explicit assumptions here, never hidden coefficients.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

MAX_MULTIPLIER = 5.0
# "dagens" = today's staffing (published national figures, the default); "lovkrav" = the legal
# norm; "egen" = the user's own ratios. "norm" and "actual" are the older names, still accepted.
TEACHER_PRESETS = ("dagens", "lovkrav", "egen")
BARNEHAGE_PRESETS = ("dagens", "lovkrav")
PRESET_ALIASES = {"norm": "lovkrav", "actual": "egen"}
USAGE_PATHS = ("today", "trend")  # "dagens standard", "lavere dekning som 2015-2025" (usage.py)


class NeedsAssumptionError(ValueError):
    """An impossible assumption (coverage above 100 %, negative or huge multiplier ...).

    The message is Norwegian first, with an English translation in parentheses.
    """


@dataclass(frozen=True)
class Assumptions:
    """Assumptions per sector. All multipliers are relative to today's standard (1.0).

    barnehage_coverage: share in barnehage for ages 0..5 (six values); None = Udir 2016 defaults.
    barnehage_staffing_preset: "dagens" (the norm x the actual-staffing factor from the published
        national figures, see actual_staffing.py) or "lovkrav" (exactly the legal norm).
    barnehage_staffing_multiplier: scales the chosen barnehage preset.
    grunnskole_public_share: share of children 6-15 in public school. Default 1.0 is an
        assumption (no sourced share in our data): set your kommune's share.
    teacher_preset: "dagens" (pupils per teaching årsverk, GSI 2019/20), "lovkrav" (lærernormen
        15/20) or "egen" (your own pupils per teacher, actual_pupils_per_teacher_1_4 / _5_10).
    *_coverage_multiplier: scales the kommune's calibrated usage rates (1.0 = today's rates).
    care_staffing_multiplier: scales årsverk per care user (nurses and all care årsverk).
    rate_window_years: number of recent panel years averaged for the age structure of rates.
    usage_path: "today" ("dagens standard": today's usage rates held) or "trend" ("lavere
        dekning som 2015-2025": the damped national fall of 2015-2025, carried per kommune
        toward a floor, with the observed intensity trend on årsverk per user; usage.py).
    trend_damping: damping phi of the trend path, 0-1; None = the damping the needs backtest
        chooses (backtest.py).
    """

    barnehage_coverage: tuple[float, ...] | None = None
    barnehage_coverage_multiplier: float = 1.0
    barnehage_staffing_multiplier: float = 1.0
    grunnskole_public_share: float = 1.0
    teacher_preset: str = "dagens"
    actual_pupils_per_teacher_1_4: float | None = None
    actual_pupils_per_teacher_5_10: float | None = None
    grunnskole_staffing_multiplier: float = 1.0
    home_care_coverage_multiplier: float = 1.0
    institution_coverage_multiplier: float = 1.0
    housing_coverage_multiplier: float = 1.0
    care_staffing_multiplier: float = 1.0
    rate_window_years: int = 3
    barnehage_staffing_preset: str = "dagens"
    usage_path: str = "today"
    trend_damping: float | None = None

    def __post_init__(self) -> None:
        for name in ("teacher_preset", "barnehage_staffing_preset"):
            v = getattr(self, name)
            if isinstance(v, str) and v in PRESET_ALIASES:
                object.__setattr__(self, name, PRESET_ALIASES[v])
        for f in fields(self):
            if f.name.endswith("_multiplier"):
                _check_multiplier(f.name, getattr(self, f.name))
        _check_share("grunnskole_public_share", self.grunnskole_public_share)
        if self.barnehage_coverage is not None:
            cov = self.barnehage_coverage
            if not isinstance(cov, tuple) or len(cov) != 6:
                raise NeedsAssumptionError(
                    "barnehage_coverage må være en tuple med seks andeler (alder 0-5) "
                    "(must be a tuple of six shares, ages 0-5)"
                )
            for age, share in enumerate(cov):
                _check_share(f"barnehage_coverage[{age}]", share)
        for age, share in enumerate(self.barnehage_coverage_values()):
            if share * self.barnehage_coverage_multiplier > 1.0 + 1e-12:
                raise NeedsAssumptionError(
                    f"Dekningsgrad i barnehage for {age}-åringer blir "
                    f"{share * self.barnehage_coverage_multiplier:.0%}, over 100 % "
                    f"(kindergarten coverage at age {age} would exceed 100 %)"
                )
        if self.teacher_preset not in TEACHER_PRESETS:
            raise NeedsAssumptionError(
                f"Ukjent lærerforutsetning {self.teacher_preset!r}; velg 'dagens', 'lovkrav' "
                f"eller 'egen' (unknown teacher preset)"
            )
        if self.barnehage_staffing_preset not in BARNEHAGE_PRESETS:
            raise NeedsAssumptionError(
                f"Ukjent bemanningsforutsetning for barnehage {self.barnehage_staffing_preset!r};"
                f" velg 'dagens' eller 'lovkrav' (unknown kindergarten staffing preset)"
            )
        for name in ("actual_pupils_per_teacher_1_4", "actual_pupils_per_teacher_5_10"):
            v = getattr(self, name)
            if v is not None and (not _is_number(v) or not 1.0 <= v <= 100.0):
                raise NeedsAssumptionError(
                    f"{name} må være mellom 1 og 100 elever per lærer, fikk {v!r} "
                    f"(must be between 1 and 100 pupils per teacher)"
                )
        if self.teacher_preset == "egen" and (
            self.actual_pupils_per_teacher_1_4 is None
            or self.actual_pupils_per_teacher_5_10 is None
        ):
            raise NeedsAssumptionError(
                "Forutsetningen 'egen' krever at du oppgir egne tall for elever per lærer "
                "(actual_pupils_per_teacher_1_4 og _5_10) (the 'egen' preset needs your own "
                "pupils-per-teacher figures)"
            )
        self._check_usage()
        if (
            isinstance(self.rate_window_years, bool)
            or not isinstance(self.rate_window_years, int)
            or not 1 <= self.rate_window_years <= 10
        ):
            raise NeedsAssumptionError(
                f"rate_window_years må være et heltall 1-10, fikk {self.rate_window_years!r} "
                f"(must be an integer from 1 to 10)"
            )

    def _check_usage(self) -> None:
        if self.usage_path not in USAGE_PATHS:
            raise NeedsAssumptionError(
                f"Ukjent bruksbane {self.usage_path!r}; velg 'today' (dagens standard) eller "
                f"'trend' (lavere dekning som 2015-2025) (unknown usage path)"
            )
        d = self.trend_damping
        if d is not None and (not _is_number(d) or not 0.0 <= d <= 1.0):
            raise NeedsAssumptionError(
                f"trend_damping må være et tall mellom 0 og 1, fikk {d!r} "
                f"(damping must be between 0 and 1)"
            )

    def barnehage_coverage_values(self) -> tuple[float, ...]:
        """Coverage by age 0..5 before the multiplier (defaults from coefficients.toml)."""
        if self.barnehage_coverage is not None:
            return tuple(float(x) for x in self.barnehage_coverage)
        from projections.needs.coefficients import value

        return tuple(value(f"barnehage.coverage.age_{a}") for a in range(6))


def _is_number(v: object) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


def _check_multiplier(name: str, v: object) -> None:
    if not _is_number(v):
        raise NeedsAssumptionError(f"{name} må være et tall, fikk {v!r} (must be a number)")
    if v < 0:
        raise NeedsAssumptionError(
            f"{name} kan ikke være negativ ({v}) (multiplier cannot be negative)"
        )
    if v > MAX_MULTIPLIER:
        raise NeedsAssumptionError(
            f"{name} = {v} er urimelig høy; høyeste tillatte er {MAX_MULTIPLIER:g} "
            f"(multiplier above {MAX_MULTIPLIER:g} is not allowed)"
        )


def _check_share(name: str, v: object) -> None:
    if not _is_number(v):
        raise NeedsAssumptionError(f"{name} må være et tall, fikk {v!r} (must be a number)")
    if v < 0 or v > 1:
        raise NeedsAssumptionError(
            f"{name} = {v} må være en andel mellom 0 og 1 (0-100 %) (share must be between 0 and 1)"
        )
