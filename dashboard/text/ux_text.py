"""Chart titles that must follow the numbers' signs (a title is a claim, so it is computed)."""

from __future__ import annotations

import pandas as pd

from dashboard.text.formatting import fmt_change, pct_change
from dashboard.text.i18n import t
from dashboard.text.texts import chg_class, direction


def components_title_key(natural: float, migration: float) -> str:
    """Catalog key for the population-change chart from births minus deaths and net migration.

    "Innflytting driver veksten mer enn fødselsoverskuddet" is only true when both are
    positive; with more deaths than births (or net out-migration) the title says so.
    """
    if natural >= 0 and migration >= 0:
        return "comp.title_mig" if migration > natural else "comp.title_nat"
    if natural < 0 <= migration:
        return "ux.comp.mig_offsets" if migration >= -natural else "ux.comp.deficit_wins"
    if migration < 0 <= natural:
        return "ux.comp.nat_offsets" if natural >= -migration else "ux.comp.outmig_wins"
    return "ux.comp.both_down"


def pressure_class(change_pct: float) -> str:
    """A rising staffing pressure is a warning, not just "an increase" (more årsverk needed per
    person of working age); falling or flat keeps the neutral badge."""
    return "chg-warn" if direction(change_pct) == "up" else chg_class(change_pct)


def pressure_change(new: float, old: float, lang: str) -> str:
    """ "⚠ +24 %" for a rising pressure (the sign is also spelled out for screen readers)."""
    text = fmt_change(new, old, lang)
    if direction(pct_change(new, old)) == "up":
        return f"\u26a0\u00a0{text}"
    return text


_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def fmt_date(value: object, lang: str) -> str:
    """An ISO date ("2026-02-25...") the way the rest of the page writes it: 25.02.2026
    (English: 25 Feb 2026). Text that is not a date comes back unchanged."""
    text = str(value or "")[:10]
    parts = text.split("-")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return text
    y, m, d = parts
    if lang == "en" and 1 <= int(m) <= 12:
        return f"{int(d)} {_MONTHS_EN[int(m) - 1]} {y}"
    return f"{d}.{m}.{y}"


def backtest_readable(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Backtest rows with the method and age group named in the page's language."""
    out = df.copy()
    if "method" in out:
        out["method"] = [_label("ux.bt.method", m, lang) for m in out["method"]]
    if "measure" in out:
        groups = {"total": "total", "0-5": "0_5", "6-15": "6_15", "16-66": "16_66"}
        groups |= {"67-79": "67_79", "80+": "80p"}
        out["measure"] = [
            t(f"group.{groups[m]}", lang) if m in groups else str(m) for m in out["measure"]
        ]
    return out


def _label(prefix: str, key: object, lang: str) -> str:
    full = f"{prefix}.{key}"
    text = t(full, lang)
    return str(key) if text == full else text


# Licence notes from the store's table metadata are English; the Om page shows them in the
# page's language (the licence names themselves stay as they are).
_LICENCE_PHRASES = {
    "nb": (
        ("(compatible with CC BY 4.0); credit ", "(forenlig med CC BY 4.0); kreditering: "),
        ("Public statistics", "Offentlig statistikk"),
        ("Free use with citation", "Fri bruk med kildehenvisning"),
    ),
    "nn": (
        ("(compatible with CC BY 4.0); credit ", "(sameinleg med CC BY 4.0); kreditering: "),
        ("Public statistics", "Offentleg statistikk"),
        ("Free use with citation", "Fri bruk med kjeldetilvising"),
    ),
}


def licence_text(text: object, lang: str) -> str:
    out = str(text or "–")
    for old, new in _LICENCE_PHRASES.get(lang, ()):
        out = out.replace(old, new)
    return out
