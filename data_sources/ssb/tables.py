"""Which SSB tables Kommunefram uses, what we select from each and which store table it feeds.

Dimension codes and ContentsCodes are taken from recorded SSB responses and queries in the
shared data folder (``07459_sporring.json``, ``14746_metadata.json``, ``12003_metadata.json``,
``fram/README.md``). Where we are not sure of a table number or its dimensions, the entry says
so in ``note`` ("verify online") and leaves ``select`` empty rather than guessing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Pick:
    """Which codes of one dimension to fetch.

    ``codes`` lists them explicitly; otherwise every code the table offers is taken, narrowed
    by ``pattern`` (full match) and ``at_least`` (string comparison, for years like "2005").
    """

    codes: tuple[str, ...] = ()
    pattern: str | None = None
    at_least: str | None = None

    def resolve(self, offered: list[str]) -> list[str]:
        if self.codes:
            missing = [c for c in self.codes if c not in offered]
            if missing:
                raise ValueError(f"SSB tilbyr ikke kodene {missing} (codes not offered)")
            return list(self.codes)
        out = offered
        if self.pattern is not None:
            out = [c for c in out if re.fullmatch(self.pattern, c)]
        if self.at_least is not None:
            out = [c for c in out if c >= self.at_least]
        return list(out)


ALL = Pick()
AGES_0_105 = (*(f"{a:03d}" for a in range(105)), "105+")
KOMMUNE = r"\d{4}"


@dataclass(frozen=True)
class SSBTable:
    table_id: str
    title: str
    feeds: str | None  # store table it (partly) feeds, None if not used yet
    select: dict[str, Pick] = field(default_factory=dict)  # dimension code -> pick, SSB order
    in_snapshot: bool = False
    refreshable: bool = False  # `python -m data_sources refresh` can rebuild `feeds` from it
    note: str = ""

    def selection(self, offered: dict[str, list[str]]) -> dict[str, list[str]]:
        """The explicit codes to request, given the table's metadata."""
        unknown = set(self.select) - set(offered)
        if unknown:
            raise ValueError(f"tabell {self.table_id} mangler dimensjon(er) {sorted(unknown)}")
        return {dim: pick.resolve(offered[dim]) for dim, pick in self.select.items()}


PROJECTION_ALTERNATIVES_14746 = {
    "Personer": "MMMM",
    "Personer1": "LLML",
    "Personer2": "HHMH",
    "Personer3": "MMML",
    "Personer4": "MMMH",
    "Personer5": "LHML",
    "Personer6": "HLMH",
    "Personer7": "MMM0",
    "Personer8": "MM00",
}

NLOD = "NLOD 2.0 (compatible with CC BY 4.0); credit Statistisk sentralbyrå (SSB)"

# The alternatives a `refresh 14746` stores (those of the recorded query 14746_sporring.json).
REFRESH_ALTERNATIVES_14746 = ("Personer", "Personer1", "Personer2")  # MMMM, LLML, HHMH

TABLES: dict[str, SSBTable] = {
    t.table_id: t
    for t in (
        SSBTable(
            "07459",
            "Befolkning 1. januar, etter region, kjønn, alder og år",
            "population",
            {
                "Region": Pick(pattern=KOMMUNE),  # all kommune codes, historic ones included
                "Kjonn": Pick(("1", "2")),
                "Alder": Pick(AGES_0_105),
                "ContentsCode": Pick(("Personer1",)),
                "Tid": Pick(at_least="2005"),
            },
            in_snapshot=True,
            refreshable=True,
            note="Harmonised to the 2024 structure with catalogue().harmonise.",
        ),
        SSBTable(
            "14746",
            "Framskrevet folkemengde 1. januar (regionale framskrivinger 2026)",
            "ssb_projection_kommune",
            {
                "Region": Pick(pattern=r"0|\d{4}"),  # Norway and the 357 kommuner, no fylker
                "Kjonn": Pick(("1", "2")),
                "Alder": Pick(AGES_0_105),
                "ContentsCode": Pick(REFRESH_ALTERNATIVES_14746),
                "Tid": ALL,  # 2026-2050
            },
            in_snapshot=True,
            refreshable=True,
            note="Snapshot: Norway by age group only (shared CSV). A refresh asks for Norway and "
            "all 357 kommuner by sex and age, alternatives MMMM, LLML and HHMH: 5 692 200 "
            "cells, 8 requests under the 800 000-cell limit; kommune totals and Norway by "
            "age group (summed from the kommuner, checked against SSB's national row) are "
            "written together.",
        ),
        SSBTable(
            "04232",
            "Levendefødte etter mors alder (fødsler)",
            None,
            note="Not in snapshot. Table number from the data README; whether it is kommune "
            "level, and its dimension codes, are unverified: verify online (09756?).",
        ),
        SSBTable(
            "07902",
            "Dødelighetstabeller (national life tables)",
            None,
            note="Not in snapshot. National only. A kommune-level deaths-by-age/sex table is "
            "needed for kommune mortality; 10325 has been suggested but is unverified here: "
            "verify online.",
        ),
        SSBTable(
            "09588",
            "Flyttinger (inn- og utflytting) etter kjønn og alder",
            None,
            note="Not in snapshot. Table number from the data README; dimensions and "
            "whether it is kommune level are unverified: verify online.",
        ),
        SSBTable(
            "04686",
            "KOSTRA pleie og omsorg 2007-2016 (mottakere, årsverk, timer)",
            "care_panel",
            {
                "ContentsCode": Pick(
                    (
                        "CRC747899133",
                        "CRC924095442",
                        "CRC954440742",
                        "CRC1362622823",
                        "CRC3384594087",
                        "CRC1195083792",
                        "CRC147558361",
                        "CRC1600056472",
                        "CRC3602971177",
                        "CRC1818371153",
                    )
                )
            },
            in_snapshot=True,
            note="Via the fram panel (derived, 2024 structure). Region dimension code unverified.",
        ),
        SSBTable(
            "12292",
            "KOSTRA pleie og omsorg fra 2015 (hjemmetjenester, bolig, timer)",
            "care_panel",
            {
                "ContentsCode": Pick(
                    (
                        "KOSkjernetotalt0000",
                        "KOSkjerne066aar0000",
                        "KOSkjerne80aarov0000",
                        "KOSbialthelsum0000",
                        "KOSgjtimerhjsyk0000",
                    )
                )
            },
            in_snapshot=True,
            note="Via the fram panel. No 67-79 code. Region dimension code unverified.",
        ),
        SSBTable(
            "11645",
            "Brukarar av omsorgstenester (31.12.)",
            "care_panel",
            {
                "TenesteType": Pick(("21",)),
                "ContentsCode": Pick(("Brukere1",)),
            },
            in_snapshot=True,
            note="Via the fram panel; age bands 00-49, 50-66, 67-79, 80-89, 90+, Ialt "
            "(age dimension code unverified).",
        ),
        SSBTable(
            "11924",
            "Årsverk i omsorgstjenestene etter utdanning (avsluttet serie)",
            "care_panel",
            {"ContentsCode": Pick(("KOSARBAARSVERKST0000",))},
            in_snapshot=True,
            note="Discontinued; 2015-2023, education codes KF01-KF04 summed (dimension code unverified).",
        ),
        SSBTable(
            "14534",
            "Årsverk i omsorgstjenestene etter stillingstype og utdanning",
            "care_panel",
            {"ContentsCode": Pick(("KOSARBAARSVERKST0000",))},
            in_snapshot=True,
            note="2015-2025; position type TOT, education 01 (dimension codes unverified).",
        ),
        SSBTable(
            "11643",
            "Timar til omsorgstenester i løpet av året",
            "home_care_hours",
            {
                "TenesteType": Pick(("15",)),
                "Alder": Pick(("Ialt",)),
                "ContentsCode": Pick(("Timeforbruk",)),
            },
            in_snapshot=True,
            note="Via the fram hours file (2024 structure).",
        ),
        SSBTable(
            "12003",
            "Omsorgstjenester - brukere, etter alder, region, tjenestegrupper",
            None,
            {
                "KOKalder0000": Pick(("F000-120", "F000-066", "F067-079", "F080-120")),
                "KOKkommuneregion0000": Pick(pattern=KOMMUNE),
                "KOKTenesteGrp0000": Pick(("A", "B", "C")),
                "ContentsCode": Pick(("KOSomsorgantbruk0000",)),
                "Tid": ALL,
            },
            note="Not in snapshot (metadata only); a current KOSTRA template for users by age.",
        ),
    )
}


NATIONAL_07459 = SSBTable(
    "07459",
    "Befolkning 1. januar, hele landet, etter kjønn og alder",
    "population_national",
    {
        "Region": Pick(("0",)),
        "Kjonn": Pick(("1", "2")),
        "Alder": Pick(AGES_0_105),
        "ContentsCode": Pick(("Personer1",)),
        "Tid": ALL,  # 1986-
    },
    in_snapshot=True,
    refreshable=True,
    note="Region 0 (Hele landet); sex 0 is computed as 1 + 2.",
)

# Store table -> the declaration a live refresh rebuilds it from.
REFRESH: dict[str, SSBTable] = {
    "population": TABLES["07459"],
    "population_national": NATIONAL_07459,
    # one fetch of 14746 feeds both tables, written together (data_sources.projection_14746)
    "ssb_projection_kommune": TABLES["14746"],
    "ssb_projection_national_agegroup": TABLES["14746"],
}


def refreshable() -> dict[str, SSBTable]:
    """Store table name -> the SSB table a live refresh rebuilds it from."""
    return dict(REFRESH)
