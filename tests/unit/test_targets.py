"""Issue 18 targets, measured on held-out origins and printed by `python -m projections
backtest`. Asserted here: the ones met (they must not regress); the others are reported."""

from __future__ import annotations

import io
from contextlib import redirect_stdout

import numpy as np
import pytest

from projections import ModelConfig
from projections.backtest import SELECTION_ORIGINS, run_all
from projections.cli import main
from projections.targets import NORWAY_ORIGINS, figures, smoothness


@pytest.fixture(scope="module")
def figs():
    return figures(run_all(ModelConfig()), ModelConfig())


def test_norway_five_year_error_rms_at_most_1_2(figs):
    assert sorted(figs.norway_error_5) == list(NORWAY_ORIGINS)
    assert figs.norway_rms_5 <= 1.2  # issue 18: 1.29 % with the ten-year mean carried forward


def test_model_at_or_below_best_baseline_in_every_size_class_held_out(figs):
    assert figs.class_lost == ()


def test_still_ahead_of_ssb_from_the_same_start(figs):
    ours, ssb = figs.ssb_2026
    assert ours < ssb
    assert ssb == pytest.approx(1.72, abs=0.01)  # SSB 14288 against the registered 2026


def test_smooth_paths_and_small_kommune_bias_reported(figs):
    assert figs.smoothness <= 4.0 and figs.smoothness_ssb == pytest.approx(3.2, abs=0.05)
    # held out, kommuner under 1 000 are still over-projected (issue 18 target ±1 % not met),
    # less than with fylke shrinkage and the ten-year immigration mean (+2.09 % and more)
    assert 0.0 < figs.small_bias_5 < 2.0
    assert 0 < figs.mape_5 < 2.7 and 0 < figs.mape_10 < 4.1


def test_smoothness_figure_is_max_over_median_change_of_growth():
    years = np.arange(21)
    steady = 1000.0 * 1.01**years  # constant growth: every change is ~0
    kinked = np.where(years <= 5, 1000.0 + 10 * years, 1050.0 + 20 * (years - 5))
    wavy = 1000.0 + 10 * years + 3 * np.sin(years)
    tot = np.stack([kinked, wavy, wavy * 1.5], axis=1) * 20
    base = tot[0]
    assert smoothness(tot[:, :1], base[:1]) > 10  # one kink: one large change
    assert smoothness(tot[:, 1:], base[1:]) < 4
    assert np.isfinite(smoothness(np.stack([steady * 20], axis=1), np.array([20_000.0])))


def test_backtest_cli_prints_every_target():
    buf = io.StringIO()
    with redirect_stdout(buf):
        assert main(["backtest"]) == 0
    out = buf.getvalue()
    for needle in (
        "mean 5-year MAPE",
        "mean 10-year MAPE",
        "kommuner < 1 000",
        "RMS of Norway's 5-year error",
        "every size class",
        "smoothness",
        "SSB 14288",
        "Norway's 5-year error by origin",
    ):
        assert needle in out
    assert max(SELECTION_ORIGINS[5]) == 2012  # held out: 2013-2021
