"""One typed view state: what a URL shows, read and written by one codec.

Page URLs, chart CSV links, the report link and the page callbacks all go through
``decode`` and ``encode`` here, so a chart, its CSV and the report can never disagree about the
kommune, scenario, language, view choices or needs assumptions. Defaults are explicit values
(``ViewState()`` is the default view), not "an empty string means default".

A value that does not fit is refused with a problem naming it, in the user's language; the rest
of the state is kept. Old parameter names (the long assumption names once used by the report
link) are read and reported in ``Decoded.renamed`` so the server can redirect to the canonical
URL.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from dashboard.data import history, model, regions
from dashboard.state import assumption_codec
from dashboard.text.formatting import clip
from dashboard.text.i18n import DEFAULT_LANG, normalise_lang, t
from projections.age_groups import BACKTEST_KEYS
from projections.needs import Assumptions

# -- the vocabulary of view choices (pages draw their controls from these) -------------------
MAP_INDICATORS: tuple[str, ...] = (
    "growth",
    "growth_80p",
    "share_80p",
    "care_ratio",
    "population",
    "press_care",
    "press_all",
    "cost_care",
    "cost_school",
    "cost_kindergarten",
)
MAP_YEARS: tuple[int, ...] = (2030, 2035, 2040, 2045, 2050)
POP_GROUPS: tuple[str, ...] = BACKTEST_KEYS  # projections.age_groups
USAGE_PATHS: tuple[str, ...] = ("today", "trend")
CARE_SERVICES: tuple[str, ...] = ("hjemmetjenester", "institusjon", "bolig_heldogn")
MAX_COMPARE = 6

# view field -> query parameter (short Norwegian names, as in shared links since 2025)
VIEW_PARAMS: dict[str, str] = {
    "map_indicator": "ind",
    "map_year": "year",
    "pop_group": "gruppe",
    "pop_scenarios": "vis",
    "pyramid_year": "pyramide",
    "usage_path": "bruk",
    "usage_service": "tjeneste",
    "compare": "k",
}
# global pages carry the chosen kommune in this parameter (kommune pages carry it in the path)
REGION_PARAM = "kommune"
OLD_CODE_PARAM = "fra"


@dataclass(frozen=True)
class ViewChoices:
    """What the person chose to look at (never changes a number, only which are shown)."""

    map_indicator: str = "growth"
    map_year: int = 2040
    pop_group: str = "total"
    pop_scenarios: tuple[str, ...] = ()
    pyramid_year: int | None = None  # None: the page's default (2040 or the last year)
    usage_path: str = "today"
    usage_service: str = "institusjon"
    compare: tuple[str, ...] = ()  # empty: the page's default list


@dataclass(frozen=True)
class ViewState:
    """Region, scenario, language, view choices and needs assumptions of one view."""

    region: str | None = None
    scenario: str = model.DEFAULT_SCENARIO
    lang: str = DEFAULT_LANG
    assumptions: Assumptions = field(default_factory=Assumptions)
    view: ViewChoices = field(default_factory=ViewChoices)
    old_code: str | None = None

    @property
    def assumptions_changed(self) -> bool:
        return self.assumptions != Assumptions()

    @property
    def assumptions_or_none(self) -> Assumptions | None:
        """The needs cache's key: None for today's standard (the precomputed aggregates)."""
        return self.assumptions if self.assumptions_changed else None

    def replace(self, **changes: Any) -> ViewState:
        return dataclasses.replace(self, **changes)

    def with_view(self, **changes: Any) -> ViewState:
        return dataclasses.replace(self, view=dataclasses.replace(self.view, **changes))


@dataclass(frozen=True)
class Decoded:
    state: ViewState
    problems: tuple[str, ...] = ()  # in the user's language, one per refused value
    renamed: tuple[tuple[str, str], ...] = ()  # (old parameter, canonical parameter)


def _assumption_aliases() -> dict[str, str]:
    """Old (long) parameter name -> canonical short name, for fields that have one."""
    return {
        f.name: assumption_codec.param_name(f.name)
        for f in assumption_codec.fields()
        if assumption_codec.param_name(f.name) != f.name
    }


def canonical_params(params: Mapping[str, str]) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Parameters with old names renamed (a canonical name already present wins)."""
    aliases = _assumption_aliases()
    out: dict[str, str] = {}
    renamed: list[tuple[str, str]] = []
    for key, value in params.items():
        if key in aliases:
            renamed.append((key, aliases[key]))
            out.setdefault(aliases[key], value)
        else:
            out[key] = value
    for key, value in params.items():  # the canonical spelling wins over the old one
        if key not in aliases:
            out[key] = value
    return out, renamed


def _bad(param: str, value: Any, lang: str) -> str:
    return t("ux.view.bad", lang, param=param, value=clip(str(value))[:20])


def _int(text: Any) -> int | None:
    try:
        return int(str(text).strip()[:6])
    except ValueError:
        return None


def _view(params: Mapping[str, str], lang: str, problems: list[str]) -> ViewChoices:
    values: dict[str, Any] = {}
    p = VIEW_PARAMS

    def choose(name: str, allowed: tuple[Any, ...], convert: Any = str) -> None:
        raw = params.get(p[name])
        if raw in (None, ""):
            return
        value = convert(raw)
        if value in allowed:
            values[name] = value
        else:
            problems.append(_bad(p[name], raw, lang))

    choose("map_indicator", MAP_INDICATORS)
    choose("map_year", MAP_YEARS, _int)
    choose("pop_group", POP_GROUPS)
    choose("usage_path", USAGE_PATHS)
    choose("usage_service", CARE_SERVICES)
    if params.get(p["pop_scenarios"]):
        codes = [s for s in str(params[p["pop_scenarios"]])[:200].split(",") if s]
        valid = [s for s in dict.fromkeys(codes) if s in model.scenario_codes()]
        if len(valid) != len(codes):
            problems.append(_bad(p["pop_scenarios"], params[p["pop_scenarios"]], lang))
        values["pop_scenarios"] = tuple(valid)
    if params.get(p["pyramid_year"]):
        year = _int(params[p["pyramid_year"]])
        first = int(history.history_array()[0][0])
        last = int(model.projection_years(model.DEFAULT_SCENARIO)[-1])
        if year is not None and first <= year <= last:
            values["pyramid_year"] = year
        else:
            problems.append(_bad(p["pyramid_year"], params[p["pyramid_year"]], lang))
    if params.get(p["compare"]):
        raw = [x.strip() for x in str(params[p["compare"]])[:200].split(",") if x.strip()]
        codes = list(dict.fromkeys(c for c in raw if regions.region_or_none(c) is not None))
        values["compare"] = tuple(codes[:MAX_COMPARE])  # the page's notice names the rest
    return ViewChoices(**values)


def decode(region: str | None, params: Mapping[str, Any]) -> Decoded:
    """The view state of a URL: ``region`` from the path (kommune pages) or None, and the
    query parameters. Never raises; every refused value is named in ``problems``."""
    clean = {str(k): str(v) for k, v in params.items() if v is not None}
    clean, renamed = canonical_params(clean)
    lang, lang_ok = normalise_lang(clean.get("lang"))
    problems: list[str] = []
    if not lang_ok:
        problems.append(t("notice.bad_lang", lang, value=clip(clean.get("lang", ""))))
    scenario, scen_ok = model.normalise_scenario(clean.get("scenario"))
    if not scen_ok:
        problems.append(
            t("notice.bad_scenario", lang, value=clip(clean.get("scenario", "")), default=scenario)
        )
    if region is None and clean.get(REGION_PARAM):
        found = regions.region_or_none(clean[REGION_PARAM])
        if found is None:
            problems.append(_bad(REGION_PARAM, clean[REGION_PARAM], lang))
        region = found.code if found is not None else None
    assumptions, asm_problems = assumption_codec.read_assumptions(clean, lang)
    problems.extend(asm_problems)
    view = _view(clean, lang, problems)
    state = ViewState(
        region=region,
        scenario=scenario,
        lang=lang,
        assumptions=assumptions or Assumptions(),
        view=view,
        old_code=clip(clean[OLD_CODE_PARAM])[:12] if clean.get(OLD_CODE_PARAM) else None,
    )
    return Decoded(state, tuple(problems), tuple(renamed))


def encode(state: ViewState, *, region_param: bool = False, keep_old: bool = False) -> dict:
    """Canonical query parameters: scenario and language always (links are explicit), view
    choices and assumptions only where they differ from the defaults. ``region_param``
    writes the region as ``kommune=`` (global pages, whose path has no region)."""
    out: dict[str, str] = {"scenario": state.scenario, "lang": state.lang}
    if region_param and state.region is not None:
        out[REGION_PARAM] = state.region
    default = ViewChoices()
    for name, param in VIEW_PARAMS.items():
        value = getattr(state.view, name)
        if value == getattr(default, name):
            continue
        out[param] = ",".join(value) if isinstance(value, tuple) else str(value)
    out.update(assumption_codec.assumption_params(state.assumptions_or_none))
    if keep_old and state.old_code:
        out[OLD_CODE_PARAM] = state.old_code
    return out


def query(state: ViewState, *, region_param: bool = False, **extra: str) -> str:
    params = encode(state, region_param=region_param)
    params.update({k: v for k, v in extra.items() if v not in (None, "")})
    return "?" + urlencode(params, safe=",")
