"""Unit costs per sector from published national figures (TBU method: today's national cost).

Every unit cost is a published national expenditure divided by the matching published or
registered quantity of the same year, and keeps that year as its price year (no deflator is
sourced, so nothing is inflated):

- barnehage: municipal expenditure 2020 (49.4 bn, Udir) / child-equivalents in barnehage 2020,
  a child under 3 counting 2 (the staffing norm: one adult per 3 under 3, per 6 aged 3+);
  the children are those of actual_staffing (SSB Barnehager 2020). Check: Udir's "drøyt
  134 000 kr" per child over 3 with a full-time place (2020).
- grunnskole: municipal expenditure 2021 (82 bn, Udir) / registered children aged 6-15 on
  1 January 2022 (= pupils of school year 2021/22): the TBU rate per inhabitant of the age
  group. Check: 82 bn / 135 300 kr per public-school pupil = the public pupils it implies.
- pleie og omsorg: SSB's 171.9 bn for the care services 2023 / SSB's 157 076 årsverk 2023 =
  kroner per care årsverk, split by KOSTRA function 2019 (the only split found):
  institution (f253 + f261 premises) and home-dwelling (f254, incl. 24-hour housing); f234
  (activities) is spread pro rata. The split is applied to the model's 2023 årsverk by service.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

import data_sources
from projections.needs.actual_staffing import barnehage_arithmetic
from projections.needs.published import PublishedFigure, figure_from, published_table

CARE_YEAR = 2023
SCHOOL_POPULATION_YEAR = 2022  # 1 January 2022: the pupils of school year 2021/22
KOSTRA_SPLIT_YEAR = 2019


@dataclass(frozen=True)
class UnitCost:
    """Kroner per unit (`per`) in the prices of `price_year`, with its arithmetic and sources."""

    sector: str
    kroner: float
    per: str
    price_year: int
    arithmetic: str
    sources: tuple[PublishedFigure, ...]


@dataclass(frozen=True)
class UnitCosts:
    """The unit costs of every cost sector, and the published figures they are checked against."""

    barnehage: UnitCost  # per child-equivalent in barnehage (under 3 = 2)
    grunnskole: UnitCost  # per inhabitant aged 6-15
    institusjon: UnitCost  # per care årsverk in institutions
    hjemmebasert: UnitCost  # per care årsverk in home-dwelling services and 24-hour housing
    barnehage_per_child_over_3_published: float  # Udir 2020, "drøyt 134 000"
    grunnskole_implied_public_pupils: float  # 82 bn / 135 300 kr
    grunnskole_public_share_gsi: float  # public / all pupils, GSI 2019/20 (service_figures)
    care_cost_share_institution: float  # (f253 + f261) / (f253 + f254 + f261), 2019
    care_arsverk_share_institution: float  # model: institution / all care årsverk, 2023


def _bn(f: PublishedFigure) -> float:
    """A published amount in kroner (billions or thousands in the table)."""
    factor = {"billion NOK": 1e9, "1000 NOK": 1e3}.get(f.unit)
    if factor is None:
        raise ValueError(f"Ukjent beløpsenhet {f.unit!r} (unknown money unit)")
    return f.value * factor


def _n(x: float, d: int = 0) -> str:
    return f"{x:,.{d}f}".replace(",", " ")


def unit_costs_from(
    table: pd.DataFrame,
    service_figures: pd.DataFrame,
    children_under_3_2020: float,
    children_3_5_2020: float,
    children_6_15_2022: float,
    care_arsverk_share_institution: float,
) -> UnitCosts:
    """Pure: unit costs from the published table and the quantities they are divided by."""
    kg = figure_from(table, "kindergarten", 2020, "municipal expenditure on kindergartens")
    kg_child = figure_from(table, "kindergarten", 2020, "municipal expenditure per child over 3")
    equivalents = 2.0 * children_under_3_2020 + children_3_5_2020
    bh = _bn(kg) / equivalents
    barnehage = UnitCost(
        "barnehage",
        bh,
        "barneekvivalent i barnehage (barn under 3 år teller 2)",
        kg.year,
        f"{_n(_bn(kg))} kr / (2 x {_n(children_under_3_2020)} barn under 3 + "
        f"{_n(children_3_5_2020)} barn 3-5 år) = {_n(bh)} kr per barn over 3 år",
        (kg, kg_child),
    )

    gs = figure_from(table, "primary_school", 2021, "municipal expenditure on municipal primary")
    gs_pupil = figure_from(table, "primary_school", 2021, "operating expenditure per pupil")
    per_child = _bn(gs) / children_6_15_2022
    grunnskole = UnitCost(
        "grunnskole",
        per_child,
        "innbygger 6-15 år",
        gs.year,
        f"{_n(_bn(gs))} kr / {_n(children_6_15_2022)} innbyggere 6-15 år 1.1.2022 = "
        f"{_n(per_child)} kr per innbygger 6-15 år",
        (gs, gs_pupil),
    )

    total = figure_from(table, "elderly_care", CARE_YEAR, "gross operating expenditure")
    arsverk = figure_from(table, "elderly_care", CARE_YEAR, "årsverk in care services")
    f = {
        code: figure_from(
            table, "health_and_care_expenditure", KOSTRA_SPLIT_YEAR, f"gross operating {text}"
        )
        for code, text in (
            ("253", "expenditure, care in institution"),
            ("254", "expenditure, care for home-dwelling"),
            ("261", "expenditure, institution premises"),
            ("234", "expenditure, activity"),
        )
    }
    inst_cost = _bn(f["253"]) + _bn(f["261"])
    share_inst = inst_cost / (inst_cost + _bn(f["254"]))
    per_arsverk = _bn(total) / arsverk.value
    a_inst = care_arsverk_share_institution
    inst = per_arsverk * share_inst / a_inst
    home = per_arsverk * (1.0 - share_inst) / (1.0 - a_inst)
    common = (
        f"{_n(_bn(total))} kr / {_n(arsverk.value)} årsverk ({CARE_YEAR}) = "
        f"{_n(per_arsverk)} kr per årsverk; KOSTRA {KOSTRA_SPLIT_YEAR}: institusjon "
        f"(f253 + f261) = {share_inst:.1%} av f253 + f254 + f261 (f234 fordelt forholdsmessig)"
    )
    sources = (total, arsverk, f["253"], f["254"], f["261"], f["234"])
    institusjon = UnitCost(
        "pleie_og_omsorg_institusjon",
        inst,
        "årsverk i institusjon",
        total.year,
        f"{common}; modellens årsverk {CARE_YEAR}: {a_inst:.1%} i institusjon; "
        f"{_n(per_arsverk)} x {share_inst:.3f} / {a_inst:.3f} = {_n(inst)} kr",
        sources,
    )
    hjemmebasert = UnitCost(
        "pleie_og_omsorg_hjemmebasert",
        home,
        "årsverk i hjemmetjenester og bolig med heldøgns bemanning",
        total.year,
        f"{common}; {_n(per_arsverk)} x {1 - share_inst:.3f} / {1 - a_inst:.3f} = {_n(home)} kr",
        sources,
    )
    m = service_figures["measure"].astype(str)
    public = service_figures[
        (service_figures["year"] == 2019) & m.str.startswith("pupils in public")
    ]
    every = service_figures[
        (service_figures["year"] == 2019) & m.str.startswith("pupils (public and")
    ]
    share_gsi = float(public["value"].iloc[0]) / float(every["value"].iloc[0])
    return UnitCosts(
        barnehage=barnehage,
        grunnskole=grunnskole,
        institusjon=institusjon,
        hjemmebasert=hjemmebasert,
        barnehage_per_child_over_3_published=kg_child.value,
        grunnskole_implied_public_pupils=_bn(gs) / gs_pupil.value,
        grunnskole_public_share_gsi=share_gsi,
        care_cost_share_institution=share_inst,
        care_arsverk_share_institution=a_inst,
    )


def registered_children(year: int, lo: int, hi: int) -> float:
    """Registered persons aged lo..hi on 1 January of `year`, Norway."""
    pop = data_sources.read_table("population")
    pop = pop[(pop["year"] == year) & pop["age"].between(lo, hi)]
    return float(pop["persons"].sum())


@lru_cache(maxsize=4)
def unit_costs(care_arsverk_share_institution: float) -> UnitCosts:
    """Unit costs from the data store; the care split comes from the staffing model (cached)."""
    b = barnehage_arithmetic()
    return unit_costs_from(
        published_table(),
        data_sources.read_table("service_figures"),
        b.children_0 + b.children_1_2,
        b.children_3_5,
        registered_children(SCHOOL_POPULATION_YEAR, 6, 15),
        care_arsverk_share_institution,
    )
