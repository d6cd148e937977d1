"""Scenario codes in the style of SSB's alternatives, and user overrides.

A code has four letters: fertility (L/M/H), life expectancy (L/M/H), domestic migration
(M = as observed, K = constant, the same as M here, 0 = none) and immigration (L/M/H/0).
These are *our* assumptions, only named like SSB's alternatives; the numbers are not SSB's.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# Fertility: change in TFR from the jump-off level, reached linearly over 10 years.
TFR_CHANGE = {"L": -0.20, "M": 0.0, "H": 0.30}
# Life expectancy: multiplier on the fitted yearly mortality decline (M = trend continues).
MORTALITY_MULTIPLIER = {"L": 0.5, "M": 1.0, "H": 1.5}
# Domestic migration: multiplier on the observed domestic pattern.
DOMESTIC = {"M": 1.0, "K": 1.0, "0": 0.0}
# Immigration: multiplier on the observed national net international migration.
IMMIGRATION = {"L": 0.5, "M": 1.0, "H": 1.5, "0": 0.0}

SCENARIOS: dict[str, str] = {
    "MMMM": "Hovedalternativet: middels fruktbarhet, levealder, innenlands flytting og innvandring",
    "LLML": "Lav nasjonal vekst: lav fruktbarhet, lav levealder, lav innvandring",
    "HHMH": "Høy nasjonal vekst: høy fruktbarhet, høy levealder, høy innvandring",
    "MMML": "Lav innvandring",
    "MMMH": "Høy innvandring",
    "LHML": "Sterk aldring: lav fruktbarhet, høy levealder, lav innvandring",
    "HLMH": "Svak aldring: høy fruktbarhet, lav levealder, høy innvandring",
    "MMM0": "Ingen netto innvandring",
    "MM00": "Ingen flytting: verken innenlands flytting eller innvandring",
    "MMKM": "Konstant innenlands flytting (samme som MMMM her)",
    "LMML": "Lav fruktbarhet og lav innvandring",
    "HMMH": "Høy fruktbarhet og høy innvandring",
    "SSB": "SSB-nivå: våre kommunetall, med nasjonal fruktbarhet, dødelighet og innvandring "
    "kalibrert til SSBs hovedalternativ (14746 MMMM) for Norge etter aldersgruppe",
}
# Old-age mortality (issue 18 item 5): the central case leaves the pandemic years 2020-2023 out
# of the improvement trend (docs/method.md, "Old-age mortality"); the named alternative keeps
# them in, so improvement at old ages is slower. A code with the suffix "-P" (e.g. "MMMM-P") is
# the same scenario under the alternative; ``MORTALITY_ALTERNATIVES`` lists the offered ones.
PANDEMIC_SUFFIX = "-P"
MORTALITY_TRENDS = {
    "pre-pandemic": "Bedring i dødeligheten som i 2000-2019 (pandemiårene 2020-2023 utenfor "
    "trenden)",
    "with-pandemic": "Langsommere bedring i dødeligheten for eldre: pandemiårene 2020-2023 med i "
    "trenden (2004-2023)",
}
MORTALITY_ALTERNATIVES: dict[str, str] = {
    "MMMM-P": "Hovedalternativet med langsommere bedring i dødeligheten for eldre (pandemiårene "
    "2020-2023 med i dødelighetstrenden)",
}
# Codes that are not four letters: calibrated scenarios (projections.ssb_scenario). "SSB" takes
# all three calibrated national parts; "SSB-I" (immigration only) and "SSB-IF" (immigration and
# fertility) are the steps of the decomposition in projections.ssb_decomposition (not offered).
CALIBRATED = {"SSB": "IFM", "SSB-I": "I", "SSB-IF": "IF"}


class InvalidScenarioError(ValueError):
    """An unknown scenario code; the message (Norwegian first) lists the valid codes."""

    def __init__(self, code: object) -> None:
        self.code = code
        valid = ", ".join(SCENARIOS)
        super().__init__(
            f"Ugyldig scenariokode {code!r}. Gyldige koder: {valid} (eller fire bokstaver: "
            "fruktbarhet L/M/H, levealder L/M/H, innenlands flytting M/K/0, innvandring "
            f"L/M/H/0; tillegget {PANDEMIC_SUFFIX} gir langsommere bedring i dødeligheten for "
            f"eldre). / Invalid scenario code {code!r}."
        )

    def __str__(self) -> str:
        return str(self.args[0])


class InvalidOverridesError(ValueError):
    """An impossible user assumption (message in Norwegian first, then English)."""

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True)
class Scenario:
    code: str
    fertility: str
    mortality: str
    domestic: str
    immigration: str
    calibrated: bool = False  # national assumptions solved to match SSB (code "SSB")
    parts: str = ""  # calibrated parts: I immigration, F fertility, M mortality
    mortality_trend: str = "pre-pandemic"  # a key of MORTALITY_TRENDS (suffix "-P")

    @property
    def tfr_change(self) -> float:
        return TFR_CHANGE[self.fertility]

    @property
    def mortality_multiplier(self) -> float:
        return MORTALITY_MULTIPLIER[self.mortality]

    @property
    def domestic_multiplier(self) -> float:
        return DOMESTIC[self.domestic]

    @property
    def immigration_multiplier(self) -> float:
        return IMMIGRATION[self.immigration]

    @property
    def canonical(self) -> str:
        """K behaves as M, so MMKM and MMMM share one cached projection."""
        if self.calibrated:
            return self.code
        suffix = PANDEMIC_SUFFIX if self.mortality_trend == "with-pandemic" else ""
        letters = self.fertility + self.mortality + self.domestic.replace("K", "M")
        return letters + self.immigration + suffix


def parse_scenario(code: object) -> Scenario:
    """Validate a scenario code (case-insensitive) or raise ``InvalidScenarioError``."""
    if not isinstance(code, str):
        raise InvalidScenarioError(code)
    c = code.strip().upper()
    trend = "pre-pandemic"
    if c.endswith(PANDEMIC_SUFFIX) and c not in CALIBRATED:
        c, trend = c[: -len(PANDEMIC_SUFFIX)], "with-pandemic"
        if c in CALIBRATED:  # the calibrated scenarios have SSB's mortality
            raise InvalidScenarioError(code)
    if c in CALIBRATED:  # fitted model as in MMMM, national assumptions calibrated
        return Scenario(c, "M", "M", "M", "M", calibrated=True, parts=CALIBRATED[c])
    if (
        len(c) != 4
        or c[0] not in TFR_CHANGE
        or c[1] not in MORTALITY_MULTIPLIER
        or c[2] not in DOMESTIC
        or c[3] not in IMMIGRATION
    ):
        raise InvalidScenarioError(code)
    full = c + (PANDEMIC_SUFFIX if trend == "with-pandemic" else "")
    return Scenario(full, c[0], c[1], c[2], c[3], mortality_trend=trend)


TFR_RANGE = (0.5, 4.0)
E0_CHANGE_RANGE = (-10.0, 15.0)
MIGRATION_RANGE = (0.0, 5.0)


@dataclass(frozen=True)
class Overrides:
    """User assumptions that replace the scenario's letter values (None = keep the scenario).

    tfr: target total fertility rate, reached linearly over 10 years from the base year.
    e0_change_2050: change in life expectancy at birth (years, both sexes) from the base year to
        2050; the mortality trend is rescaled to hit it.
    migration_multiplier: multiplies all net migration (international and domestic).
    """

    tfr: float | None = None
    e0_change_2050: float | None = None
    migration_multiplier: float | None = None

    def __post_init__(self) -> None:
        def check(name_nb: str, name_en: str, value: float | None, lo: float, hi: float) -> None:
            if value is None:
                return
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise InvalidOverridesError(
                    f"{name_nb} må være et tall, fikk {value!r}. / {name_en} must be a number."
                )
            if not math.isfinite(value) or not lo <= value <= hi:

                def nb(x: float) -> str:  # Norwegian decimal comma
                    return f"{x:g}".replace(".", ",")

                raise InvalidOverridesError(
                    f"{name_nb} må være mellom {nb(lo)} og {nb(hi)}, fikk {nb(value)}. / "
                    f"{name_en} must be between {lo:g} and {hi:g}, got {value:g}."
                )

        check("Samlet fruktbarhet (TFR)", "Total fertility rate", self.tfr, *TFR_RANGE)
        check(
            "Endring i forventet levealder til 2050 (år)",
            "Life expectancy change by 2050 (years)",
            self.e0_change_2050,
            *E0_CHANGE_RANGE,
        )
        check(
            "Flyttemultiplikator",
            "Migration multiplier",
            self.migration_multiplier,
            *MIGRATION_RANGE,
        )

    @property
    def empty(self) -> bool:
        return (
            self.tfr is None and self.e0_change_2050 is None and self.migration_multiplier is None
        )
