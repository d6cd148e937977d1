"""SSBClient: table info, metadata and data from SSB's statistics bank, split and reassembled.

Modelled on pxwebpy: a small public surface over a private transport and pure query helpers.
PxWebApi v2 is the default; ``api="v0"`` uses the classic POST endpoint instead.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

from data_sources.ssb import jsonstat, query
from data_sources.ssb.errors import SSBFormatError, SSBHTTPError
from data_sources.ssb.transport import Transport

Api = Literal["v2", "v0"]
ALL = "*"


@dataclass(frozen=True)
class TableInfo:
    """The v2 table record: what SSB says about a table without its data."""

    id: str
    label: str
    updated: str
    first_period: str
    last_period: str
    variables: tuple[str, ...]

    @classmethod
    def from_json(cls, doc: Mapping[str, Any]) -> TableInfo:
        try:
            return cls(
                id=str(doc["id"]),
                label=str(doc.get("label", "")),
                updated=str(doc.get("updated", "")),
                first_period=str(doc.get("firstPeriod", "")),
                last_period=str(doc.get("lastPeriod", "")),
                variables=tuple(doc.get("variableNames", ())),
            )
        except (KeyError, TypeError) as exc:
            raise SSBFormatError(f"tabellinformasjon mangler 'id' (table info): {exc}") from exc


class SSBClient:
    """Fetch SSB tables as tidy frames (see ``jsonstat.to_frame`` for the columns)."""

    def __init__(
        self,
        transport: Transport | None = None,
        api: Api = "v2",
        lang: str = "no",
        max_cells: int | None = None,
    ) -> None:
        self.transport = transport or Transport()
        self.api = api
        self.lang = lang
        self._max_cells = max_cells

    def table_info(self, table_id: str) -> TableInfo:
        text = self.transport.get(query.v2_table_url(table_id), {"lang": self.lang})
        return TableInfo.from_json(jsonstat.load(text))

    def metadata(self, table_id: str, api: Api | None = None) -> dict[str, list[str]]:
        """Every dimension's value codes, in SSB's order."""
        if (api or self.api) == "v0":
            text = self.transport.get(query.v0_table_url(table_id, self.lang))
        else:
            url = query.v2_metadata_url(table_id)
            text = self.transport.get(url, {"lang": self.lang, "outputFormat": "json-stat2"})
        return jsonstat.dimension_values(text)

    def max_cells(self) -> int:
        """SSB's per-request cell limit (v2 ``/config`` ``maxDataCells``), cached per client."""
        if self._max_cells is None:
            try:
                config = jsonstat.load(self.transport.get(query.v2_config_url()))
                self._max_cells = int(config["maxDataCells"])
            except (SSBFormatError, SSBHTTPError, KeyError, TypeError, ValueError):
                self._max_cells = query.DEFAULT_MAX_CELLS
        return self._max_cells

    def resolve(
        self, table_id: str, selection: Mapping[str, Sequence[str]]
    ) -> dict[str, list[str]]:
        """Replace ``["*"]`` with every value the table offers (from its metadata)."""
        if not any(list(v) == [ALL] for v in selection.values()):
            return {dim: list(v) for dim, v in selection.items()}
        offered = self.metadata(table_id)
        out = {}
        for dim, values in selection.items():
            if dim not in offered:
                raise SSBFormatError(f"tabell {table_id} har ingen dimensjon '{dim}'")
            out[dim] = offered[dim] if list(values) == [ALL] else list(values)
        return out

    def data(
        self,
        table_id: str,
        selection: Mapping[str, Sequence[str]],
        api: Api | None = None,
    ) -> pd.DataFrame:
        """Fetch a selection, split into requests under the cell limit, as one tidy frame."""
        return pd.concat(list(self.iter_data(table_id, selection, api)), ignore_index=True)

    def iter_data(
        self,
        table_id: str,
        selection: Mapping[str, Sequence[str]],
        api: Api | None = None,
    ) -> Iterator[pd.DataFrame]:
        """The same cells as ``data``, one tidy frame per request, so a caller can reduce each
        piece as it arrives (14746 for all kommuner is ~5.7 million cells; about 1 GB as one
        frame). The pieces partition the selection; each is checked for its cell count."""
        api = api or self.api
        resolved = self.resolve(table_id, selection)
        chunks = query.split_selection(resolved, self.max_cells())
        if api == "v2":  # codes travel in the URL: keep each one short
            chunks = [part for chunk in chunks for part in query.split_for_url(chunk)]
        for chunk in chunks:
            if api == "v0":
                text = self.transport.post(
                    query.v0_table_url(table_id, self.lang), query.v0_body(chunk)
                )
            else:
                params = query.v2_data_params(chunk, self.lang)
                text = self.transport.get(query.v2_data_url(table_id), params)
            frame = jsonstat.parse(text)
            if len(frame) != query.cell_count(chunk):
                raise SSBFormatError(
                    f"ba om {query.cell_count(chunk)} celler fra {table_id}, fikk {len(frame)}"
                )
            yield frame


def dumps_query(selection: Mapping[str, Sequence[str]]) -> str:
    """A compact, human-readable record of a query for the store's metadata."""
    return json.dumps(
        {
            dim: list(v) if len(v) <= 12 else [*v[:3], "…", *v[-3:], f"({len(v)})"]
            for dim, v in selection.items()
        },
        ensure_ascii=False,
    )
