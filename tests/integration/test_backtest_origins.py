"""Backtest over every origin (issue 8): ten-year trend baselines, size classes, warnings."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from projections import backtest as bt
from projections.inputs import approximate_at, approximate_until, population_data

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def acc():
    return bt.accuracy()


def test_every_origin_and_horizon_is_scored(acc):
    cases = set(zip(acc["base_year"], acc["horizon"], strict=True))
    assert cases == {(b, 5) for b in range(2008, 2022)} | {(b, 10) for b in range(2008, 2017)}
    assert set(acc["method"]) == {"model", "constant", "linear", "geometric"}
    assert set(acc["size_class"]) == {"all", "<2 000", "2 000-10 000", "10 000-50 000", ">50 000"}
    a = acc[acc["size_class"] == "all"]
    # 350 of 357 kommuner before 2020; Narvik, Hamarøy, Heim, Hitra, Orkland exact from 2020
    assert set(a.loc[a["base_year"] <= 2019, "n_kommuner"]) == {350}
    assert set(a.loc[a["base_year"] >= 2020, "n_kommuner"]) == {355}
    # the size classes partition the scored kommuner
    parts = acc[acc["size_class"] != "all"].groupby(["base_year", "horizon", "method"])
    total = a.set_index(["base_year", "horizon", "method"])["n_kommuner"]
    sums = parts["n_kommuner"].sum()
    assert (sums.reindex(total.index) == total).all()


def test_trend_baselines_use_the_ten_years_before_the_origin():
    data = population_data()
    tot = data.pop.sum(axis=(2, 3))
    k = data.kommuner.index("0301")
    res = bt.run_backtest(2019, 5).per_kommune
    lin = res[(res["method"] == "linear") & (res["kommune"] == "0301")]["projected"].item()
    p19, p09 = tot[data.year_index(2019), k], tot[data.year_index(2009), k]
    assert lin == pytest.approx(p19 + (p19 - p09) / 10 * 5)
    geo = res[(res["method"] == "geometric") & (res["kommune"] == "0301")]["projected"].item()
    assert geo == pytest.approx(p19 * (p19 / p09) ** 0.5)
    # an origin before 2015 starts the trend in 2005; Vindafjord (missing in 2005) in 2006
    naive, start = bt.trend_baselines(data, 2010, 5)
    assert start == 2005
    p10, p05 = tot[data.year_index(2010), k], tot[data.year_index(2005), k]
    assert naive["linear"][k] == pytest.approx(p10 + (p10 - p05))
    v = data.kommuner.index("1160")
    p06 = tot[data.year_index(2006), v]
    p10v = tot[data.year_index(2010), v]
    assert naive["linear"][v] == pytest.approx(p10v + (p10v - p06) / 4 * 5)


def test_one_projection_per_origin_scores_both_horizons():
    both = bt.run_all(origins={5: (2012,), 10: (2012,)})
    alone = bt.run_backtest(2012, 5)
    assert [(b.base_year, b.horizon) for b in both] == [(2012, 5), (2012, 10)]
    a = both[0].per_kommune
    assert np.allclose(a["projected"], alone.per_kommune["projected"], rtol=1e-6)


def test_model_beats_the_baselines_overall_at_most_origins(acc):
    a = acc[acc["size_class"] == "all"].pivot_table(
        index=["base_year", "horizon"], columns="method", values="mape"
    )
    best = a[["constant", "linear", "geometric"]].min(axis=1)
    assert (a["model"] <= best).mean() > 0.6
    assert a["model"].max() < 6.5  # 2008+10 is the hardest case


def test_approximate_kommuner_are_named_with_their_last_approximate_year():
    until = approximate_until()
    assert until == {
        "1508": 2023,
        "1580": 2023,
        "1806": 2019,
        "1875": 2019,
        "5055": 2019,
        "5056": 2019,
        "5059": 2019,
    }
    assert approximate_at(2023, ["1508", "1806", "0301"]) == ["1508"]
    assert approximate_at(2019, ["1806", "5059"]) == ["1806", "5059"]
    assert approximate_at(2024, ["1508", "1580"]) == []
    note = bt.scored_note(lang="en")
    assert "1508 Ålesund" in note and "approximate up to 2023" in note
    assert "5059 Orkland" in note and "approximate up to 2019" in note


def _cli(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "projections", *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cli_warns_in_one_line_about_an_approximate_base_year():
    p = _cli("project", "--kommune", "1508,0301", "--base-year", "2020", "--to", "2021")
    assert p.returncode == 0
    warn = p.stderr.strip().splitlines()
    assert len(warn) == 1 and "tilnærmede" in warn[0] and "1508 Ålesund" in warn[0]
    assert "0301" not in warn[0]
    assert p.stdout.startswith("scenario,year,kommune")
    ok = _cli("project", "--kommune", "1508", "--base-year", "2024", "--to", "2025")
    assert ok.returncode == 0 and ok.stderr == ""
    hamaroy = _cli("project", "--kommune", "1875", "--base-year", "2019", "--to", "2020")
    assert "1875 Hamarøy" in hamaroy.stderr
    assert _cli("project", "--kommune", "1875", "--base-year", "2020", "--to", "2021").stderr == ""


def test_cli_backtest_prints_every_origin_by_size_class():
    p = _cli("backtest")
    assert p.returncode == 0, p.stderr
    for b in range(2008, 2022):
        assert f"| {b} | 5 |" in p.stdout
    for b in range(2008, 2017):
        assert f"| {b} | 10 |" in p.stdout
    for label in ("<2 000", "2 000-10 000", "10 000-50 000", ">50 000"):
        assert f"| {label} |" in p.stdout
    assert "1508 Ålesund" in p.stdout and "Kjøretid" in p.stdout


def test_cli_single_origin_backtest_names_the_approximate_kommuner():
    p = _cli("backtest", "--base-year", "2021", "--horizon", "5")
    assert p.returncode == 0, p.stderr
    assert "1508 Ålesund" in p.stdout and "tilnærmet t.o.m. 2023" in p.stdout
    assert "(355 kommuner, 2 utelatt" in p.stdout
