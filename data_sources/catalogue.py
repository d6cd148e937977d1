"""Kommune catalogue: the 357 kommuner of the 2024 structure, the 15 fylker and Norway.

Region codes follow SSB: ``"0"`` is Norway (Hele landet), two digits a fylke, four a kommune.
Lookup by code or by name is case- and accent-insensitive, so "tromso", "Romsa" and
"5501" all find Tromsø - Romsa - Tromssa.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from data_sources.store_read import read_table

NORWAY_CODE = "0"
NORWAY_NAME = {"nb": "Hele landet", "nn": "Heile landet", "en": "Norway"}

_FOLD = str.maketrans({"ø": "o", "æ": "ae", "ŋ": "n", "đ": "d", "ŧ": "t", "ß": "ss"})


def fold(text: str) -> str:
    """Lower-case, strip accents and fold Norwegian/Sami letters for matching."""
    text = text.casefold().translate(_FOLD)
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).strip()


class UnknownRegionError(LookupError):
    """A kommune or fylke number that does not exist in the 2024 structure."""

    def __init__(self, code: str, suggestions: list[Region]) -> None:
        self.code = code
        self.suggestions = suggestions
        hint = ", ".join(f"{r.code} {r.name}" for r in suggestions[:5])
        msg = f"Ukjent kommune- eller fylkesnummer: '{code}'"
        super().__init__(msg + (f". Mente du: {hint}?" if hint else "."))

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True)
class Region:
    code: str
    level: str  # "norge" | "fylke" | "kommune"
    name: str  # short name
    name_official: str  # SSB label with Sami/Kven forms
    fylke_code: str | None
    fylke_name: str | None
    population_2026: int

    @property
    def label(self) -> str:
        """What a dropdown shows: number and the official (multilingual) name."""
        return self.name_official if self.level == "norge" else f"{self.code} {self.name_official}"


class Catalogue:
    """Regions by code, with name search and historic-code harmonisation."""

    def __init__(self, kommuner: pd.DataFrame, mapping: pd.DataFrame) -> None:
        k = kommuner.sort_values("kommune_code")
        self._kommuner: dict[str, Region] = {
            r.kommune_code: Region(
                r.kommune_code,
                "kommune",
                r.name,
                r.name_official,
                r.fylke_code,
                r.fylke_name,
                int(r.population_2026),
            )
            for r in k.itertuples()
        }
        fylker = k.groupby(["fylke_code", "fylke_name", "fylke_name_official"], as_index=False)[
            "population_2026"
        ].sum()
        self._fylker: dict[str, Region] = {
            r.fylke_code: Region(
                r.fylke_code,
                "fylke",
                r.fylke_name,
                r.fylke_name_official,
                r.fylke_code,
                r.fylke_name,
                int(r.population_2026),
            )
            for r in fylker.itertuples()
        }
        total = int(k["population_2026"].sum())
        self.norway = Region(
            NORWAY_CODE, "norge", NORWAY_NAME["nb"], NORWAY_NAME["nb"], None, None, total
        )
        self._mapping = mapping

    # -- lookup -----------------------------------------------------------------------------
    @property
    def kommuner(self) -> list[Region]:
        return list(self._kommuner.values())

    @property
    def fylker(self) -> list[Region]:
        return list(self._fylker.values())

    @property
    def kommune_codes(self) -> list[str]:
        return list(self._kommuner)

    def regions(self) -> list[Region]:
        """Norway, then fylker, then kommuner: the order a picker shows them in."""
        return [self.norway, *self.fylker, *self.kommuner]

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and self._find(code) is not None

    def _find(self, code: str) -> Region | None:
        code = code.strip()
        if code == NORWAY_CODE:
            return self.norway
        return self._kommuner.get(code) or self._fylker.get(code)

    def get(self, code: str) -> Region:
        """Region by SSB code; unknown codes raise with name/number suggestions."""
        region = self._find(str(code))
        if region is None:
            raise UnknownRegionError(str(code), self.suggest(str(code)))
        return region

    def kommuner_in(self, code: str) -> list[str]:
        """Kommune codes making up a region (itself for a kommune)."""
        region = self.get(code)
        if region.level == "kommune":
            return [region.code]
        if region.level == "fylke":
            return [k.code for k in self.kommuner if k.fylke_code == region.code]
        return self.kommune_codes

    def search(self, text: str, limit: int = 10) -> list[Region]:
        """Regions whose number or any name form contains ``text`` (accent-insensitive)."""
        q = fold(text)
        if not q:
            return []
        hits = [
            r
            for r in self.regions()
            if q in r.code or q in fold(r.name_official) or q in fold(r.name)
        ]
        hits.sort(key=lambda r: (not fold(r.name).startswith(q), r.level != "kommune", r.code))
        return hits[:limit]

    def suggest(self, text: str, limit: int = 5) -> list[Region]:
        """Close matches for a mistyped number or name."""
        hits = self.search(text, limit)
        if hits:
            return hits
        keys = {fold(r.name): r for r in self.regions()} | {r.code: r for r in self.regions()}
        close = difflib.get_close_matches(fold(text), list(keys), n=limit, cutoff=0.6)
        return [keys[c] for c in close]

    # -- harmonisation ----------------------------------------------------------------------
    @property
    def mapping(self) -> pd.DataFrame:
        """The historic-code mapping (original_code, code_2024, weight, years, approximate)."""
        return self._mapping

    def code_2024(self, original_code: str, year: int) -> list[tuple[str, float]]:
        """The 2024 kommune(r) a historic code belonged to in ``year``, with weights."""
        m = self._mapping
        rows = m[
            (m["original_code"] == original_code)
            & (m["first_year"] <= year)
            & (m["last_year"] >= year)
        ]
        if rows.empty and original_code in self._kommuner:
            return [(original_code, 1.0)]
        return list(zip(rows["code_2024"], rows["weight"].astype(float), strict=True))

    def harmonise(
        self,
        df: pd.DataFrame,
        value_cols: list[str],
        code_col: str = "kommune_code",
        year_col: str = "year",
    ) -> pd.DataFrame:
        """Re-express a kommune table in the 2024 structure using the mapping weights.

        Counts are multiplied by the weight and summed per 2024 kommune; codes already
        valid in 2024 and not in the mapping pass through unchanged.
        """
        m = self._mapping
        # Identity rows of the latest structure stay valid after the mapping's last year
        # (no kommune changes took effect 2025-2026), so 2025+ data is not dropped.
        current = (m["original_code"] == m["code_2024"]) & (m["last_year"] == m["last_year"].max())
        m = m.assign(last_year=m["last_year"].where(~current, 9999))
        m = m.rename(columns={"original_code": code_col})
        merged = df.merge(m, on=code_col, how="left")
        in_range = merged["first_year"].isna() | (
            (merged[year_col] >= merged["first_year"]) & (merged[year_col] <= merged["last_year"])
        )
        merged = merged[in_range].copy()
        merged["code_2024"] = merged["code_2024"].fillna(merged[code_col])
        merged["weight"] = merged["weight"].fillna(1.0)
        unknown = sorted(set(merged["code_2024"]) - set(self._kommuner))
        if unknown:
            raise UnknownRegionError(unknown[0], [])
        for c in value_cols:
            merged[c] = merged[c] * merged["weight"]
        keys = [c for c in df.columns if c not in value_cols and c != code_col]
        out = merged.groupby(["code_2024", *keys], as_index=False, sort=True)[value_cols].sum()
        return out.rename(columns={"code_2024": code_col})


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    """The catalogue from the store (cached)."""
    return Catalogue(read_table("kommuner"), read_table("kommune_mapping"))


KOMMUNE_RE = re.compile(r"^\d{4}$")


def fylke_index(codes: list[str]) -> np.ndarray:
    """For each kommune code, the position of its fylke in ``catalogue().fylker``."""
    cat = catalogue()
    fylker = [f.code for f in cat.fylker]
    return np.array([fylker.index(cat.get(c).fylke_code) for c in codes])
