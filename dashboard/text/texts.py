"""Plain-language sentences built from numbers ("… ventes å øke med 62 % fram til 2040")."""

from __future__ import annotations

import math

from dashboard.text.formatting import fmt_change, fmt_number, fmt_percent, pct_change
from dashboard.text.i18n import t
from projections.small_numbers import headline, is_small_base, whole

STABLE_PCT = 1.0  # changes smaller than this read as "stable"


def card_change(new: float, old: float, lang: str, count: bool = True) -> str:
    """The change column of a key card: a percentage, or for a count on a small base (under
    100 people, ``projections.small_numbers``) the change in whole persons ("+3 pers."),
    as the small-kommune note promises."""
    if count and bool(is_small_base(old)):
        n = float(whole(new) - whole(old))
        sign = "+" if n > 0 else ""
        return t("unc.card_count_change", lang, sign=sign, n=fmt_number(n, lang))
    return fmt_change(new, old, lang)


def direction(change_pct: float) -> str:
    if math.isnan(change_pct) or abs(change_pct) < STABLE_PCT:
        return "stable"
    return "up" if change_pct > 0 else "down"


def change_sentence(
    what_key: str,
    new: float,
    old: float,
    year: int,
    lang: str,
    interval: tuple[float, float] | None = None,
) -> str:
    """'Antall innbyggere 80 år og eldre ventes å øke med 62 % fram til 2040.'; with the 80 %
    interval of ``new`` it says how sure that is: '... fram til 2040 (80 %: +48 % til +77 %).'
    On a small base (``projections.small_numbers``: under 100 people) it gives whole counts
    instead: 'Antall barn 0–5 år ventes å gå fra 4 til 8 fram til 2040 (80 %: 2 til 14 ...)'."""
    lo_hi = interval if interval is not None else (None, None)
    h = headline(old, new, *lo_hi)
    if h.kind == "count" and not math.isnan(old):
        what = t(f"what.{what_key}", lang)
        text = t(
            "sentence.count",
            lang,
            what=what,
            old=fmt_number(h.base, lang),
            new=fmt_number(h.value, lang),
            year=year,
        )
        if h.lower is None or h.upper is None:
            return text
        extra = t(
            "sentence.count_interval",
            lang,
            lo=fmt_number(h.lower, lang),
            hi=fmt_number(h.upper, lang),
        )
        return text.rstrip(".") + extra + "."
    chg = pct_change(new, old)
    d = direction(chg)
    text = t(
        f"sentence.{d}",
        lang,
        what=t(f"what.{what_key}", lang),
        pct=fmt_percent(abs(chg), lang),
        year=year,
        old=fmt_number(old, lang),
        new=fmt_number(new, lang),
    )
    if interval is None or not old:
        return text
    lo, hi = (fmt_percent(pct_change(v, old), lang, sign=True) for v in interval)
    return text.rstrip(".") + t("sentence.interval", lang, lo=lo, hi=hi) + "."


def chg_class(change_pct: float) -> str:
    return {"up": "chg-up", "down": "chg-down", "stable": "chg-flat"}[direction(change_pct)]
