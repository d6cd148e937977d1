"""The real-time selector of benchmarks/backtest_rolling_selection.py uses only outcomes
observed at the origin it chooses for (a synthetic score table, no projection is run)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd

PATH = Path(__file__).resolve().parents[2] / "benchmarks" / "backtest_rolling_selection.py"
_spec = importlib.util.spec_from_file_location("backtest_rolling_selection", PATH)
assert _spec is not None and _spec.loader is not None
rolling = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(rolling)

NAMES = ("a", "b")


def table(rows: list[tuple[str, int, int, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["config", "base_year", "horizon", "mape"]).assign(
        small_bias=0.0
    )


def test_rolling_choice_ignores_outcomes_not_yet_observed():
    # "a" wins on 2008+5 (observed in 2013), "b" wins by far on 2009+5 (observed only in 2014)
    t = table([("a", 2008, 5, 2.0), ("b", 2008, 5, 2.1), ("a", 2009, 5, 9.0), ("b", 2009, 5, 1.0)])
    assert rolling.rolling_choice(t, 2013, 5, NAMES, "b") == ("a", "5y 2008-2008")
    assert rolling.rolling_choice(t, 2014, 5, NAMES, "a")[0] == "b"
    # nothing observed yet: the fallback; ten years with no 10-year outcome: the 5-year choice
    assert rolling.rolling_choice(t, 2012, 5, NAMES, "b") == ("b", "nothing known")
    assert rolling.rolling_choice(t, 2013, 10, NAMES, "b") == ("a", "5y 2008-2008")
    # a window keeps only the latest known origins
    assert rolling.rolling_choice(t, 2014, 5, NAMES, "a", window=1)[0] == "b"
    assert rolling.rolling_choice(t, 2014, 5, NAMES, "b", window=None)[0] == "b"


def test_latest_choice_scores_every_origin_on_the_stock_of_the_origin_year():
    # at 2011: origins 2008-2010 at horizons 3, 2, 1; a later-year score (2008+4) must not count
    t = table(
        [
            ("a", 2008, 3, 1.0),
            ("b", 2008, 3, 1.5),
            ("a", 2009, 2, 1.0),
            ("b", 2009, 2, 1.2),
            ("a", 2010, 1, 0.5),
            ("b", 2010, 1, 0.6),
            ("a", 2008, 4, 9.0),
            ("b", 2008, 4, 0.1),
        ]
    )
    assert rolling.latest_choice(t, 2011, 5, NAMES, "b") == ("a", "2011: 2008-2010")
    assert rolling.latest_choice(t, 2012, 5, NAMES, "a")[0] == "b"  # 2008+4 is observed in 2012
    assert rolling.latest_choice(t, 2008, 5, NAMES, "b") == ("b", "nothing known")
