"""One call that forgets every cache of the projection package (after a store refresh)."""

from __future__ import annotations

from projections import api, inputs, ssb_decomposition, ssb_reference, ssb_scenario
from projections.fitting import fit


def clear_cache() -> None:
    """Forget cached inputs, fits and projections (call after a store refresh).

    The caches are keyed on arguments, not on the data version, so a long-running process
    (the dashboard) keeps serving the data it first read until this is called.
    """
    api.clear_caches()
    ssb_scenario.calibrate.cache_clear()
    ssb_decomposition.decompose.cache_clear()
    ssb_decomposition.ssb_figure_all_kommuner.cache_clear()
    ssb_reference.clear_caches()
    fit.cache_clear()
    inputs.population_data.cache_clear()
    inputs.national_data.cache_clear()
    inputs.national_population.cache_clear()
