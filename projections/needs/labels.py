"""Display names (bokmål, English; nynorsk where it differs) for sectors, measures, indicators.

Kept next to the model so the dashboard and exports never have to guess what an id means.
"""

from __future__ import annotations

from projections.needs.backtest import chosen_damping

SECTOR_LABELS: dict[str, tuple[str, str]] = {
    "pleie_og_omsorg_institusjon": (
        "Pleie og omsorg i institusjon",
        "Health and care in institutions",
    ),
    "pleie_og_omsorg_hjemmebasert": (
        "Hjemmebasert pleie og omsorg (inkl. heldøgns bolig)",
        "Home-based health and care (incl. 24-hour housing)",
    ),
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
    "arsverk_avgang": ("Årsverk som går av (fra basisåret)", "FTE leaving today's staff"),
    "arsverk_rekruttering": ("Rekrutteringsbehov (årsverk)", "Recruitment need (FTE)"),
    "kostnad": ("Kostnad (kroner per år)", "Cost (NOK per year)"),
    "demografikostnad": (
        "Demografikostnad (endring fra basisåret)",
        "Demographic cost (change since base year)",
    ),
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
    "demografikostnad_per_innbygger_barnehage": (
        "Demografikostnad per innbygger, barnehage",
        "Demographic cost per inhabitant, kindergarten",
    ),
    "demografikostnad_per_innbygger_grunnskole": (
        "Demografikostnad per innbygger, grunnskole",
        "Demographic cost per inhabitant, primary school",
    ),
    "demografikostnad_per_innbygger_pleie_og_omsorg": (
        "Demografikostnad per innbygger, pleie og omsorg",
        "Demographic cost per inhabitant, health and care",
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


# Nynorsk, where it differs from bokmål (the CSV for Excel and tables in nynorsk use these).
NYNORSK_LABELS: dict[str, str] = {
    "Grunnskole": "Grunnskule",
    "Hjemmetjenester": "Heimetenester",
    "Langtidsopphold i institusjon": "Langtidsopphald i institusjon",
    "Bolig med heldøgns bemanning": "Bustad med heildøgns bemanning",
    "Heldøgns omsorg": "Heildøgns omsorg",
    "Alle sektorer": "Alle sektorar",
    "Brukere": "Brukarar",
    "Barn 0-2 år": "Born 0-2 år",
    "Barn 3-5 år": "Born 3-5 år",
    "Elever 1.-4. trinn": "Elevar 1.-4. trinn",
    "Elever 5.-10. trinn": "Elevar 5.-10. trinn",
    "Brukere 0-66 år": "Brukarar 0-66 år",
    "Brukere 67-79 år": "Brukarar 67-79 år",
    "Brukere 80 år+": "Brukarar 80 år+",
    "Brukere 80-89 år": "Brukarar 80-89 år",
    "Brukere 90 år+": "Brukarar 90 år+",
    "Årsverk pedagogiske ledere": "Årsverk pedagogiske leiarar",
    "Årsverk som går av (fra basisåret)": "Årsverk som går av (frå basisåret)",
    "Årsverk sykepleiere": "Årsverk sjukepleiarar",
    "Demografikostnad per innbygger, barnehage": "Demografikostnad per innbyggjar, barnehage",
    "Demografikostnad per innbygger, grunnskole": "Demografikostnad per innbyggjar, grunnskule",
    "Demografikostnad per innbygger, pleie og omsorg": (
        "Demografikostnad per innbyggjar, pleie og omsorg"
    ),
    "Årsverk, bolig med heldøgns bemanning": "Årsverk, bustad med heildøgns bemanning",
    "Årsverk, hjemmetjenester": "Årsverk, heimetenester",
    "Personer 20-66 per person 80+": "Personar 20-66 per person 80+",
    "Andel av 20-66-åringene som trengs i pleie og omsorg": (
        "Del av 20-66-åringane som trengst i pleie og omsorg"
    ),
}
for _sector in ("barnehage", "grunnskole", "pleie_og_omsorg", "alle"):
    _nb = SECTOR_LABELS[_sector][0]
    _nn = NYNORSK_LABELS.get(_nb, _nb)
    NYNORSK_LABELS[INDICATOR_LABELS[f"bemanningspress_{_sector}"][0]] = (
        f"Bemanningspress, {_nn.lower()} (årsverk per 1000 20-66)"
    )
    NYNORSK_LABELS[INDICATOR_LABELS[f"bemanningspress_{_sector}_endring"][0]] = (
        f"Endring i bemanningspress, {_nn.lower()}, frå basisåret"
    )


def label(kind: str, key: str, lang: str = "nb") -> str:
    """Display name; kind = 'sector' | 'measure' | 'indicator'; lang = nb | nn | en; unknown
    ids come back as is."""
    table = {"sector": SECTOR_LABELS, "measure": MEASURE_LABELS, "indicator": INDICATOR_LABELS}
    pair = table[kind].get(key)
    if pair is None:
        return key
    if lang == "en":
        return pair[1]
    return NYNORSK_LABELS.get(pair[0], pair[0]) if lang == "nn" else pair[0]


def usage_note(usage: str, damping: float | None = None, lang: str = "nb") -> str:
    """One line that says which usage path a table shows (CLI closing note, captions)."""
    if usage == "today":
        return (
            "Usage path: today's standard (usage rates held at the base year)"
            if lang == "en"
            else "Bruksbane: dagens standard (bruksratene holdes på basisårets nivå)"
        )
    if damping is None:
        damping = chosen_damping()
    d = f"{damping:.2f}" if lang == "en" else f"{damping:.2f}".replace(".", ",")
    if lang == "en":
        return (
            f"Usage path: lower coverage as in 2015-2025 (a policy path: each kommune moves "
            f"toward the low-use kommuner at the damped national pace, damping {d}; care FTE "
            f"per user follow the observed intensity trend)"
        )
    return (
        f"Bruksbane: lavere dekning som 2015-2025 (en politikkbane: hver kommune går mot "
        f"kommunene med lavest bruk i dempet nasjonalt tempo, demping {d}; årsverk per "
        f"bruker følger den observerte intensitetstrenden)"
    )
