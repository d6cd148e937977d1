"""Old kommune numbers and names in links: lead to today's kommune, and say why.

A bookmark from before the 2020 reform (``/kommune/0219``) or a name typed into the address
(``/kommune/bodø``) should not end on "fant ikke". Old numbers come from the catalogue's
historic-code mapping (``kommune_mapping``, codes valid in 2005 or later); a renumbered or
merged kommune redirects (HTTP 302) to today's kommune with ``fra=<old number>``, and the page
then explains it. A kommune that was split between several kommuner is not redirected: the
"fant ikke" page lists the kommuner it is part of today.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from urllib.parse import unquote

from data_sources import catalogue, fold

FIRST_YEAR = 2005  # the population history starts here
CODE = re.compile(r"^\d{4}$")


@dataclass(frozen=True)
class OldCode:
    """What became of a kommune number that is no longer in use."""

    old: str
    targets: tuple[str, ...]  # today's kommune(r)
    since: int  # first year under today's structure
    merged: bool  # True: today's kommune also took in other old kommuner

    @property
    def split(self) -> bool:
        return len(self.targets) > 1


@cache
def _old_codes() -> dict[str, OldCode]:
    cat = catalogue()
    full = cat.mapping
    m = full[(full["last_year"] >= FIRST_YEAR) & (full["original_code"] != full["code_2024"])]
    out: dict[str, OldCode] = {}
    for old, rows in m.groupby("original_code"):
        old = str(old)
        if old in cat:  # still a valid number today (mapping rows for earlier periods)
            continue
        targets = tuple(sorted(set(rows["code_2024"].astype(str))))
        first, last = int(rows["first_year"].min()), int(rows["last_year"].max())
        # merged: another number in use at the same time went into the same kommune
        # (successive renumberings such as 0219 -> 3024 -> 3201 do not overlap in time)
        others = full[
            full["code_2024"].isin(targets)
            & (full["original_code"] != old)
            & (full["first_year"] < last)
            & (full["last_year"] > first)
        ]
        out[old] = OldCode(old, targets, last + 1, bool(len(others)))
    return out


def old_code(code: str) -> OldCode | None:
    """The fate of an old kommune number (None when it is current or unknown)."""
    return _old_codes().get(str(code).strip())


@cache
def _names() -> dict[str, tuple[str, ...]]:
    """Folded name -> region codes (kommuner and fylker, with and without Sami/Kven forms)."""
    out: dict[str, list[str]] = {}
    for r in catalogue().regions():
        if r.level == "norge":
            continue
        for name in {r.name, r.name_official}:
            out.setdefault(fold(name or ""), []).append(r.code)
    return {k: tuple(dict.fromkeys(v)) for k, v in out.items() if k}


def by_name(text: str) -> str | None:
    """Today's region code for a name typed into the address ("bodø", "B%C3%A6rum")."""
    key = fold(decoded(text).replace("-", " ").replace("_", " "))
    hits = _names().get(key) or _names().get(fold(decoded(text))) or ()
    kommuner = [h for h in hits if len(h) == 4]
    if len(kommuner) == 1:  # "Oslo" is both a kommune and a fylke: the kommune
        return kommuner[0]
    return hits[0] if len(hits) == 1 else None


def same_name(text: str) -> tuple[str, ...]:
    """All region codes whose name is ``text`` (two kommuner are called Herøy)."""
    return _names().get(fold(decoded(text))) or ()


def decoded(text: str) -> str:
    """The address part as a person wrote it: «bodø», not «bod%C3%B8» (shortened)."""
    return unquote(str(text or ""))[:60]


def redirect_code(code: str) -> tuple[str, str | None] | None:
    """(today's code, old number for the notice or None) for a code in a link, else None."""
    text = decoded(code).strip()
    oc = old_code(text)
    if oc is not None:
        return (oc.targets[0], oc.old) if not oc.split else None
    if CODE.match(text) or text in catalogue():
        return None
    hit = by_name(text)
    return (hit, None) if hit else None
