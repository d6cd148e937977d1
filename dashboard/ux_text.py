"""Chart titles that must follow the numbers' signs (a title is a claim, so it is computed)."""

from __future__ import annotations

from dashboard.formatting import fmt_change
from dashboard.texts import chg_class, direction


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
    from dashboard.formatting import pct_change

    if direction(pct_change(new, old)) == "up":
        return f"\u26a0\u00a0{text}"
    return text
