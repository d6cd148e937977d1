"""Per-scenario extras: the page sections that once computed from full projections on the
request path (prediction intervals, needs bounds, the trend usage path, SSB's age groups)
now read compact aggregates. These tests pin the two promises: the numbers are bit-identical
to the full-projection computation, and a warm render never asks for a projection.
"""

from __future__ import annotations

import threading

import numpy as np
import pandas as pd
import pytest

from dashboard.data import model, needs_cache, scenario_extras
from dashboard.state import ViewState
from dashboard.ui import needs_views
from dashboard.views import chartdata, intervals, ssb_figures
from projections import api
from projections import intervals as iv
from projections.needs import Assumptions, compute_needs

CODES = ("0301", "1151", "1804", "18", "0")  # Oslo, Utsira, Bodø, Nordland, Norway
SCENARIOS = ("MMMM", "HHMH")


@pytest.fixture(scope="module", params=SCENARIOS)
def scenario(request):
    return request.param


@pytest.mark.parametrize("code", CODES)
def test_service_bounds_equal_the_full_projection_computation(scenario, code):
    res = model.projection(scenario)
    full = iv.needs_frame_with_intervals(res, [code], 80, False, None)
    frame = compute_needs(res).frame(code)  # what the table showed: the needs of all kommuner
    for measure in ("brukere", "arsverk"):
        table = chartdata.services_table(code, scenario, measure)
        sectors = [c for c in table.columns if c != "year" and not c.endswith("_80")]
        assert sectors  # the table has its sector columns
        for sector in sectors:
            shown = frame[(frame["sector"] == sector) & (frame["measure"] == measure)]
            shown = shown.set_index("year").reindex(table["year"])
            np.testing.assert_allclose(
                table[sector].to_numpy(), shown["value"].to_numpy(), rtol=1e-9, equal_nan=True
            )
            ref = full[(full["sector"] == sector) & (full["measure"] == measure)]
            ref = ref.set_index("year").reindex(table["year"])
            for b in ("lower", "upper"):
                np.testing.assert_allclose(
                    table[f"{sector}_{b}_80"].to_numpy(),
                    ref[b].to_numpy(),
                    rtol=1e-9,
                    equal_nan=True,
                )


@pytest.mark.parametrize("code", CODES)
def test_pressure_bounds_equal_the_full_projection_computation(scenario, code):
    full = iv.needs_frame_with_intervals(model.projection(scenario), [code], 80, True, None)
    ref = full[full["indicator"] == needs_cache.PRESSURE_INDICATOR].set_index("year")
    table = chartdata.pressure_table(code, scenario)
    for b in ("lower", "upper"):
        expected = ref[b].reindex(table["year"]).to_numpy()
        np.testing.assert_allclose(
            table[f"per_1000_{b}_80"].to_numpy(), expected, rtol=1e-9, equal_nan=True
        )
    assert np.all(table["per_1000_lower_80"] <= table["per_1000_upper_80"])


def test_interval_arrays_equal_the_full_projection_computation(scenario):
    res = model.projection(scenario)
    for level in iv.LEVELS:
        ours = scenario_extras.extras(scenario).intervals[level]
        ref = iv.interval_arrays(res, level)
        assert ours.regions == ref.regions
        for name in ("median", "lower", "upper"):
            # the kept bounds are float32 (7 significant digits; the pages show 3)
            np.testing.assert_allclose(
                getattr(ours, name), getattr(ref, name), rtol=1e-6, equal_nan=True
            )
    frame = intervals.interval_frame("1151", scenario, "80p")
    tidy = iv.region_interval(res, "1151", "80+", 95)
    np.testing.assert_allclose(
        frame["lower_95"].to_numpy(), tidy["lower"].to_numpy(), rtol=1e-6, equal_nan=True
    )


@pytest.mark.parametrize("code", CODES)
def test_usage_tables_equal_the_needs_frames(scenario, code):
    res = model.projection(scenario)
    frames = {
        u: compute_needs(res, Assumptions(usage_path=u)).frame(code) for u in chartdata.USAGES
    }

    def wide_of(usage: str, service: str) -> pd.DataFrame:
        f = frames[usage][frames[usage]["sector"] == service]
        return f.pivot_table(index="year", columns="measure", values="value", aggfunc="sum")

    for usage in needs_views.USAGES:
        for service in needs_views.CARE_SERVICES:
            table = chartdata.usage_table(code, scenario, usage, service)
            wide = wide_of(usage, service)
            # both paths' totals travel with either choice (the chart's band between them)
            for path in chartdata.USAGES:
                np.testing.assert_allclose(
                    table[f"brukere_{path}"].to_numpy(),
                    wide_of(path, service)["brukere"].to_numpy(),
                    rtol=1e-9,
                    equal_nan=True,
                )
            assert table["year"].tolist() == wide.index.tolist()
            for g in needs_views.AGE_GROUPS:
                np.testing.assert_allclose(
                    table[g].to_numpy(), wide[f"brukere_{g}"].to_numpy(), rtol=1e-9, equal_nan=True
                )
            np.testing.assert_allclose(
                table["brukere"].to_numpy(), wide["brukere"].to_numpy(), rtol=1e-9, equal_nan=True
            )
    trend = chartdata.usage_table(code, scenario, "trend", "institusjon")
    today = chartdata.usage_table(code, scenario, "today", "institusjon")
    assert not np.array_equal(trend["brukere"].to_numpy(), today["brukere"].to_numpy())


def test_population_in_a_key_year_equals_the_projection():
    res = model.projection("MMMM")
    for code in CODES:
        ours = model.population_in("MMMM", code, 2050)
        np.testing.assert_allclose(
            ours, res.region(code)[list(res.years).index(2050)], rtol=1e-9, equal_nan=True
        )
    oslo = model.population_in("MMMM", "0301", 2026).sum()
    assert oslo == 728_714  # registered 1 January 2026 (SSB 07459)


def test_edited_assumptions_still_get_their_own_bounds():
    edited = Assumptions(care_staffing_multiplier=1.2)
    default = chartdata.services_table("1804", "MMMM", "arsverk")
    table = chartdata.services_table("1804", "MMMM", "arsverk", edited)
    col = "pleie_og_omsorg"
    assert np.all(table[col].to_numpy()[1:] > default[col].to_numpy()[1:])
    full = iv.needs_frame_with_intervals(model.projection("MMMM"), ["1804"], 80, False, edited)
    ref = full[(full["sector"] == col) & (full["measure"] == "arsverk")].set_index("year")
    np.testing.assert_allclose(
        table[f"{col}_upper_80"].to_numpy(), ref["upper"].to_numpy(), rtol=1e-9, equal_nan=True
    )


def test_extras_memory_per_scenario_is_bounded():
    for s in SCENARIOS:
        # intervals 2 levels, 7 bounded series, the trend path's care users: about 4.5 MB
        assert scenario_extras.extras(s).nbytes < 6e6
        assert model.aggregates(s).nbytes < 6e6


class ProjectionCounter:
    def __init__(self, monkeypatch):
        self.calls: list[str] = []
        real = api._project_cached

        def counted(code, *args, **kwargs):
            self.calls.append(code)
            return real(code, *args, **kwargs)

        counted.__wrapped__ = real.__wrapped__  # type: ignore[attr-defined]
        monkeypatch.setattr(api, "_project_cached", counted)


def test_warm_renders_never_run_a_projection(monkeypatch):
    import app  # noqa: F401  (registers the pages)
    from pages import befolkning, data, kart, oversikt, sammenlign, tjenester

    for thread in threading.enumerate():  # app's own background warm-up projects: let it end
        if thread.name == "kommunefram-warm":
            thread.join(timeout=300)
    # what gunicorn's preload computes (warmup), for the scenarios the pages below read: the
    # rendered ones and the low-high range every population chart draws
    scenario_extras.warm_all_scenarios({*SCENARIOS, *model.BAND_SCENARIOS})
    for s in SCENARIOS:
        ssb_figures.assumptions_frame(s, "nb")
    for code in CODES:  # SSB's decomposition per region: app.warm_regions at preload
        ssb_figures.comparison_frame(code)
    intervals.track_record_frame("0301")  # the backtest behind it: once per process too
    counter = ProjectionCounter(monkeypatch)
    for cache in (  # region frames: rebuilt from the aggregates, never from a projection
        model.series,
        model.series_arrays,
        model.key_figures,
        model.components,
        needs_cache.pressure_series,
        needs_cache.pressure_arrays,
        ssb_figures._ssb_series,
    ):
        cache.cache_clear()
    for s in SCENARIOS:
        for code in CODES:
            oversikt.layout(code, s, "nb")
            befolkning.layout(code, s, "nb")
            tjenester.layout(code, s, "en")
            data.layout(code, s, "nn")
        kart.layout(scenario=s, lang="nb")
        sammenlign.layout(k="0301,1151,1804", scenario=s, lang="nb")
        for usage in needs_views.USAGES:
            state = ViewState(region="1151", scenario=s).with_view(
                usage_path=usage, usage_service="hjemmetjenester"
            )
            needs_views.usage_block(state)
    assert counter.calls == []


def test_section_frames_are_not_shared_mutable_state():
    a = intervals.track_record_frame("1804")
    a.loc[0, "projected"] = -1.0
    b = intervals.track_record_frame("1804")
    assert b.loc[0, "projected"] > 0
    assert isinstance(b, pd.DataFrame)
