"""Needs assumptions and view choices in the URL, so a shared link shows exactly the same view.

The mapping is generic over the fields of ``projections.needs.Assumptions``: every field that
differs from its default is written as one short, readable query parameter (``bh_bem=110`` =
barnehage staffing 110 % of today's), and read back the same way. Fields added later to
``Assumptions`` travel in the URL under their own name without changes here; the short names
below are only aliases for readability.

Multipliers and shares (fields ending in ``_multiplier`` or ``_share``) are shown and written in
percent. Input text is read the Norwegian way too: "90,5" is 90.5, "103 %" is 103.
"""

from __future__ import annotations

import dataclasses
import math
import re
from functools import cache
from typing import Any

from dashboard.data import model, needs_cache
from dashboard.text.formatting import fmt_number, fmt_percent
from dashboard.text.i18n import t

# field -> short query parameter (readable Norwegian abbreviations)
SHORT: dict[str, str] = {
    "barnehage_coverage": "bh_alder",
    "barnehage_coverage_multiplier": "bh_dek",
    "barnehage_staffing_multiplier": "bh_bem",
    "grunnskole_public_share": "gs_off",
    "teacher_preset": "laerer",
    "actual_pupils_per_teacher_1_4": "elever_1_4",
    "actual_pupils_per_teacher_5_10": "elever_5_10",
    "grunnskole_staffing_multiplier": "gs_bem",
    "home_care_coverage_multiplier": "ht_dek",
    "institution_coverage_multiplier": "inst_dek",
    "housing_coverage_multiplier": "bolig_dek",
    "care_staffing_multiplier": "po_bem",
    "rate_window_years": "rate_aar",
}
# Percent ranges for the form. Staffing cannot be 0: nobody would do the work.
MAX_PERCENT = 500.0
MIN_STAFFING_PERCENT = 10.0
MAX_QUERY_VALUE = 40  # characters; longer values are ignored (and never echoed in full)


@cache
def fields() -> tuple[dataclasses.Field[Any], ...]:
    """The fields of ``Assumptions`` (the single source of what can be assumed)."""
    if not model.needs_available():
        return ()
    return tuple(dataclasses.fields(type(needs_cache.default_assumptions())))


def param_name(field: str) -> str:
    return SHORT.get(field, field)


@cache
def _by_param() -> dict[str, str]:
    return {param_name(f.name): f.name for f in fields()}


def is_percent(field: str) -> bool:
    return field.endswith(("_multiplier", "_share"))


def percent_fields() -> tuple[str, ...]:
    """Fields edited in percent in the form (every multiplier and share)."""
    return tuple(f.name for f in fields() if is_percent(f.name))


def percent_range(field: str) -> tuple[float, float]:
    """(lowest, highest) allowed percent for a field."""
    high = 100.0 if field.endswith("_share") else MAX_PERCENT
    if field == "barnehage_coverage_multiplier" and model.needs_available():
        top = max(needs_cache.default_assumptions().barnehage_coverage_values())
        if top > 0:  # coverage times the multiplier cannot pass 100 % at any age
            high = math.floor(100.0 / top * 10) / 10
    low = MIN_STAFFING_PERCENT if "staffing" in field else 0.0
    return low, high


def parse_number(text: Any) -> float | None:
    """A number typed by a person: "90,5", "103 %", "1 000", "−5" (None when not a number)."""
    if isinstance(text, bool):
        return None
    if isinstance(text, int | float):
        return float(text) if math.isfinite(text) else None
    s = str(text or "").strip().replace("\u2212", "-").replace("%", "")
    s = re.sub(r"[\s\u00a0\u202f]", "", s).replace(",", ".")
    if not re.fullmatch(r"[-+]?(\d+(\.\d*)?|\.\d+)", s):
        return None
    value = float(s)
    return value if math.isfinite(value) else None


def fmt_pct_value(value: float, lang: str) -> str:
    """103 -> "103 %", 90.5 -> "90,5 %" (at most one decimal, none when whole)."""
    decimals = 0 if abs(value - round(value)) < 1e-9 else 1
    return fmt_percent(value, lang, decimals)


def fmt_range(low: float, high: float, lang: str) -> str:
    """ "0–102,5 %" (the unit once, as in SSB's tables)."""
    high_text = fmt_pct_value(high, lang)
    decimals = 0 if abs(low - round(low)) < 1e-9 else 1
    return f"{fmt_number(low, lang, decimals)}–{high_text}"


def check_percent(field: str, text: Any, lang: str) -> tuple[float | None, str | None]:
    """(value in percent, None) or (None, message in the user's language)."""
    label = t(f"asm.{field}", lang)
    if text is None or str(text).strip() == "":
        return None, t("ux.asm.empty", lang, field=label)
    value = parse_number(text)
    if value is None:
        shown = str(text)[:MAX_QUERY_VALUE]
        return None, t("ux.asm.not_number", lang, field=label, value=shown)
    low, high = percent_range(field)
    if not low <= value <= high:
        return None, t(
            "ux.asm.range",
            lang,
            field=label,
            low=fmt_pct_value(low, lang),
            high=fmt_pct_value(high, lang),
            value=fmt_pct_value(value, lang),
        )
    return value, None


def _default(field: dataclasses.Field[Any]) -> Any:
    return getattr(needs_cache.default_assumptions(), field.name)


def _encode(field: str, value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, tuple):
        return ",".join(_encode(field, v) for v in value)
    if isinstance(value, int | float):
        v = float(value) * 100 if is_percent(field) else float(value)
        return f"{round(v, 6):g}"
    return str(value)


def _decode(field: dataclasses.Field[Any], text: str) -> Any:
    """The typed value of a query parameter (ValueError when it does not fit the field)."""
    default = _default(field)
    annotation = str(field.type)
    if len(text) > MAX_QUERY_VALUE and "tuple" not in annotation:
        raise ValueError("too long")
    if isinstance(default, bool):
        return text in ("1", "true", "ja")
    if isinstance(default, int) and "float" not in annotation:
        number = parse_number(text)
        if number is None or number != int(number):
            raise ValueError(text)
        return int(number)
    if isinstance(default, float) or ("float" in annotation and "tuple" not in annotation):
        number = parse_number(text)
        if number is None:
            raise ValueError(text)
        return number / 100.0 if is_percent(field.name) else number
    if "tuple" in annotation:
        parts = [parse_number(x) for x in text.split(",")]
        if any(p is None for p in parts):
            raise ValueError(text)
        scale = 100.0 if is_percent(field.name) else 1.0
        return tuple(float(p) / scale for p in parts if p is not None)
    return text


def assumption_params(assumptions: Any) -> dict[str, str]:
    """Query parameters for the fields that differ from the defaults ({} for defaults/None)."""
    if assumptions is None:
        return {}
    out = {}
    for f in fields():
        value = getattr(assumptions, f.name)
        if value != _default(f):
            out[param_name(f.name)] = _encode(f.name, value)
    return out


def read_assumptions(params: dict[str, Any], lang: str) -> tuple[Any, list[str]]:
    """(Assumptions or None for defaults, problems in the user's language) from URL params.

    A value that does not fit is dropped with a message; the rest still apply.
    """
    if not model.needs_available():
        return None, []
    values: dict[str, Any] = {}
    problems: list[str] = []
    for param, field_name in _by_param().items():
        raw = params.get(param)
        if raw is None or raw == "":
            continue
        field = next(f for f in fields() if f.name == field_name)
        label = field_label(field_name, lang)
        try:
            value = _decode(field, str(raw))
        except ValueError:
            problems.append(t("ux.asm.url_bad", lang, field=label, value=str(raw)[:20]))
            continue
        if is_percent(field_name):
            _pct, msg = check_percent(field_name, value * 100, lang)
            if msg:
                problems.append(msg)
                continue
        values[field_name] = value
    while values:
        try:
            a = needs_cache.make_assumptions(values)
        except ValueError as exc:
            problems.append(error_text(exc, lang))
            values.popitem()  # drop the last one and keep what is valid
            continue
        return (None if a == needs_cache.default_assumptions() else a), problems
    return None, problems


def error_text(exc: Exception, lang: str) -> str:
    """The needs package's validation message: Norwegian part, or the English in parentheses,
    with "358%" spaced as "358 %" like every other percentage on the page."""
    text = str(exc)
    m = re.search(r"\(([^()]*)\)\s*$", text)
    if lang == "en" and m:
        text = m.group(1)
    elif m:
        text = text[: m.start()].rstrip()
    text = re.sub(r"(\d)%", "\\1\u00a0%", text)
    return text[:300]


def field_label(field: str, lang: str) -> str:
    key = f"asm.{field}"
    label = t(key, lang)
    return label if label != key else field.replace("_", " ")


def form_value(assumptions: Any, field: str, lang: str) -> str:
    """Text shown in a percent field ("100", "90,5")."""
    a = assumptions or needs_cache.default_assumptions()
    v = float(getattr(a, field)) * 100
    decimals = 0 if abs(v - round(v)) < 1e-9 else 1
    return fmt_number(v, lang, decimals)


def changes(assumptions: Any, lang: str) -> list[str]:
    """What differs from today's level, e.g. "Bemanning i barnehage: 110 % (i dag 100 %)"."""
    if assumptions is None:
        return []
    out = []
    for f in fields():
        value, default = getattr(assumptions, f.name), _default(f)
        if value == default:
            continue
        label = field_label(f.name, lang)
        if is_percent(f.name):
            now, was = fmt_pct_value(value * 100, lang), fmt_pct_value(default * 100, lang)
        else:
            now, was = _shown(value, lang), _shown(default, lang)
        out.append(t("ux.asm.change", lang, field=label, value=now, default=was))
    return out


def _shown(value: Any, lang: str) -> str:
    if value is None:
        return t("ux.asm.none", lang)
    if isinstance(value, float):
        return fmt_number(value, lang, 0 if value == round(value) else 2)
    if isinstance(value, tuple):
        return ", ".join(_shown(v, lang) for v in value)
    return str(value)
