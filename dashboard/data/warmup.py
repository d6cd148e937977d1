"""Warm-up: what every first page view would otherwise pay for, computed once (in gunicorn's
master before the workers fork, or in a background thread of ``python app.py``)."""

from __future__ import annotations

import logging
import time

import flask

from dashboard.data import history, model, needs_cache, scenario_extras
from dashboard.views import intervals, picker, ssb_figures
from data_sources import catalogue
from projections import inputs

log = logging.getLogger("kommunefram")


def warm_up(server: flask.Flask) -> None:
    """Precompute what is cheap: Dash's own setup, history array, catalogue, picker options.

    Dash registers the Pages router and copies the page callbacks on a process's first
    request, and sets its "done" flag before the work: with threaded workers, a second
    request arriving meanwhile finds no router callback (KeyError, seen under load). One
    request here, before gunicorn forks, does that setup once for every worker.
    """
    server.test_client().get("/om")
    history.history_array()
    for lang in ("nb", "nn", "en"):
        picker.picker_options(lang)


def warm_regions() -> None:
    """The scenario-independent frames of every region (SSB's figures and the decomposition,
    the track record): small, and 20-200 ms each to build on a first visit."""
    for code in [r.code for r in catalogue().regions()]:
        ssb_figures.ssb_series(code)
        ssb_figures.comparison_frame(code)
        intervals.track_record_frame(code)


def warm_all(server: flask.Flask, regions: bool = True) -> None:
    """History, picker, the main scenario's pages, then the aggregates of every scenario.

    Called in gunicorn's master before the workers fork (gunicorn.conf.py), so the workers
    share these pages copy-on-write; or in a background thread when run as a script.
    """
    t0 = time.perf_counter()
    warm_up(server)
    model.key_figures(model.DEFAULT_SCENARIO, "0")
    needs_cache.pressure_series(model.DEFAULT_SCENARIO, "0")
    held = scenario_extras.warm_all_scenarios()
    for scenario in model.scenario_codes():  # stated assumptions: one projection each
        ssb_figures.assumptions_frame(scenario, "nb")
        # costs read the population table once (unit costs): before the fork, not per worker
        needs_cache.cost_result(scenario)
    if regions:  # gunicorn's preload: shared by every worker
        warm_regions()
    model.drop_full_projections()
    # the fitting inputs (13 MB): read again only when a worker needs a new projection (a
    # person's edited assumptions), not held in every worker for requests that never do
    inputs.population_data.cache_clear()
    model.release_memory()  # once, after start-up: not on the request path
    log.info(
        "aggregates of %d scenarios ready (%.0f MB) in %.1f s",
        len(model.scenario_codes()),
        held,
        time.perf_counter() - t0,
    )


def warm_projections(server: flask.Flask) -> None:
    """Warm in the background, so the server answers at once and the first kommune page is
    still fast. A failure here is logged; the pages compute on demand and say what failed."""
    time.sleep(1.0)  # let the server bind and answer its first requests first
    try:
        warm_all(server, regions=False)  # a single process: regions warm on their first visit
    except Exception:
        log.exception("background warm-up failed")
