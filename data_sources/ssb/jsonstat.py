"""JSON-stat (v1 "dataset" bundles and 2.0 datasets) to tidy DataFrames, via pyjstat.

Output: one column per dimension holding the *codes* as strings ("0301", "000"), one
``<dim>_label`` column per dimension with SSB's label, ``value`` (float, NaN where SSB has no
number) and ``status`` (SSB's symbol such as "..", ":" or ".", else None). Missing cells are
kept, never dropped, so a caller can tell "0" from "suppressed".

pyjstat decodes the dimensions (index as list or dict, absent labels) and the values (dense
list or sparse dict). Two workarounds, both kept minimal:

* pyjstat's own ``Dataset.write("dataframe")`` builds the rows with a recursive Python generator
  (about 10 s for 400 000 cells), far too slow for a full 07459 refresh of several million
  cells. We take pyjstat's decoded dimensions and values and form the row-major Cartesian
  product with numpy instead; tests check the result equals pyjstat's own frame.
* With pandas 3, pyjstat fails on a dimension that has ``category.label`` but no
  ``category.index`` (legal in JSON-stat for single-category dimensions): it indexes a
  Series positionally (``dim_label["id"][0]``), which pandas 3 no longer allows. We add the
  implied index before handing the dimension to pyjstat.
"""

from __future__ import annotations

import json
import math
from collections import OrderedDict
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
from pyjstat import pyjstat

from data_sources.ssb.errors import SSBFormatError

JSON = dict[str, Any]


def load(source: str | bytes | JSON) -> JSON:
    """Parse JSON text (or pass a dict through); truncated or invalid text is a format error."""
    if isinstance(source, dict):
        return source
    try:
        return json.loads(source, object_pairs_hook=OrderedDict)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise SSBFormatError(f"svaret er ikke gyldig JSON (truncated or invalid): {exc}") from exc


def datasets(doc: JSON) -> dict[str, JSON]:
    """The datasets in a document: ``{"dataset": doc}`` for 2.0, every named one for v1."""
    if not isinstance(doc, dict):
        raise SSBFormatError("forventet et JSON-objekt (expected a JSON object)")
    if doc.get("class") == "dataset" or ("id" in doc and "dimension" in doc):
        return {"dataset": doc}
    if doc.get("class") == "collection":
        raise SSBFormatError("JSON-stat collection støttes ikke (collections are not supported)")
    found = {k: v for k, v in doc.items() if isinstance(v, dict) and "dimension" in v}
    if not found:
        raise SSBFormatError("fant ingen datasett med 'dimension' (no dataset found)")
    return found


def _structure(ds: JSON) -> tuple[list[str], list[int], JSON]:
    """Dimension ids, sizes and the dimension dict, for v1 and 2.0 alike, checked."""
    dims = ds.get("dimension")
    if not isinstance(dims, dict):
        raise SSBFormatError("mangler 'dimension' (missing dimensions)")
    ids = ds.get("id", dims.get("id"))
    sizes = ds.get("size", dims.get("size"))
    if not isinstance(ids, list) or not isinstance(sizes, list):
        raise SSBFormatError("mangler 'id' eller 'size' (missing id/size)")
    if len(ids) != len(sizes):
        raise SSBFormatError(f"{len(ids)} dimensjoner men {len(sizes)} størrelser (id/size)")
    for dim, size in zip(ids, sizes, strict=True):
        cat = dims.get(dim, {}).get("category") if isinstance(dims.get(dim), dict) else None
        if not isinstance(cat, dict):
            raise SSBFormatError(f"dimensjonen '{dim}' mangler (dimension missing)")
        n = len(cat.get("index") or cat.get("label") or {})
        if n != size:
            raise SSBFormatError(f"dimensjonen '{dim}' har {n} kategorier, size sier {size}")
    return ids, sizes, dims


def _with_implied_index(ds: JSON, ids: list[str], dims: JSON) -> JSON:
    """Copy of ``ds`` where every category has an index (pandas-3 workaround, see above)."""
    fixed = OrderedDict(ds)
    fixed_dims = OrderedDict(dims)
    for dim in ids:
        cat = dims[dim]["category"]
        if "index" not in cat:
            fixed_dims[dim] = {
                **dims[dim],
                "category": {**cat, "index": {code: i for i, code in enumerate(cat["label"])}},
            }
    fixed["dimension"] = fixed_dims
    return fixed


def _values(ds: JSON, total: int) -> tuple[np.ndarray, list | None]:
    """Values as floats (None -> NaN); also the raw cells when some were non-numeric text."""
    raw = ds.get("value")
    if isinstance(raw, list) and len(raw) != total:
        raise SSBFormatError(f"{len(raw)} verdier, men size gir {total} celler (value count)")
    if isinstance(raw, dict):
        bad = [k for k in raw if not str(k).isdigit() or int(k) >= total]
        if bad:
            raise SSBFormatError(
                f"verdiindeks utenfor tabellen (value index out of range): {bad[0]}"
            )
    elif not isinstance(raw, list):
        raise SSBFormatError("mangler 'value' (missing values)")
    cells = pyjstat.get_values(ds) if total else []
    try:
        return np.array(cells, dtype=float), None
    except (TypeError, ValueError):  # text such as ".." inside value: keep it as status
        as_float = pd.to_numeric(pd.Series(cells, dtype=object), errors="coerce")
        return as_float.to_numpy(float), cells


def _status(ds: JSON, text_cells: list | None, total: int) -> np.ndarray:
    """SSB status symbols per cell (string, list or sparse dict form), None where absent."""
    status = np.full(total, None, dtype=object)
    raw = ds.get("status")
    if isinstance(raw, str):
        status[:] = raw
    elif isinstance(raw, list):
        if len(raw) == 1:
            status[:] = raw[0]
        elif len(raw) == total:
            status[:] = raw
        else:
            raise SSBFormatError(f"{len(raw)} statuser for {total} celler (status count)")
    elif isinstance(raw, dict):
        for key, symbol in raw.items():
            if not str(key).isdigit() or int(key) >= total:
                raise SSBFormatError(f"statusindeks utenfor tabellen: {key}")
            status[int(key)] = symbol
    for i, cell in enumerate(text_cells or []):
        if (
            isinstance(cell, str)
            and status[i] is None
            and pd.isna(pd.to_numeric(cell, errors="coerce"))
        ):
            status[i] = cell
    return status


_STR = pd.Series([], dtype="str").dtype  # pandas 3: Arrow-backed "str"; pandas 2: object


def _take_str(categories: np.ndarray, pos: np.ndarray) -> pd.Series:
    """``categories[pos]`` as a "str" Series. With pandas 3 the take runs in Arrow: about 20x
    faster than converting ~700 000 Python strings (it was 7 of the 11 s for one 14746 piece)."""
    if isinstance(_STR, pd.StringDtype) and _STR.storage == "pyarrow":
        taken = pa.array(categories, type=pa.string()).take(pa.array(pos))
        return pd.Series(taken.to_pandas(types_mapper={pa.string(): _STR}.get))
    return pd.Series(categories[pos], dtype="str")


def to_frame(ds: JSON) -> pd.DataFrame:
    """One JSON-stat dataset (v1 or 2.0) as a tidy frame: codes, labels, value, status."""
    ids, sizes, dims = _structure(ds)
    total = math.prod(sizes)
    values, text_cells = _values(ds, total)
    status = _status(ds, text_cells, total)
    decoded, _ = pyjstat.get_dimensions(_with_implied_index(ds, ids, dims), "label")

    columns: dict[str, Any] = {}
    cells = np.arange(total)
    stride = total
    for dim, size, frame in zip(ids, sizes, decoded, strict=True):
        if len(frame) != size:  # e.g. index codes without a matching label
            raise SSBFormatError(f"dimensjonen '{dim}' har uleselige kategorier (categories)")
        stride //= size
        pos = (cells // stride) % size
        columns[dim] = _take_str(frame["id"].astype(str).to_numpy(object), pos)
        columns[f"{dim}_label"] = _take_str(frame["label"].astype(str).to_numpy(object), pos)
    columns["value"] = values
    columns["status"] = pd.Series(status, dtype="str")  # missing status -> NaN
    return pd.DataFrame(columns)


def parse(source: str | bytes | JSON, dataset: str | None = None) -> pd.DataFrame:
    """Parse a JSON-stat document into one tidy frame.

    A v1 bundle with several datasets gives them all, stacked with a ``dataset`` column, unless
    ``dataset`` names one.
    """
    found = datasets(load(source))
    if dataset is not None:
        if dataset not in found:
            raise SSBFormatError(f"datasettet '{dataset}' finnes ikke; har {', '.join(found)}")
        return to_frame(found[dataset])
    if len(found) == 1:
        return to_frame(next(iter(found.values())))
    frames = [to_frame(ds).assign(dataset=name) for name, ds in found.items()]
    return pd.concat(frames, ignore_index=True)


def dimension_values(source: str | bytes | JSON) -> dict[str, list[str]]:
    """Value codes per dimension, in order, from v2 JSON-stat metadata or v0 ``variables``."""
    doc = load(source)
    if isinstance(doc, dict) and isinstance(doc.get("variables"), list):
        return {v["code"]: [str(x) for x in v["values"]] for v in doc["variables"]}
    ids, _, dims = _structure(next(iter(datasets(doc).values())))
    out = {}
    for dim in ids:
        cat = dims[dim]["category"]
        index = cat.get("index") or list(cat.get("label", {}))
        out[dim] = list(index) if isinstance(index, list) else sorted(index, key=index.get)
    return out
