"""Every UI text exists in bokmål, nynorsk and English, and every key the code uses exists."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from dashboard.data import history
from dashboard.text.i18n import LANGS, catalog, normalise_lang, t

ROOT = Path(__file__).resolve().parents[2]
CODE = [
    ROOT / "app.py",
    *sorted((ROOT / "pages").glob("*.py")),
    *sorted((ROOT / "dashboard").glob("*.py")),
]
LITERAL_KEY = re.compile(r"""\bt\(\s*["']([a-z0-9_]+(?:\.[a-zA-Z0-9_]+)+)["']""")


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_catalogs_have_identical_keys():
    keys = {lang: set(catalog(lang)) for lang in LANGS}
    for lang in LANGS:
        assert keys[lang] == keys["nb"], (
            f"{lang}: missing {sorted(keys['nb'] - keys[lang])}, extra {sorted(keys[lang] - keys['nb'])}"
        )


def test_placeholders_match_across_languages():
    for key, nb_text in catalog("nb").items():
        for lang in ("nn", "en"):
            assert _fields(catalog(lang)[key]) == _fields(nb_text), f"{lang}:{key}"


def test_no_empty_texts():
    for lang in LANGS:
        assert all(v.strip() for v in catalog(lang).values()), lang


def test_every_literal_key_in_code_exists():
    used = set()
    for path in CODE:
        used |= set(LITERAL_KEY.findall(path.read_text(encoding="utf-8")))
    missing = sorted(k for k in used if k not in catalog("nb"))
    assert not missing, missing


@pytest.mark.parametrize("prefix", ["scenario.", "sector.", "group.", "what.", "asm.", "map.ind."])
def test_dynamic_key_families_are_complete(prefix):
    from dashboard.data import model
    from dashboard.state import assumption_codec
    from dashboard.views import chartdata

    nb = catalog("nb")
    if prefix == "scenario.":
        for code in model.scenario_codes():
            assert f"scenario.{code}" in nb and f"scenario.{code}.desc" in nb
    elif prefix == "sector.":
        for s in (*chartdata.USER_SECTORS, *chartdata.ARSVERK_SECTORS):
            assert f"sector.{s}" in nb
    elif prefix in ("group.", "what."):
        for g in history.AGE_GROUPS:
            assert f"{prefix}{g}" in nb
    elif prefix == "asm.":
        for f in assumption_codec.percent_fields():
            assert f"asm.{f}" in nb and f"asm.{f}.help" in nb
    else:
        import app  # noqa: F401  (pages register themselves on the app)
        from pages.kart import INDICATORS

        for i in INDICATORS:
            assert f"map.ind.{i}" in nb


def test_translation_and_fallbacks():
    assert t("nav.befolkning", "nb") == "Befolkning"
    assert t("nav.befolkning", "nn") == "Folketal"
    assert t("nav.befolkning", "en") == "Population"
    assert t("nav.befolkning", "de") == "Befolkning"  # unknown language -> bokmål
    assert t("no.such.key", "en") == "no.such.key"  # visible, never a traceback
    assert (
        t("sentence.up", "nb", what="X", pct="5 %", year=2040)
        == "X ventes å øke med 5 % fram til 2040."
    )
    assert normalise_lang("EN") == ("en", True)
    assert normalise_lang(None) == ("nb", True)
    assert normalise_lang("de") == ("nb", False)


def test_topic_catalogs_are_merged_and_never_redefine_a_key(tmp_path, monkeypatch):
    import dashboard.text.i18n as i18n

    (tmp_path / "nb").mkdir()
    (tmp_path / "nb.json").write_text('{"a": "A"}', encoding="utf-8")
    (tmp_path / "nb" / "x.json").write_text('{"b": "B"}', encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n.catalog.cache_clear()
    try:
        assert i18n.catalog("nb") == {"a": "A", "b": "B"}
        (tmp_path / "nb" / "y.json").write_text('{"a": "again"}', encoding="utf-8")
        i18n.catalog.cache_clear()
        with pytest.raises(ValueError, match="defined twice"):
            i18n.catalog("nb")
    finally:
        i18n.catalog.cache_clear()
