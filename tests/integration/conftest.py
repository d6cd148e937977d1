"""Integration tests run several CLI invocations in one process: each starts, as a real run
does, with an empty SSB rate limiter (the recorded SSB answers never reach the network)."""

from __future__ import annotations

import pytest

from data_sources.ssb.transport import PROCESS_LIMITER


@pytest.fixture(autouse=True)
def _fresh_rate_limiter() -> None:
    PROCESS_LIMITER.reset()
