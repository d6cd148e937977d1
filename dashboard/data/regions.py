"""Regions for the pages: look-ups that never raise, names in the page's language, the
kommuner of a fylke, similar kommuner, and the map's boundaries (© Kartverket)."""

from __future__ import annotations

import json
import math
from functools import lru_cache
from typing import Any

import numpy as np

from data_sources import UnknownRegionError, catalogue, read_table


# -- regions ---------------------------------------------------------------------------------
def region_or_none(code: Any) -> Any:
    """The catalogue region for ``code`` or None (never raises)."""
    if code is None or not isinstance(code, str | int) or isinstance(code, bool):
        return None
    text = str(code)
    if len(text) > 8:  # the longest code is 4 digits; do not search long input
        return None
    try:
        return catalogue().get(text)
    except UnknownRegionError:
        return None


def region_name(code: str, lang: str = "nb") -> str:
    region = region_or_none(code)
    if region is None:
        return str(code)
    if region.level == "norge":
        return {"nb": "Hele landet", "nn": "Heile landet", "en": "Norway"}.get(lang, region.name)
    return region.name_official  # as SSB writes it: "Kárášjohka - Karasjok", Kven forms too


@lru_cache(maxsize=1)
def kommune_index() -> dict[str, int]:
    return {c: i for i, c in enumerate(catalogue().kommune_codes)}


@lru_cache(maxsize=512)
def region_members(code: str) -> np.ndarray:
    """Positions (in catalogue order) of the kommuner making up a region."""
    idx = kommune_index()
    return np.array([idx[c] for c in catalogue().kommuner_in(code)], dtype=int)


# -- map -------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def geojson_kommuner() -> dict[str, Any]:
    """Kartverket kommune boundaries as a FeatureCollection with id = kommune number."""
    geo = read_table("geo_kommuner")
    features = [
        {
            "type": "Feature",
            "id": str(r.code),
            "properties": {"name": r.name},
            "geometry": json.loads(r.geometry),
        }
        for r in geo.itertuples()
    ]
    return {"type": "FeatureCollection", "features": features}


@lru_cache(maxsize=1)
def geojson_text() -> str:
    return json.dumps(geojson_kommuner(), separators=(",", ":"))


def similar_regions(code: str, n_fylke: int = 3, n_size: int = 3) -> list[str]:
    """Kommuner like ``code``: nearest in size within the fylke, then nearest in size nationwide."""
    cat = catalogue()
    region = region_or_none(code)
    if region is None or region.level != "kommune":
        return ["0301", "4601", "5001", "1103"][: n_fylke + n_size]
    size = region.population_2026
    others = [k for k in cat.kommuner if k.code != code]
    same = sorted(
        (k for k in others if k.fylke_code == region.fylke_code),
        key=lambda k: abs(math.log(max(k.population_2026, 1) / max(size, 1))),
    )[:n_fylke]
    chosen = {k.code for k in same}
    alike = sorted(
        (k for k in others if k.code not in chosen and k.fylke_code != region.fylke_code),
        key=lambda k: abs(math.log(max(k.population_2026, 1) / max(size, 1))),
    )[:n_size]
    return [k.code for k in (*same, *alike)]


def picker_regions() -> tuple[Any, ...]:
    """Norway, the 15 fylker and the 357 kommuner, in the catalogue's order."""
    return tuple(catalogue().regions())


def largest_kommuner(n: int) -> list[Any]:
    """The ``n`` kommuner with most inhabitants on 1 January 2026."""
    return sorted(catalogue().kommuner, key=lambda r: -r.population_2026)[:n]


DEFAULT_SUGGESTIONS = ("0", "0301", "4601", "5001", "1804")


def suggest_regions(text: str) -> list[Any]:
    """Regions whose name or number is close to ``text``; Norway and the four largest cities
    when nothing is."""
    found = catalogue().suggest(text) if text else []
    return found or [catalogue().get(c) for c in DEFAULT_SUGGESTIONS]
