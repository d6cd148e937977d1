"""Usage paths ("dagens standard", "lavere dekning som 2015-2025") and the needs backtest."""

from __future__ import annotations

import io
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from projections import project
from projections.needs import Assumptions, NeedsAssumptionError, compute_needs, estimate_care_rates
from projections.needs.backtest import ORIGINS, needs_backtest
from projections.needs.usage import MAX_CHOSEN_DAMPING, damped_sum, log_slope, path_factors


@pytest.fixture(scope="module")
def both():
    res = project("MMMM", to_year=2040)
    today = compute_needs(res, Assumptions())
    trend = compute_needs(res, Assumptions(usage_path="trend"))
    return res, today, trend


def test_cli_trend_gives_fewer_institution_residents_in_2035_for_norway() -> None:
    def run(usage: str) -> pd.DataFrame:
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "projections",
                "needs",
                "--norge",
                "--to",
                "2035",
                "--usage",
                usage,
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        label = "lavere dekning som 2015-2025" if usage == "trend" else "dagens standard"
        assert label in out.stderr
        df = pd.read_csv(io.StringIO(out.stdout))
        assert set(df["usage"]) == {usage}  # the CSV says which path it shows
        sel = (df["sector"] == "institusjon") & (df["measure"] == "brukere") & (df["year"] == 2035)
        return df[sel]

    today, trend = run("today"), run("trend")
    assert trend["value"].iloc[0] < today["value"].iloc[0]


def test_trend_starts_from_today_and_follows_the_observed_direction(both) -> None:
    res, today, trend = both
    rates = estimate_care_rates()
    slopes = rates.trend.slopes
    # observed: usage per person 80+ fell (home services and institutions), age-standardised
    assert slopes["institusjon"][2] < slopes["hjemmetjenester"][2] < 0
    first = res.years[0] - rates.base_year  # 1 year after the base year
    factor = path_factors(slopes["institusjon"], res.years, rates.base_year, 0.9)
    assert factor[0, 2] == pytest.approx(np.exp(slopes["institusjon"][2] * 0.9 * first))
    a = today.frame("0").set_index(["year", "sector", "measure"])["value"]
    b = trend.frame("0").set_index(["year", "sector", "measure"])["value"]
    assert b[(2040, "institusjon", "brukere")] < a[(2040, "institusjon", "brukere")]
    # non-care sectors do not depend on the usage path
    assert b[(2040, "grunnskole", "arsverk")] == a[(2040, "grunnskole", "arsverk")]
    assert set(trend.frame("0")["usage"]) == {"trend"}


def test_damping_arithmetic() -> None:
    np.testing.assert_allclose(damped_sum(np.array([0, 1, 2, 3]), 0.5), [0, 0.5, 0.75, 0.875])
    np.testing.assert_allclose(damped_sum(np.array([0, 4]), 1.0), [0, 4])
    np.testing.assert_allclose(damped_sum(np.array([5]), 0.0), [0])
    years = np.arange(2000, 2010)
    assert log_slope(years, 2.0 * np.exp(-0.03 * (years - 2000))) == pytest.approx(-0.03)
    with pytest.raises(NeedsAssumptionError):
        Assumptions(usage_path="forecast")
    with pytest.raises(NeedsAssumptionError):
        Assumptions(usage_path="trend", trend_damping=1.5)


def test_backtest_runs_reports_errors_and_chooses_the_damping() -> None:
    bt = needs_backtest()
    t = bt.summary()
    assert set(t["origin"]) == set(ORIGINS)
    assert set(t["service"]) == {
        "hjemmetjenester",
        "institusjon",
        "bolig_heldogn",
        "arsverk_sykepleiere",  # issue 20: årsverk are scored too
    }
    assert set(t["usage"]) == {"today", "trend"}
    assert t["kommune_mape"].between(0, 2).all() and (t["kommuner"] > 200).all()
    inst = t[(t["service"] == "institusjon") & (t["origin"] == 2015)].set_index("usage")
    # issue 9: 2015 rates on the 2025 population over-predict institution residents by ~30 %
    assert 0.2 < inst.at["today", "national_error"] < 0.45
    assert abs(inst.at["trend", "national_error"]) < abs(inst.at["today", "national_error"])
    # the chosen damping minimises the mean absolute national error among allowed dampings
    full = bt.table[(bt.table["usage"] == "trend") & (bt.table["damping"] <= MAX_CHOSEN_DAMPING)]
    score = full.assign(a=full["national_error"].abs()).groupby("damping")["a"].mean()
    assert bt.damping == score.idxmin() and 0 < bt.damping <= MAX_CHOSEN_DAMPING
    # the observed totals are SSB's 2025 figures
    obs = t[(t["origin"] == 2019) & (t["usage"] == "today")].set_index("service")["observed"]
    assert obs["hjemmetjenester"] == 213_654 and obs["institusjon"] == 30_622
