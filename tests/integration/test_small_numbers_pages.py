"""Small numbers on the pages (issue 19): where a count is under 100 people the Oversikt
cards and the certainty sentence give whole counts, as the small-kommune note promises;
large kommuner keep percentages."""

from __future__ import annotations

import re

import numpy as np
from layout_text import nodes

import app  # noqa: F401  (registers the pages)
from dashboard.data import model
from dashboard.state import ViewState
from dashboard.ui import needs_views, uncertainty
from pages import oversikt
from projections import intervals as iv
from projections.small_numbers import whole_interval


def _card_changes(code: str, card: str) -> list[str]:
    """The change cells of one key card on Oversikt, as the page renders them."""
    layout = oversikt.layout(code=code, scenario="MMMM", lang="nb")
    article = next(n for n in nodes(layout) if n["props"].get("id") == f"card-{card}")
    return [
        n["props"]["children"]
        for n in nodes(article["props"]["children"])
        if str(n["props"].get("className", "")).startswith("chg ")
    ]


def test_small_group_cards_give_persons_and_large_ones_percentages():
    utsira = _card_changes("1151", "0_5")  # four children now
    oslo = _card_changes("0301", "0_5")
    assert len(utsira) == 3 and all(c.endswith("pers.") for c in utsira), utsira
    assert len(oslo) == 3 and all(c.endswith("%") for c in oslo), oslo


def test_certainty_sentence_gives_children_as_counts_in_a_tiny_kommune():
    res = model.projection("MMMM")
    band = iv.region_interval(res, "1151", "0-5", 80).set_index("year").loc[2040]
    _, lo, hi = whole_interval(band["median"], band["lower"], band["upper"])
    sentence = uncertainty.certainty_sentence("1151", "MMMM", "nb").children[0].children
    assert f"mellom {int(lo)} og {int(hi)} barn" in sentence, sentence
    assert "± " in sentence.split("For barn")[0]  # the total keeps its percentage
    oslo = uncertainty.certainty_sentence("0301", "MMMM", "nb").children[0].children
    young = float(np.asarray(iv.region_interval(res, "0301", "0-5", 80)["median"])[0])
    assert young > 100 and re.search(r"For barn 0–5 år er usikkerheten mye større \(± \d+", oslo)


def test_a_service_without_users_is_said_in_words():
    """Utsira has no residents in 24-hour housing: the usage chart's caption says so instead
    of '0 brukere i 2026 og 0 i 2040; 0 % av dem er 90 år eller eldre'."""

    def caption(code: str) -> str:
        state = ViewState(region=code, scenario="MMMM").with_view(usage_service="bolig_heldogn")
        block = needs_views.usage_block(state)
        return next(
            n["props"]["children"]
            for n in nodes(block)
            if n["props"].get("id") == "needs-age-chart-summary"
        )

    assert "ingen brukere av denne tjenesten" in caption("1151")
    assert "ingen brukere" not in caption("0301")
