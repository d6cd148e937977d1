"""Display names (Norwegian bokmål, English) for sectors, measures and indicators.

Kept next to the model so the dashboard and exports never have to guess what an id means.
"""

from __future__ import annotations

SECTOR_LABELS: dict[str, tuple[str, str]] = {
    "barnehage": ("Barnehage", "Kindergarten"),
    "grunnskole": ("Grunnskole", "Primary and lower secondary school"),
    "hjemmetjenester": ("Hjemmetjenester", "Home-based services"),
    "institusjon": ("Langtidsopphold i institusjon", "Long-term institutional stay"),
    "bolig_heldogn": ("Bolig med heldøgns bemanning", "Housing with 24-hour staffing"),
    "heldogns_omsorg": ("Heldøgns omsorg", "24-hour care"),
    "pleie_og_omsorg": ("Pleie og omsorg", "Health and care services"),
    "alle": ("Alle sektorer", "All sectors"),
}

MEASURE_LABELS: dict[str, tuple[str, str]] = {
    "brukere": ("Brukere", "Users"),
    "brukere_0_2": ("Barn 0-2 år", "Children 0-2"),
    "brukere_3_5": ("Barn 3-5 år", "Children 3-5"),
    "brukere_1_4": ("Elever 1.-4. trinn", "Pupils grades 1-4"),
    "brukere_5_10": ("Elever 5.-10. trinn", "Pupils grades 5-10"),
    "brukere_0_66": ("Brukere 0-66 år", "Users 0-66"),
    "brukere_67_79": ("Brukere 67-79 år", "Users 67-79"),
    "brukere_80p": ("Brukere 80 år+", "Users 80+"),
    "brukere_80_89": ("Brukere 80-89 år", "Users 80-89"),
    "brukere_90p": ("Brukere 90 år+", "Users 90+"),
    "arsverk": ("Årsverk", "Full-time equivalents"),
    "arsverk_pedagogiske_ledere": ("Årsverk pedagogiske ledere", "Pedagogical leaders (FTE)"),
    "arsverk_sykepleiere": ("Årsverk sykepleiere", "Nurses (FTE)"),
    "arsverk_institusjon": ("Årsverk, institusjon", "FTE, institutions"),
    "arsverk_bolig_heldogn": ("Årsverk, bolig med heldøgns bemanning", "FTE, 24-hour housing"),
    "arsverk_hjemmetjenester": ("Årsverk, hjemmetjenester", "FTE, home-based services"),
    "arsverk_per_1000_20_66": ("Årsverk per 1000 i alderen 20-66", "FTE per 1,000 aged 20-66"),
}

INDICATOR_LABELS: dict[str, tuple[str, str]] = {
    "forsorgerbrok_20_66_per_80p": ("Personer 20-66 per person 80+", "Persons 20-66 per 80+"),
    "omsorgskoeffisient_50_66_per_85p": (
        "Omsorgskoeffisient (50-66 per 85+)",
        "Care coefficient (50-66 per 85+)",
    ),
    "andel_20_66_i_pleie_og_omsorg": (
        "Andel av 20-66-åringene som trengs i pleie og omsorg",
        "Share of 20-66 needed in health and care",
    ),
}
for _sector in ("barnehage", "grunnskole", "pleie_og_omsorg", "alle"):
    _nb, _en = SECTOR_LABELS[_sector]
    INDICATOR_LABELS[f"bemanningspress_{_sector}"] = (
        f"Bemanningspress, {_nb.lower()} (årsverk per 1000 20-66)",
        f"Staffing pressure, {_en.lower()} (FTE per 1,000 aged 20-66)",
    )
    INDICATOR_LABELS[f"bemanningspress_{_sector}_endring"] = (
        f"Endring i bemanningspress, {_nb.lower()}, fra basisåret",
        f"Change in staffing pressure, {_en.lower()}, since base year",
    )


def label(kind: str, key: str, lang: str = "nb") -> str:
    """Display name; kind = 'sector' | 'measure' | 'indicator'; unknown ids come back as is."""
    table = {"sector": SECTOR_LABELS, "measure": MEASURE_LABELS, "indicator": INDICATOR_LABELS}
    pair = table[kind].get(key)
    if pair is None:
        return key
    return pair[1] if lang == "en" else pair[0]
