"""Load and validate the sourced default coefficients (coefficients.toml).

Every default number the needs model uses that describes the world lives in that file with its
source and the year it describes, so a reader can check each one against the publication.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

COEFFICIENTS_PATH = Path(__file__).with_name("coefficients.toml")
REQUIRED_FIELDS = ("name", "value", "unit", "year", "source", "description")


class CoefficientError(ValueError):
    """The coefficients file is malformed (missing source, year, duplicate name ...)."""


@dataclass(frozen=True)
class Coefficient:
    name: str
    value: float
    unit: str
    year: int
    source: str
    description: str


def parse_coefficients(text: str) -> dict[str, Coefficient]:
    """Parse TOML text into coefficients, refusing any entry without a source or a year."""
    data = tomllib.loads(text)
    out: dict[str, Coefficient] = {}
    for i, entry in enumerate(data.get("coefficient", [])):
        missing = [f for f in REQUIRED_FIELDS if f not in entry or entry[f] in ("", None)]
        if missing:
            raise CoefficientError(
                f"Koeffisient nr. {i + 1} mangler {', '.join(missing)} "
                f"(coefficient #{i + 1} lacks {', '.join(missing)})"
            )
        name = str(entry["name"])
        if name in out:
            raise CoefficientError(f"Koeffisienten {name!r} er oppgitt to ganger (duplicate)")
        year = entry["year"]
        if not isinstance(year, int) or not 1900 <= year <= 2100:
            raise CoefficientError(f"Koeffisienten {name!r} har ugyldig år {year!r}")
        value = entry["value"]
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise CoefficientError(f"Koeffisienten {name!r} har ugyldig verdi {value!r}")
        out[name] = Coefficient(
            name=name,
            value=float(value),
            unit=str(entry["unit"]),
            year=year,
            source=str(entry["source"]),
            description=str(entry["description"]),
        )
    if not out:
        raise CoefficientError("Koeffisientfila er tom (no coefficients found)")
    return out


@lru_cache(maxsize=1)
def load_coefficients() -> dict[str, Coefficient]:
    """The repository's default coefficients, parsed once."""
    return parse_coefficients(COEFFICIENTS_PATH.read_text(encoding="utf-8"))


def value(name: str) -> float:
    """Value of one default coefficient by name."""
    return load_coefficients()[name].value
