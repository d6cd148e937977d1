"""SSB's projections in the snapshot and their loader, checked against the data README."""

from __future__ import annotations

import numpy as np
import pytest

from data_sources import UnknownRegionError, catalogue, read_table, table_meta
from data_sources.store import snapshot_store
from projections import ssb_reference as ref


def test_snapshot_tables_have_contract_schema_and_provenance():
    snap = snapshot_store()
    k = snap.read("ssb_projection_kommune")
    assert list(k.columns) == ["kommune_code", "alternative", "year", "persons"]
    assert k["persons"].dtype == np.float64
    assert k["kommune_code"].str.fullmatch(r"\d{4}").all()
    assert set(k["kommune_code"]) == set(catalogue().kommune_codes)  # all 357
    assert (k["year"].min(), k["year"].max()) == (2024, 2050)
    assert snap.meta("ssb_projection_kommune")["ssb_tables"] == ["14288"]

    n = snap.read("ssb_projection_national_agegroup")
    assert list(n.columns) == ["alternative", "year", "age_group", "persons"]
    assert n["persons"].dtype == np.float64
    assert set(n["alternative"]) == {"MMMM", "HHMH", "LLML"}
    assert list(dict.fromkeys(n["age_group"])) == list(ref.AGE_GROUPS)
    meta = snap.meta("ssb_projection_national_agegroup")
    assert meta["ssb_tables"] == ["14746"] and meta["upstream"] and meta["licence"]


def test_14288_kommune_totals_match_readme():
    k = read_table("ssb_projection_kommune")
    by_year = k.groupby("year")["persons"].sum()
    assert by_year[2024] == 5_550_203  # registered 1 Jan 2024
    assert by_year[2026] == 5_638_491
    assert by_year[2050] == 6_114_899


def test_14746_national_matches_readme():
    fig = ref.ssb_figure("0").set_index("year")["persons"]
    assert fig[2026] == 5_627_400  # = registered 1 Jan 2026
    assert fig[2030] == 5_749_760
    assert fig[2040] == 6_020_359
    assert fig[2050] == 6_195_859
    assert ref.ssb_figure("0", "HHMH").set_index("year")["persons"][2050] == 6_901_779
    assert ref.ssb_figure("0", "LLML").set_index("year")["persons"][2050] == 5_470_997
    assert ref.ssb_source_table("0") == "14746"


def test_agegroup_base_year_equals_registered_population():
    from projections.inputs import national_population

    years, m = ref.ssb_agegroup_matrix("MMMM")
    nat = national_population()
    ours = ref.group_ages(nat.pop[list(nat.years).index(2026)])
    assert years[0] == 2026
    np.testing.assert_array_equal(m[0], ours)


def test_fylke_is_sum_of_its_kommuner_and_equals_14288_fylke_table():
    fig = ref.ssb_figure("03").set_index("year")["persons"]
    assert fig[2026] == ref.ssb_figure("0301").set_index("year")["persons"][2026] == 729_702
    fy = read_table("ssb_projection_fylke")
    fy = fy[fy["alternative_code"] == "MMMM"]
    for code in ("42", "46", "18"):
        theirs = fy[fy["fylke_code"] == code].set_index("year")["persons"].astype(float)
        ours = ref.ssb_figure(code).set_index("year")["persons"]
        assert ours.to_dict() == theirs.to_dict()


def test_source_table_follows_metadata():
    assert ref.ssb_source_table() == table_meta("ssb_projection_kommune")["ssb_tables"][0]
    assert ref.ssb_source_table() == "14288"


def test_bad_region_and_alternative():
    with pytest.raises(UnknownRegionError):
        ref.ssb_figure("9999")
    with pytest.raises(ref.SSBFigureUnavailableError, match="HHMH"):
        ref.ssb_figure("0301", "HHMH")  # 14288 snapshot has MMMM only
    with pytest.raises(ref.SSBFigureUnavailableError):
        ref.ssb_agegroups("XXXX")


def test_group_ages_sums_every_age_once():
    pop = np.arange(2 * 106, dtype=float).reshape(2, 106)
    g = ref.group_ages(pop)
    assert g.shape == (10,)
    assert g.sum() == pop.sum()
    assert g[0] == pop[:, 0].sum()
    assert g[-1] == pop[:, 90:].sum()


def test_a_14746_kommune_table_in_the_live_store_replaces_14288(tmp_path, monkeypatch):
    """What `refresh 14746` leaves behind (same schema, meta ssb_tables ["14746"]) wins.

    The live table here is the snapshot's 14288 rows rescaled to 14746's national totals (a
    stand-in inside this test only), so the vintage part of the decomposition must vanish.
    """
    from data_sources.store import STORE_ENV, Store
    from projections import ssb_decomposition

    snap = read_table("ssb_projection_kommune")
    nat = ref.ssb_figure("0").set_index("year")["persons"]
    snap = snap[snap["year"].isin(nat.index)].copy()
    sums = snap.groupby("year")["persons"].transform("sum")
    snap["persons"] = snap["persons"] * snap["year"].map(nat) / sums
    monkeypatch.setenv(STORE_ENV, str(tmp_path))
    Store(tmp_path).write(
        "ssb_projection_kommune", snap, {"ssb_tables": ["14746"], "source": "test"}
    )
    ssb_decomposition.ssb_figure_all_kommuner.cache_clear()
    try:
        assert ref.ssb_source_table() == "14746"
        fig = ref.ssb_figure("0301").set_index("year")["persons"]
        assert fig.index.min() == 2026
        f = ssb_decomposition.decompose().frame("0301")
        np.testing.assert_allclose(f["vintage"], 0.0, atol=1e-6)
        np.testing.assert_allclose(
            f[list(ssb_decomposition.PARTS)].sum(axis=1), f["difference"], atol=1e-6
        )
    finally:
        ssb_decomposition.ssb_figure_all_kommuner.cache_clear()
