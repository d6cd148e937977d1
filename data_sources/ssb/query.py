"""Pure query helpers: URLs, parameters and bodies for SSB's PxWebApi v2 and v0, and splitting.

Nothing here does I/O, so all of it is unit-testable. A *selection* maps each dimension code
(in the table's order) to the explicit value codes wanted, e.g.
``{"Region": ["0301"], "Kjonn": ["1", "2"], "Tid": ["2026"]}``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from urllib.parse import urlencode

BASE_URL = "https://data.ssb.no"
V2_ROOT = f"{BASE_URL}/api/pxwebapi/v2"
V0_ROOT = f"{BASE_URL}/api/v0"
DEFAULT_MAX_CELLS = 800_000  # SSB's documented limit; the live value comes from /v2/config
# v2 data requests are GETs with every code in the URL. SSB's limit on the query string is not
# documented (servers commonly stop at 4-8 KB), so we stay well below it.
MAX_QUERY_CHARS = 3_000
JSON_STAT2 = "json-stat2"

Selection = dict[str, list[str]]


def cell_count(selection: Mapping[str, Sequence[str]]) -> int:
    """Number of data cells the selection asks for (product of the value counts)."""
    return math.prod(len(v) for v in selection.values())


def v2_table_url(table_id: str) -> str:
    return f"{V2_ROOT}/tables/{table_id}"


def v2_metadata_url(table_id: str) -> str:
    return f"{V2_ROOT}/tables/{table_id}/metadata"


def v2_config_url() -> str:
    return f"{V2_ROOT}/config"


def v2_data_url(table_id: str) -> str:
    return f"{V2_ROOT}/tables/{table_id}/data"


def v2_data_params(selection: Mapping[str, Sequence[str]], lang: str = "no") -> dict[str, str]:
    """Query parameters for a v2 GET data request (``valueCodes[Dim]=a,b,c``)."""
    params = {"lang": lang, "outputFormat": JSON_STAT2}
    for dim, values in selection.items():
        params[f"valueCodes[{dim}]"] = ",".join(values)
    return params


def v0_table_url(table_id: str, lang: str = "no") -> str:
    return f"{V0_ROOT}/{lang}/table/{table_id}"


def v0_body(selection: Mapping[str, Sequence[str]]) -> dict:
    """The classic v0 POST body (PxWeb "query" format) answering in json-stat2."""
    return {
        "query": [
            {"code": dim, "selection": {"filter": "item", "values": list(values)}}
            for dim, values in selection.items()
        ],
        "response": {"format": JSON_STAT2},
    }


def _even_parts(values: Sequence[str], n_parts: int) -> list[list[str]]:
    """Split ``values`` into ``n_parts`` consecutive runs whose lengths differ by at most one."""
    size, extra = divmod(len(values), n_parts)
    parts, start = [], 0
    for i in range(n_parts):
        end = start + size + (1 if i < extra else 0)
        parts.append(list(values[start:end]))
        start = end
    return parts


def split_selection(
    selection: Mapping[str, Sequence[str]], max_cells: int = DEFAULT_MAX_CELLS
) -> list[Selection]:
    """Split a selection into requests of at most ``max_cells`` cells each.

    The chunks are a partition of the query's Cartesian product: every cell is in exactly one
    chunk. One dimension is cut into even runs when that alone is enough (choosing the cut
    giving the fewest requests); otherwise the largest dimension is cut into single values and
    the rest is split recursively.
    """
    if max_cells < 1:
        raise ValueError("max_cells must be at least 1")
    sel: Selection = {dim: list(values) for dim, values in selection.items()}
    empty = [dim for dim, values in sel.items() if not values]
    if empty:
        raise ValueError(f"dimension(s) with no values selected: {', '.join(empty)}")
    total = cell_count(sel)
    if total <= max_cells:
        return [sel]

    best: tuple[int, str] | None = None
    for dim, values in sel.items():
        rest = total // len(values)  # cells per value of this dimension
        if rest <= max_cells:
            n_chunks = math.ceil(len(values) / (max_cells // rest))
            if best is None or n_chunks < best[0]:
                best = (n_chunks, dim)
    if best is not None:
        n_chunks, dim = best
        return [{**sel, dim: part} for part in _even_parts(sel[dim], n_chunks)]

    dim = max(sel, key=lambda d: len(sel[d]))
    chunks: list[Selection] = []
    for value in sel[dim]:
        chunks.extend(split_selection({**sel, dim: [value]}, max_cells))
    return chunks


def query_length(selection: Mapping[str, Sequence[str]], lang: str = "no") -> int:
    """Length of the encoded v2 query string for this selection."""
    return len(urlencode(v2_data_params(selection, lang)))


def split_for_url(
    selection: Mapping[str, Sequence[str]], max_chars: int = MAX_QUERY_CHARS
) -> list[Selection]:
    """Halve the dimension with the longest code list until each GET URL is short enough.

    Like ``split_selection`` the result is a partition of the query. A selection that is
    still too long with one code per dimension is returned as is (SSB will say so).
    """
    out: list[Selection] = []
    stack: list[Selection] = [{dim: list(v) for dim, v in selection.items()}]
    while stack:
        sel = stack.pop()
        if query_length(sel) <= max_chars or all(len(v) == 1 for v in sel.values()):
            out.append(sel)
            continue
        dim = max(sel, key=lambda d: len(",".join(sel[d])) if len(sel[d]) > 1 else -1)
        half = len(sel[dim]) // 2
        stack.append({**sel, dim: sel[dim][half:]})
        stack.append({**sel, dim: sel[dim][:half]})
    return out
