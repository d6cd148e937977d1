"""Words and numbers for people: the nb/nn/en catalogues (``t``), Norwegian number formats and
the sentences built from numbers. The layer's public API for pages and widgets."""

from dashboard.text.formatting import (
    MINUS,
    clip,
    fmt_change,
    fmt_compact,
    fmt_int,
    fmt_number,
    fmt_percent,
    pct_change,
)
from dashboard.text.i18n import DEFAULT_LANG, LANGS, normalise_lang, t
from dashboard.text.texts import card_change, change_sentence, chg_class, direction
from dashboard.text.ux_text import (
    backtest_readable,
    components_title_key,
    fmt_date,
    licence_text,
    pressure_change,
    pressure_class,
)

__all__ = [
    "DEFAULT_LANG",
    "LANGS",
    "MINUS",
    "backtest_readable",
    "card_change",
    "change_sentence",
    "chg_class",
    "clip",
    "components_title_key",
    "direction",
    "fmt_change",
    "fmt_compact",
    "fmt_date",
    "fmt_int",
    "fmt_number",
    "fmt_percent",
    "licence_text",
    "normalise_lang",
    "pct_change",
    "pressure_change",
    "pressure_class",
    "t",
]
