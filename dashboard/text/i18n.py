"""UI text in bokmål (default), nynorsk and English.

Catalogs are flat JSON files: ``locales/<lang>.json`` plus any topic files
``locales/<lang>/<topic>.json`` (one per feature area, so features do not all edit one file).
A key may be defined once per language; every key must exist in all three (a test checks this). ``t()`` never raises on a missing key in production: it falls back to bokmål and then to
the key itself, so a forgotten translation shows up as visible text rather than a traceback.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

LANGS: tuple[str, ...] = ("nb", "nn", "en")
DEFAULT_LANG = "nb"
LOCALE_DIR = Path(__file__).resolve().parent / "locales"
BABEL_LOCALE = {"nb": "nb_NO", "nn": "nn_NO", "en": "en"}


@cache
def catalog(lang: str) -> dict[str, str]:
    """The catalog for one language (cached; the files are read once per process)."""
    merged: dict[str, str] = {}
    for path in catalog_files(lang):
        with open(path, encoding="utf-8") as fh:
            part = json.load(fh)
        clash = sorted(set(part) & set(merged))
        if clash:
            raise ValueError(f"{path.name}: keys defined twice for {lang}: {', '.join(clash[:5])}")
        merged.update(part)
    return merged


def catalog_files(lang: str) -> list[Path]:
    """The main catalog file for ``lang`` followed by its topic files, in name order."""
    return [LOCALE_DIR / f"{lang}.json", *sorted((LOCALE_DIR / lang).glob("*.json"))]


def normalise_lang(lang: Any) -> tuple[str, bool]:
    """Return (language, was_valid). Unknown or missing values fall back to bokmål."""
    if lang is None or lang == "":
        return DEFAULT_LANG, True
    value = str(lang).strip().lower()
    if value in LANGS:
        return value, True
    if value in {"no", "nob"}:
        return "nb", True
    if value == "nno":
        return "nn", True
    return DEFAULT_LANG, False


def t(key: str, lang: str = DEFAULT_LANG, **kwargs: Any) -> str:
    """Translate ``key`` and fill ``{placeholders}`` from ``kwargs``."""
    text = catalog(lang if lang in LANGS else DEFAULT_LANG).get(key)
    if text is None:
        text = catalog(DEFAULT_LANG).get(key, key)
    if kwargs:
        try:
            return text.format(**kwargs)
        except (KeyError, IndexError, ValueError):
            return text
    return text
