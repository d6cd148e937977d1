"""Every chart's table, CSV and Excel file from one view state.

A chart on a page, its "Vis som tabell" table, its CSV link and its Excel link are all built
by ``chart_table(name, state)``: the page draws from the frame this returns, and the download
route (``/last-ned/graf/<name>.csv?<the page's query>``) rebuilds the same frame from the same
state, so a download always equals what the chart shows for the state in the URL.
No Dash here: pages turn these tables into figures and widgets.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pandas as pd

from dashboard.data import model, regions
from dashboard.state import ViewState, encode
from dashboard.text.i18n import t
from dashboard.views import chartdata, intervals, ssb_figures

ROUTE = "/last-ned/graf/<name>.csv"
COMPARE_METRICS = ("index", "share_80p", "pressure")
NEEDS_CHARTS = ("services", "pressure", "costs", "recruitment")  # assumptions change them
DEFAULT_COMPARE = ("0",)  # no kommune chosen: Norway, and the person adds to it


class UnknownChartError(LookupError):
    """A chart name that no page draws."""


@dataclass(frozen=True)
class ChartTable:
    name: str
    frame: pd.DataFrame
    headers: dict[str, str]
    decimals: dict[str, int] = field(default_factory=dict)

    def stem(self, state: ViewState) -> str:
        parts = ["kommunefram", self.name, state.region or "alle", state.scenario]
        if self.name.startswith(NEEDS_CHARTS) and state.assumptions_changed:
            parts.append("endrede-forutsetninger")  # the numbers differ from the default file
        return "_".join(parts)


def pyramid_year(state: ViewState) -> int:
    """The pyramid's year: the URL's choice, else 2040 (or the last projected year)."""
    if state.view.pyramid_year is not None:
        return state.view.pyramid_year
    years = [int(y) for y in model.projection_years(state.scenario)]
    return 2040 if 2040 in years else years[-1]


def compare_codes(state: ViewState) -> tuple[str, ...]:
    """The regions compared: the URL's list, else the chosen kommune with its fylke and
    Norway (so a typed name is always added, never toggled off a list nobody chose)."""
    if state.view.compare:
        return state.view.compare
    region = regions.region_or_none(state.region)
    if region is None or region.level == "norge":
        return DEFAULT_COMPARE
    if region.level == "fylke":
        return (region.code, "0")
    return (region.code, region.fylke_code, "0")


def _region(state: ViewState) -> str:
    if state.region is None:
        raise UnknownChartError("the chart needs a region (kommune=...)")
    return state.region


def _index(state: ViewState) -> ChartTable:
    df = chartdata.index_table(_region(state), state.scenario)
    lang = state.lang
    groups = [c for c in df.columns if c not in ("year", "scenario")]
    headers = {"year": t("col.year", lang), "scenario": t("col.scenario", lang)}
    return ChartTable("index", df, headers | {g: t(f"group.{g}", lang) for g in groups})


def _population(state: ViewState) -> ChartTable:
    code, lang = _region(state), state.lang
    cols = chartdata.population_columns(
        code, state.scenario, state.view.pop_group, state.view.pop_scenarios
    )
    headers = {
        "year": t("col.year", lang),
        "observed": t("fig.observed", lang),
        "band_low": t("col.band_low", lang),
        "band_high": t("col.band_high", lang),
        **ssb_figures.ssb_header(code, lang),
        **{c: t(f"unc.col.{c}", lang) for c in intervals.INTERVAL_COLUMNS},
    }
    return ChartTable("pop", pd.DataFrame(cols), headers)


def _pyramid(state: ViewState) -> ChartTable:
    lang, by = state.lang, model.base_year(state.scenario)
    df = chartdata.pyramid_table(_region(state), state.scenario, pyramid_year(state))
    headers = {
        "age": t("fig.age", lang),
        "year": t("col.year", lang),
        "male": t("sex.male", lang),
        "female": t("sex.female", lang),
        f"male_{by}": f"{t('sex.male', lang)} {by}",
        f"female_{by}": f"{t('sex.female', lang)} {by}",
    }
    return ChartTable("pyramid", df, headers)


def _components(state: ViewState) -> ChartTable:
    lang = state.lang
    df = chartdata.components_table(_region(state), state.scenario)
    headers = {
        "year": t("col.year", lang),
        "scenario": t("col.scenario", lang),
        "population": t("col.population", lang),
        "births": t("comp.births", lang),
        "deaths": t("comp.deaths", lang),
        "net_migration": t("comp.net_migration", lang),
        "change": t("comp.change", lang),
    }
    return ChartTable("components", df, headers)


def _services(measure: str) -> Callable[[ViewState], ChartTable]:
    def build(state: ViewState) -> ChartTable:
        lang = state.lang
        df = chartdata.services_table(
            _region(state), state.scenario, measure, state.assumptions_or_none
        )
        sectors = [c for c in df.columns if c != "year" and not intervals.is_interval_column(c)]
        headers = {"year": t("col.year", lang), **{c: t(f"sector.{c}", lang) for c in sectors}}
        headers |= intervals.service_headers(sectors, lang)
        return ChartTable(f"services-{measure}", df, headers)

    return build


def _pressure(state: ViewState) -> ChartTable:
    lang = state.lang
    df = chartdata.pressure_table(_region(state), state.scenario, state.assumptions_or_none)
    headers = {
        "year": t("col.year", lang),
        "per_1000": t("fig.per_1000", lang),
        "care_ratio": t("card.care_ratio", lang),
        "per_1000_lower_80": t("unc.col.per_1000_lower_80", lang),
        "per_1000_upper_80": t("unc.col.per_1000_upper_80", lang),
    }
    decimals = dict.fromkeys(
        ("per_1000", "care_ratio", "per_1000_lower_80", "per_1000_upper_80"), 1
    )
    return ChartTable("pressure", df, headers, decimals)


def _compare(metric: str) -> Callable[[ViewState], ChartTable]:
    def build(state: ViewState) -> ChartTable:
        codes = compare_codes(state)
        df = chartdata.compare_table(codes, state.scenario, metric)
        names = {c: regions.region_name(c, state.lang) for c in codes}
        decimals = dict.fromkeys(codes, 1 if metric != "index" else 0)
        return ChartTable(
            f"compare-{metric}", df, {"year": t("col.year", state.lang), **names}, decimals
        )

    return build


def _map(state: ViewState) -> ChartTable:
    lang, indicator = state.lang, state.view.map_indicator
    df = chartdata.map_table(state.scenario, state.view.map_year, indicator)
    if not df["kommune"].is_monotonic_increasing:
        df = df.sort_values("kommune")
    headers = {
        "kommune": t("col.kommune", lang),
        "name": t("col.name", lang),
        "year": t("col.year", lang),
        "scenario": t("col.scenario", lang),
        "indicator": t("col.indicator", lang),
        "value": t(f"map.ind.{indicator}", lang),
        "lower_80": t("unc.col.lower_80", lang),
        "upper_80": t("unc.col.upper_80", lang),
    }
    whole = indicator == "population" or indicator.startswith("cost_")  # persons, kroner
    decimals = dict.fromkeys(("value", "lower_80", "upper_80"), 0 if whole else 1)
    return ChartTable("map", df, headers, decimals)


def _usage(state: ViewState) -> ChartTable:
    lang = state.lang
    df = chartdata.usage_table(
        _region(state),
        state.scenario,
        state.view.usage_path,
        state.view.usage_service,
        state.assumptions_or_none,
    )
    headers = {
        "usage": t("needs.col.usage", lang),
        "service": t("needs.col.service", lang),
        "year": t("col.year", lang),
        **{g: t(f"needs.age.{g}", lang) for g in chartdata.CARE_AGE_GROUPS},
        "brukere": t("needs.age.total", lang),
        **{
            f"brukere_{u}": t("needs.path_total", lang, path=t(f"needs.usage.{u}", lang).lower())
            for u in chartdata.USAGES
        },
    }
    return ChartTable("needsage", df, headers)


def _costs(state: ViewState) -> ChartTable:
    lang = state.lang
    cols = chartdata.costs_columns(_region(state), state.scenario, state.assumptions_or_none)
    price = chartdata.cost_price_years(state.scenario)
    headers = {"year": t("col.year", lang)}
    for sector in chartdata.COST_SECTORS:
        name = t(f"sector.{sector}", lang)
        for measure in ("kostnad", "demografikostnad"):
            headers[f"{sector}_{measure}"] = t(
                f"cost.col.{measure}", lang, sector=name, year=price[sector]
            )
    return ChartTable("costs", pd.DataFrame(cols), headers)


def _recruitment(state: ViewState) -> ChartTable:
    lang = state.lang
    cols = chartdata.recruitment_columns(_region(state), state.scenario, state.assumptions_or_none)
    headers = {"year": t("col.year", lang)}
    for sector in chartdata.RECRUIT_SECTORS:
        name = t(f"sector.{sector}", lang)
        for measure in chartdata.RECRUIT_MEASURES:
            headers[f"{sector}_{measure}"] = t(f"rec.col.{measure}", lang, sector=name)
    return ChartTable("recruitment", pd.DataFrame(cols), headers)


CHARTS: dict[str, Callable[[ViewState], ChartTable]] = {
    "index": _index,
    "pop": _population,
    "pyramid": _pyramid,
    "components": _components,
    "services-brukere": _services("brukere"),
    "services-arsverk": _services("arsverk"),
    "pressure": _pressure,
    "costs": _costs,
    "recruitment": _recruitment,
    **{f"compare-{m}": _compare(m) for m in COMPARE_METRICS},
    "map": _map,
    "needsage": _usage,
}
# charts of one region (the rest: every kommune, or the compared list)
REGION_CHARTS = frozenset(CHARTS) - {"map", *(f"compare-{m}" for m in COMPARE_METRICS)}


def chart_table(name: str, state: ViewState) -> ChartTable:
    """The table behind chart ``name`` for ``state`` (UnknownChartError for other names)."""
    build = CHARTS.get(name)
    if build is None:
        raise UnknownChartError(name)
    return build(state)


def csv_href(name: str, state: ViewState, variant: str = "standard") -> str:
    """The chart's download link: the page's own state in the query (the region as
    ``kommune=``), so the server rebuilds exactly this chart."""
    if name not in CHARTS:
        raise UnknownChartError(name)
    params = encode(state, region_param=True)
    if name.startswith("compare-"):
        params["k"] = ",".join(compare_codes(state))
    if variant != "standard":
        params["variant"] = variant
    return ROUTE.replace("<name>", name) + "?" + urlencode(params, safe=",")


def download_links(name: str, state: ViewState) -> tuple[str, str]:
    """(CSV, CSV for Excel) links of a chart, for ``components.chart_block``."""
    return csv_href(name, state), csv_href(name, state, "excel_no")
