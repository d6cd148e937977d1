"""The coefficients file: every number has a source and a year, and matches the data store."""

from __future__ import annotations

import tomllib

import pytest

from projections.needs.coefficients import (
    COEFFICIENTS_PATH,
    CoefficientError,
    load_coefficients,
    parse_coefficients,
)


def test_every_coefficient_has_source_and_year() -> None:
    raw = tomllib.loads(COEFFICIENTS_PATH.read_text(encoding="utf-8"))["coefficient"]
    assert raw, "no coefficients parsed"
    for entry in raw:
        assert str(entry.get("source", "")).strip(), entry["name"]
        assert isinstance(entry.get("year"), int), entry["name"]
        assert 1990 <= entry["year"] <= 2026, entry["name"]
        assert str(entry.get("unit", "")).strip(), entry["name"]
    assert len(load_coefficients()) == len(raw)


def test_laws_cite_a_paragraph_and_data_cite_a_table_or_publication() -> None:
    for c in load_coefficients().values():
        if ".norm." in c.name:
            assert "§" in c.source, c.name
        else:
            assert any(s in c.source for s in ("SSB", "Udir")), c.name


@pytest.mark.parametrize("field", ["source", "year"])
def test_parser_rejects_entry_without_source_or_year(field: str) -> None:
    entry = {
        "name": "x",
        "value": 1.0,
        "unit": "andel",
        "year": 2020,
        "source": "SSB 1",
        "description": "d",
    }
    del entry[field]
    text = "[[coefficient]]\n" + "\n".join(
        f"{k} = {v!r}" if isinstance(v, str) else f"{k} = {v}" for k, v in entry.items()
    )
    with pytest.raises(CoefficientError, match=field):
        parse_coefficients(text.replace("'", '"'))


def test_barnehage_coverage_matches_udir_figures_in_store() -> None:
    import data_sources

    sf = data_sources.read_table("service_figures")
    cov = sf[
        (sf["topic"] == "kindergarten")
        & (sf["year"] == 2016)
        & (sf["unit"] == "percent")
        & sf["age_group"].isin([str(a) for a in range(6)])
    ]
    assert len(cov) == 6
    coefs = load_coefficients()
    for row in cov.itertuples():
        c = coefs[f"barnehage.coverage.age_{row.age_group}"]
        assert c.value == pytest.approx(row.value / 100)
        assert c.year == row.year


def test_housing_profile_matches_ssb_2008_figures_in_store() -> None:
    import data_sources

    sf = data_sources.read_table("service_figures")
    h = sf[(sf["topic"] == "care_housing") & (sf["year"] == 2008)].set_index("age_group")["value"]
    coefs = load_coefficients()
    assert coefs["bolig_heldogn.age_profile.residents_0_66"].value == h["Under 67 år"]
    assert coefs["bolig_heldogn.age_profile.residents_67_79"].value == h["67-79 år"]
    assert (
        coefs["bolig_heldogn.age_profile.residents_80p"].value == h["80-89 år"] + h["90 år og over"]
    )
