"""Every generated figure in docs/method.md, docs/backtest.md and README.md is what the code
gives now (issue 18 item 7); regenerate with `python -m projections backtest --report`."""

from __future__ import annotations

from projections import ModelConfig
from projections.backtest import accuracy, report
from projections.docs_figures import BLOCKS, current, render, stale_blocks
from projections.report import BEGIN, DOC, END, generated_block, selection_table

SECTION = "### One change at a time"


def test_named_blocks_match_the_code():
    rendered = render()
    assert set(rendered) == set(BLOCKS)
    for name in BLOCKS:
        assert current(name) is not None, f"markers missing for {name}"
    assert stale_blocks(rendered) == [], "run: python -m projections backtest --report"


def test_backtest_report_block_matches_the_code():
    config = ModelConfig()
    text = DOC.read_text(encoding="utf-8")
    block = BEGIN + text.split(BEGIN, 1)[1].split(END, 1)[0] + END
    fresh = generated_block(report(config=config), config, "", accuracy(config))
    # everything up to the variant table, exactly
    assert block.split(SECTION, 1)[0] == fresh.split(SECTION, 1)[0]
    # the variant table: the chosen configuration's row (each variant is one full backtest)
    row = selection_table(config, {"chosen configuration": {}}).splitlines()[-1]
    assert row in block.split(SECTION, 1)[1]
