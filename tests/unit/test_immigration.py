"""National net immigration as an explicit assumption (issue 18 item 1): the projection's net
migration for Norway is the stated level, in every year and scenario."""

from __future__ import annotations

import io
from contextlib import redirect_stdout

import numpy as np
import pandas as pd
import pytest

from projections import scenario_assumptions
from projections.api import survival_history
from projections.cli import main
from projections.immigration import (
    HELD_OUT_ORIGINS,
    SELECTION_ORIGINS,
    fit_immigration,
    national_net_migration,
    rule_backtest,
)
from projections.inputs import national_population


def _components(scenario: str) -> pd.DataFrame:
    buf = io.StringIO()
    with redirect_stdout(buf):
        rc = main(["project", "--norge", "--components", "--scenario", scenario])
    assert rc == 0
    return pd.read_csv(io.StringIO(buf.getvalue())).dropna(subset=["net_migration"])


@pytest.mark.parametrize("scenario", ["MMMM", "MMML", "MMMH", "LLML"])
def test_cli_net_migration_equals_the_stated_assumption_every_year(scenario):
    df = _components(scenario)
    stated = np.array(scenario_assumptions(scenario).net_immigration_stated)
    assert len(stated) == len(df) == 24  # flows 2026..2049
    np.testing.assert_allclose(df["net_migration"].to_numpy(), stated, rtol=0.02)


def test_scenarios_scale_the_stated_level():
    main_ = np.array(scenario_assumptions("MMMM").net_immigration_stated)
    low = np.array(scenario_assumptions("MMML").net_immigration_stated)
    high = np.array(scenario_assumptions("MMMH").net_immigration_stated)
    np.testing.assert_allclose(low, 0.5 * main_, rtol=1e-9)
    np.testing.assert_allclose(high, 1.5 * main_, rtol=1e-9)
    zero = _components("MMM0")["net_migration"].to_numpy()
    assert np.abs(zero).max() < 0.02 * main_.min()  # only clipping is left


def _survival() -> dict[int, np.ndarray]:
    return survival_history(2026)


def test_rule_uses_only_years_before_the_base_year_and_decays_to_the_long_run():
    nat, surv = national_population(), _survival()
    years, nm = national_net_migration(nat, surv, 2016)
    assert years[0] == 1986 and years[-1] == 2015
    a = fit_immigration(nat, surv, 2016)
    assert a.last == nm[-1] and a.long_run == pytest.approx(nm.mean())
    path = a.level(np.arange(2016, 2100))
    assert path[0] == pytest.approx(a.long_run + 0.9 * (a.last - a.long_run))
    assert abs(path[-1] - a.long_run) < 0.01 * abs(a.last - a.long_run)


def test_rule_beats_the_ten_year_mean_on_held_out_origins():
    nat, surv = national_population(), _survival()
    for h, origins in HELD_OUT_ORIGINS.items():
        rule = rule_backtest(nat, surv, origins, h)
        window = rule_backtest(nat, surv, origins, h, rule="window")
        assert np.sqrt(np.mean(rule**2)) < np.sqrt(np.mean(window**2))
    assert max(SELECTION_ORIGINS) < min(HELD_OUT_ORIGINS[5])
