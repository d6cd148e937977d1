"""Data layer: SSB loader, local Parquet store and the embedded real-data snapshot.

Public API::

    from data_sources import read_table, table_meta, catalogue
    pop = read_table("population")        # year, kommune_code, sex (1/2), age, persons, exact
    catalogue().get("0301").name          # 'Oslo'
"""

from data_sources.catalogue import (
    NORWAY_CODE,
    Catalogue,
    Region,
    UnknownRegionError,
    catalogue,
    fold,
)
from data_sources.store import Store, TableNotFoundError, read_table, table_meta

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
