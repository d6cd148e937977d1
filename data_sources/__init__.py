"""Data layer: SSB loader, local Parquet store and the embedded real-data snapshot.

Public API::

    from data_sources import read_table, table_meta, catalogue
    pop = read_table("population")        # year, kommune_code, sex (1/2), age, persons, exact
    catalogue().get("0301").name          # 'Oslo'

Live data from SSB: ``data_sources.ssb.SSBClient`` (fetching), ``data_sources.refresh.refresh``
(into the local store, all or nothing) and the command line ``python -m data_sources
{info,refresh,parse,build-snapshot}``. They are not imported here, so reading tables stays
free of the HTTP stack.
"""

from data_sources.catalogue import (
    NORWAY_CODE,
    Catalogue,
    Region,
    UnknownRegionError,
    catalogue,
    fold,
)
from data_sources.store import Store, TableNotFoundError
from data_sources.store_read import read_table, table_meta

__all__ = [
    "NORWAY_CODE",
    "Catalogue",
    "Region",
    "Store",
    "TableNotFoundError",
    "UnknownRegionError",
    "catalogue",
    "fold",
    "read_table",
    "table_meta",
]
