"""JSON-stat parsing on real SSB bodies: shape, codes, labels, values and status symbols."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest
from pyjstat import pyjstat

from data_sources.ssb import jsonstat
from data_sources.ssb.errors import SSBFormatError

FIX = Path(__file__).parents[1] / "fixtures" / "jsonstat"


def text(name: str) -> str:
    return (FIX / name).read_text(encoding="utf-8")


def cell(df: pd.DataFrame, **codes: str) -> pd.Series:
    mask = pd.Series(True, index=df.index)
    for dim, code in codes.items():
        mask &= df[dim] == code
    assert mask.sum() == 1, codes
    return df[mask].iloc[0]


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # inside pyjstat's own writer
@pytest.mark.parametrize(
    ("name", "dims"),
    [
        ("ssb_v1_dataset_1120.json", ["VareGrupper2", "Tid", "ContentsCode"]),
        ("ssb_v1_dataset_29843.json", ["PKoder", "ContentsCode", "Tid"]),
        ("ssb_v0_table_05300_jsonstat2.json", ["Avstand1", "Kulturtilbud", "ContentsCode", "Tid"]),
    ],
)
def test_fixture_has_one_row_per_cell_and_matches_pyjstat(name, dims):
    doc = json.loads(text(name))
    ds = doc if "id" in doc else next(iter(doc.values()))
    sizes = ds.get("size") or ds["dimension"]["size"]
    df = jsonstat.parse(text(name))
    assert len(df) == math.prod(sizes)
    assert list(df.columns) == [c for d in dims for c in (d, f"{d}_label")] + ["value", "status"]
    # same rows as pyjstat's own (slow) DataFrame writer
    ref = pyjstat.Dataset.read(text(name)).write("dataframe", naming="id")
    pd.testing.assert_frame_equal(
        df[[*dims, "value"]].astype({d: object for d in dims}),
        ref.astype({d: object for d in dims}),
        check_dtype=False,
    )


def test_v1_salmon_values_read_by_hand():
    df = jsonstat.parse(text("ssb_v1_dataset_1120.json"))
    assert cell(df, VareGrupper2="01", Tid="2014U30", ContentsCode="Vekt")["value"] == 14297
    row = cell(df, VareGrupper2="02", Tid="2014U31", ContentsCode="Kilopris")
    assert row["value"] == 43.32
    assert row["VareGrupper2_label"] == "Fish-farm bred salmon, frozen"
    assert row["ContentsCode_label"] == "Price per kilo (NOK)"
    assert df["status"].isna().all()  # no status object in this file


def test_v1_production_index_keeps_status_symbols():
    df = jsonstat.parse(text("ssb_v1_dataset_29843.json"))
    assert len(df) == 20 * 6 * 312
    assert cell(df, PKoder="P1021", ContentsCode="Sesongjustert", Tid="1995M01")["value"] == 114.6
    assert cell(df, PKoder="P108", ContentsCode="PeriodeRa", Tid="1998M05")["value"] == 101.3
    assert cell(df, PKoder="P120", ContentsCode="Vekter", Tid="2015M12")["value"] == 5.8
    first = cell(df, PKoder="P1021", ContentsCode="Sesongjustert", Tid="1990M01")
    assert math.isnan(first["value"]) and first["status"] == "."
    assert (df["status"] == ".").sum() == 7200  # every one of the 7200 status entries kept
    assert df["value"].isna().sum() == 7200


def test_json_stat2_codes_are_strings_and_status_kept():
    df = jsonstat.parse(text("ssb_v0_table_05300_jsonstat2.json"))
    assert len(df) == 6 * 8 * 1 * 9
    first = cell(df, Avstand1="01", Kulturtilbud="01", Tid="1991")
    assert first["value"] == 16 and first["Avstand1_label"] == "Under 1 km"
    assert cell(df, Avstand1="01", Kulturtilbud="01", Tid="2021")["value"] == 12
    bokhandel = cell(df, Avstand1="01", Kulturtilbud="08", Tid="2021")  # value index 71
    assert math.isnan(bokhandel["value"]) and bokhandel["status"] == "."
    far = cell(df, Avstand1="06", Kulturtilbud="01", Tid="1991")  # index 360
    assert math.isnan(far["value"]) and far["status"] == ".."
    assert cell(df, Avstand1="06", Kulturtilbud="01", Tid="1994")["value"] == 2
    assert df["status"].value_counts().to_dict() == {".": 20, "..": 8}
    assert df["Avstand1"].tolist()[:1] == ["01"]  # leading zero kept


def test_v1_bundle_with_several_datasets():
    one = json.loads(text("ssb_v1_dataset_1120.json"))["dataset"]
    bundle = json.dumps({"a": one, "b": one})
    both = jsonstat.parse(bundle)
    assert len(both) == 16 and both["dataset"].value_counts().to_dict() == {"a": 8, "b": 8}
    assert len(jsonstat.parse(bundle, dataset="b")) == 8
    with pytest.raises(SSBFormatError, match="'c' finnes ikke"):
        jsonstat.parse(bundle, dataset="c")


def test_single_category_dimension_without_index():
    """Legal JSON-stat that pyjstat 2.4 cannot read under pandas 3 on its own."""
    doc = {
        "version": "2.0",
        "class": "dataset",
        "id": ["Region", "Tid"],
        "size": [1, 2],
        "dimension": {
            "Region": {"category": {"label": {"0301": "Oslo"}}},
            "Tid": {"category": {"index": ["2025", "2026"]}},
        },
        "value": [1.0, None],
        "status": {"1": ":"},
    }
    df = jsonstat.parse(doc)
    assert df["Region"].tolist() == ["0301", "0301"]
    assert df["Region_label"].tolist() == ["Oslo", "Oslo"]
    assert df["Tid_label"].tolist() == ["2025", "2026"]  # label falls back to the code
    assert df["status"].tolist()[1] == ":"


def test_text_values_become_status_not_zero():
    doc = json.loads(text("ssb_v0_table_05300_jsonstat2.json"))
    doc["value"][0] = ".."
    doc.pop("status")
    df = jsonstat.parse(doc)
    assert math.isnan(df["value"].iloc[0]) and df["status"].iloc[0] == ".."
    assert df["status"].iloc[1:].isna().all()


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.update(value=d["value"][:-1]), "431 verdier"),
        (lambda d: d.update(size=[6, 8, 1, 10]), "size sier 10"),
        (lambda d: d["dimension"].pop("Tid"), "'Tid' mangler"),
        (lambda d: d.pop("dimension"), "mangler 'dimension'"),
        (lambda d: d.update(id=["Avstand1", "Kulturtilbud", "ContentsCode"]), "3 dimensjoner"),
        (lambda d: d.update(status={"999": "."}), "statusindeks"),
        (lambda d: d.update(value={"432": 1}), "utenfor tabellen"),
    ],
)
def test_inconsistent_json_stat_is_a_clear_error(mutate, message):
    doc = json.loads(text("ssb_v0_table_05300_jsonstat2.json"))
    mutate(doc)
    with pytest.raises(SSBFormatError, match=message) as err:
        jsonstat.parse(json.dumps(doc))
    assert "\n" not in str(err.value) and str(err.value).startswith("Ugyldig JSON-stat fra SSB")


def test_truncated_or_non_json_body_is_a_clear_error():
    body = text("ssb_v0_table_05300_jsonstat2.json")
    for bad in (body[: len(body) // 2], "<html>502 Bad Gateway</html>", "", "[1, 2]"):
        with pytest.raises(SSBFormatError):
            jsonstat.parse(bad)


def test_metadata_dimension_values_v2_and_v0():
    v2 = jsonstat.dimension_values(text("ssb_v2_table_05300_metadata.json"))
    assert list(v2) == ["Avstand1", "Kulturtilbud", "ContentsCode", "Tid"]
    assert v2["Tid"] == ["1991", "1994", "1997", "2000", "2004", "2008", "2012", "2016", "2021"]
    v0 = jsonstat.dimension_values(text("ssb_v0_table_14746_metadata.json"))
    assert {k: len(v) for k, v in v0.items()} == {
        "Region": 373,
        "Kjonn": 2,
        "Alder": 106,
        "ContentsCode": 9,
        "Tid": 25,
    }
    assert v0["Region"][:3] == ["0", "31", "3101"] and v0["Alder"][-1] == "105+"


def test_labels_not_matching_index_is_a_clear_error():
    doc = json.loads(text("ssb_v0_table_05300_jsonstat2.json"))
    doc["dimension"]["Tid"]["category"]["label"] = {"1991": "1991"}  # 8 labels missing
    with pytest.raises(SSBFormatError, match="'Tid' har uleselige kategorier"):
        jsonstat.parse(doc)
