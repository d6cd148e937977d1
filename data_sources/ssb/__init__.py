"""SSB statistics bank client (PxWebApi v2, v0 fallback) and JSON-stat parsing.

Example (``"*"`` means every value the table offers)::

    >>> from data_sources.ssb import SSBClient
    >>> sel = {"Region": ["0301"], "Kjonn": ["1", "2"], "Alder": ["*"],
    ...        "ContentsCode": ["Personer1"], "Tid": ["2026"]}
    >>> df = SSBClient().data("07459", sel)  # Region, Region_label, ..., value, status
"""

from data_sources.ssb.client import SSBClient, TableInfo
from data_sources.ssb.errors import (
    SSBError,
    SSBFormatError,
    SSBHTTPError,
    SSBTimeoutError,
    SSBUnavailableError,
    SSBValidationError,
)
from data_sources.ssb.jsonstat import parse
from data_sources.ssb.transport import RateLimiter, Transport

__all__ = [
    "RateLimiter",
    "SSBClient",
    "SSBError",
    "SSBFormatError",
    "SSBHTTPError",
    "SSBTimeoutError",
    "SSBUnavailableError",
    "SSBValidationError",
    "TableInfo",
    "Transport",
    "parse",
]
