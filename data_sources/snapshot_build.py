"""Build the embedded snapshot from the project's real-data folder (``../shared/data``).

Run: ``python -m data_sources build-snapshot --from ../shared/data``.
Every table records where it came from (file, upstream repository and commit, SSB table)
in its Parquet metadata, and ``snapshot/PROVENANCE.md`` lists them all for people.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from data_sources.store import SNAPSHOT_DIR, Store

CSDATA = "niphr/csdata"
VITAL = "robjhyndman/vital (raw HMD/HFD downloads)"
FRAM = "ChristianBHT/Framskrivningsverkt-y (SSB values only)"
SSB = "Statistisk sentralbyrå (SSB)"


@dataclass(frozen=True)
class SnapshotTable:
    name: str
    file: str
    title: str
    publisher: str
    ssb_tables: tuple[str, ...]
    upstream: str
    licence: str
    build: Callable[[Path], pd.DataFrame]
    note: str = ""


def _csv(path: Path, **kw) -> pd.DataFrame:
    return pd.read_csv(path, **kw)


def _population(src: Path) -> pd.DataFrame:
    df = _csv(src, dtype={"kommune_code": str})
    return df.astype(
        {"year": "int16", "sex": "int8", "age": "int8", "persons": "int32", "exact": "bool"}
    ).sort_values(["year", "kommune_code", "sex", "age"], ignore_index=True)


def _population_national(src: Path) -> pd.DataFrame:
    df = _csv(src)
    return df.astype({"year": "int16", "sex": "int8", "age": "int8", "persons": "int32"})


def _kommuner(src: Path) -> pd.DataFrame:
    df = _csv(src, dtype=str, keep_default_na=False)
    df["population_2026"] = df["population_2026"].astype("int32")
    return df


def _mapping(src: Path) -> pd.DataFrame:
    df = _csv(src, dtype={"original_code": str, "code_2024": str})
    return df.astype({"first_year": "int16", "last_year": "int16", "approximate": "bool"})


def _care_panel(src: Path) -> pd.DataFrame:
    df = _csv(src, dtype={"kommunenr_2024": str, "kommunenr_hist_kilder": str})
    return df.rename(
        columns={"kommunenr_2024": "kommune_code", "år": "year", "kommunenr_hist_kilder": "sources"}
    )


def _home_care_hours(src: Path) -> pd.DataFrame:
    df = _csv(src, dtype={"kommunenr_2024": str, "kilder": str})
    return df.rename(
        columns={
            "kommunenr_2024": "kommune_code",
            "år": "year",
            "timer": "hours",
            "kilder": "sources",
        }
    )


def _fylke_projection(src: Path) -> pd.DataFrame:
    return _csv(src, dtype={"fylke_code": str}).astype({"year": "int16", "persons": "int32"})


def _national_projection(src: Path) -> pd.DataFrame:
    return _csv(src).astype({"year": "int16", "age": "int16", "persons": "int32"})


def _kommune_projection(src: Path) -> pd.DataFrame:
    """SSB kommune totals (docs/CONTRACTS.md schema: persons float64, as a live 14746 refresh)."""
    df = _csv(src, dtype={"kommune_code": str, "alternative": str})
    df = df[["kommune_code", "alternative", "year", "persons"]].astype(
        {"year": "int16", "persons": "float64"}
    )
    return df.sort_values(["kommune_code", "alternative", "year"], ignore_index=True)


def _agegroup_projection(src: Path) -> pd.DataFrame:
    """SSB national projection by the ten age groups of table 14746 (labels as strings)."""
    df = _csv(src, dtype={"alternative": str, "age_group": str})
    return df[["alternative", "year", "age_group", "persons"]].astype(
        {"year": "int16", "persons": "float64"}
    )


def _round_coords(coords, ndigits: int = 4):
    if isinstance(coords, float):
        return round(coords, ndigits)
    return [_round_coords(c, ndigits) for c in coords]


def _geo(id_prop: str, name_prop: str) -> Callable[[Path], pd.DataFrame]:
    """GeoJSON -> one row per feature (code, name, geometry as compact JSON text).

    Coordinates are rounded to 4 decimals (about 10 m), ample for a choropleth.
    """

    def build(src: Path) -> pd.DataFrame:
        gj = json.loads(src.read_text(encoding="utf-8"))
        rows = []
        for feat in gj["features"]:
            geom = feat["geometry"]
            geom = {"type": geom["type"], "coordinates": _round_coords(geom["coordinates"])}
            rows.append(
                {
                    "code": str(feat["properties"][id_prop]).zfill(2 if "fylke" in id_prop else 4),
                    "name": feat["properties"][name_prop],
                    "geometry": json.dumps(geom, separators=(",", ":")),
                }
            )
        return pd.DataFrame(rows).sort_values("code", ignore_index=True)

    return build


NLOD = "NLOD 2.0 (compatible with CC BY 4.0); credit Statistisk sentralbyrå (SSB)"

TABLES: tuple[SnapshotTable, ...] = (
    SnapshotTable(
        "population",
        "population_2024structure.csv.gz",
        "Population 1 January by kommune (2024 structure), sex, single-year age 0-105+, 2005-2026",
        SSB,
        ("07459",),
        f"{CSDATA} R/sysdata.rda nor_population_by_age_b2024 @59345122",
        NLOD,
        _population,
        "Harmonised to the 357 kommuner of 2024. exact=False marks approximations (split kommuner "
        "before the split; 1160 and 1576 in 2005); see ../shared/data/README.md section 1b.",
    ),
    SnapshotTable(
        "population_national",
        "population_national.csv.gz",
        "Population 1 January, Norway (Region 0), sex 0/1/2, single-year age, 1986-2026",
        SSB,
        ("07459",),
        f"{CSDATA} nor_population_by_age_b0000.rds @c5199818 and sysdata @59345122",
        NLOD,
        _population_national,
    ),
    SnapshotTable(
        "kommuner",
        "kommuner.csv",
        "The 357 kommuner valid 1 Jan 2024-2026 with names (official Sami/Kven forms) and fylke",
        SSB,
        ("07459",),
        f"{CSDATA} 07459 CSV export 2024 @2dd16c1c; Kartverket names",
        NLOD,
        _kommuner,
    ),
    SnapshotTable(
        "kommune_mapping",
        "kommune_code_mapping_to_2024.csv",
        "Historic kommune codes to 2024 codes with weights (FHI working weights)",
        "Folkehelseinstituttet (csdata)",
        (),
        f"{CSDATA} nor_locations_redistricting_b2024 @59345122",
        NLOD,
        _mapping,
        "Not SSB's boundary-exact conversion; see SSB Klass 131 for that.",
    ),
    SnapshotTable(
        "hfd_asfr",
        "hfd_norway_asfr.csv",
        "Norway period age-specific fertility rates 1967-2022, ages 12-55 (HFD NORasfrRR)",
        "Human Fertility Database",
        (),
        f"{VITAL} @ae3cb6ad",
        "Free use with citation (HFD)",
        lambda p: _csv(p),
    ),
    SnapshotTable(
        "hmd_mx",
        "hmd_norway_deaths_mx_1x1.csv.gz",
        "Norway deaths and central death rates by sex and age 0-110+, 1950-2023 (HMD 1x1)",
        "Human Mortality Database",
        (),
        f"{VITAL} @ae3cb6ad",
        "CC BY 4.0 (HMD)",
        lambda p: _csv(p),
    ),
    SnapshotTable(
        "hmd_population",
        "hmd_norway_population_jan1.csv.gz",
        "Norway population 1 January by sex and age 0-110+, 1950-2024 (HMD)",
        "Human Mortality Database",
        (),
        f"{VITAL} @ae3cb6ad",
        "CC BY 4.0 (HMD)",
        lambda p: _csv(p),
    ),
    SnapshotTable(
        "hmd_births",
        "hmd_norway_births.csv",
        "Norway live births by sex, 1846-2023 (HMD)",
        "Human Mortality Database",
        (),
        f"{VITAL} @ae3cb6ad",
        "CC BY 4.0 (HMD)",
        lambda p: _csv(p),
    ),
    SnapshotTable(
        "care_panel",
        "fram/paneldata_2007_2025_2024struktur.csv",
        "Care-service users and nurse årsverk by kommune (2024 structure), 2007-2025 (KOSTRA)",
        SSB,
        ("04686", "12292", "11645", "11924", "14534", "07459"),
        f"{FRAM} data/ssb/paneldata_2007_2025_2024struktur.csv @ccec3043",
        NLOD,
        _care_panel,
        "Suppressed/unavailable SSB cells are empty (NaN); see ../shared/data/fram/README.md.",
    ),
    SnapshotTable(
        "home_care_hours",
        "fram/timer_11643_helsetjenester_i_heimen.csv",
        "Hours of home health care per year by kommune (2024 structure), 2009-2025",
        SSB,
        ("11643",),
        f"{FRAM} data/ssb/timer_11643_helsetjenester_i_heimen.csv @1bd70776",
        NLOD,
        _home_care_hours,
        "0 can mean 'did not exist' or 'not reported'.",
    ),
    SnapshotTable(
        "service_figures",
        "service_figures_published.csv",
        "Published national service-use and staffing figures (Udir/SSB kindergarten, GSI school, SSB care users)",
        "Udir / SSB",
        (),
        "see source_url per row",
        "Public statistics (Udir, SSB)",
        lambda p: _csv(p),
    ),
    SnapshotTable(
        "cost_workforce_figures",
        "cost_workforce_figures_published.csv",
        "Published national cost and workforce figures (SSB care expenditure and årsverk, Udir "
        "kindergarten and school costs, TBU demographic costs, KS/Helsedirektoratet workforce age)",
        "SSB / Udir / KS / Helsedirektoratet / TBU",
        (),
        "see source_url per row",
        "Public statistics (SSB, Udir, KS, Helsedirektoratet, regjeringen.no)",
        lambda p: _csv(p),
        "National figures only; price years differ between rows and no deflator is included. "
        "See ../shared/data/README.md section 8.",
    ),
    SnapshotTable(
        "ssb_projection_fylke",
        "ssb_projection_14288_fylke_totals.csv",
        "SSB regional projections 2024 (table 14288): fylke totals 2024-2050, MMMM/HHMH/LLML",
        SSB,
        ("14288",),
        "JohanWidding/SSB-regionale-befolkningsframskrivinger output.csv @5600ef3f",
        NLOD,
        _fylke_projection,
    ),
    SnapshotTable(
        "ssb_projection_national",
        "ssb_projection_13599_national_by_age.csv",
        "SSB national projections 2022 (table 13599), main alternative, by age 2022-2100",
        SSB,
        ("13599",),
        "ErlandHandegard/Befolkningsutvikling 13599_20230307-134301.csv @382932a8",
        NLOD,
        _national_projection,
    ),
    SnapshotTable(
        "ssb_projection_kommune",
        "ssb_projection_14288_kommune_totals.csv",
        "SSB regional projections 2024 (table 14288): kommune totals 2024-2050, MMMM",
        SSB,
        ("14288",),
        "NINAnor/arealbruksscenarier data-raw/fcKomPop.csv @2c89e661 (reshaped to long form)",
        NLOD,
        _kommune_projection,
        "All 357 kommuner (2024 structure), both sexes and all ages summed; 2024 is the "
        "registered base year. `python -m data_sources refresh 14746` replaces it with 14746.",
    ),
    SnapshotTable(
        "ssb_projection_national_agegroup",
        "ssb_projection_14746_national_by_agegroup.csv",
        "SSB regional projections 2026 (table 14746): Norway by ten age groups 2026-2050, "
        "MMMM/HHMH/LLML",
        SSB,
        ("14746",),
        "evensrii/Telemark Data/01_Befolkning/Befolkningsframskrivinger/"
        "Framskrevet_folkemengde_2026-2050.csv @0e6c7b71 ('Hele landet' rows)",
        NLOD,
        _agegroup_projection,
        "Same 1 January 2026 start as our projection (2026 = registered population in every "
        "age group). Age groups: 0, 1-5, 6-12, 13-15, 16-19, 20-44, 45-66, 67-79, 80-89, 90+.",
    ),
    SnapshotTable(
        "geo_kommuner",
        "geo/kommuner_2024_S.geojson",
        "Kommune boundaries 2024 (generalised, WGS84), coordinates rounded to 4 decimals",
        "Kartverket",
        (),
        "robhop/fylker-og-kommuner Kommuner-S.geojson @ae878250",
        "CC BY 4.0 (© Kartverket)",
        _geo("kommunenummer", "kommunenavn"),
    ),
    SnapshotTable(
        "geo_fylker",
        "geo/fylker_2024_S.geojson",
        "Fylke boundaries 2024 (generalised, WGS84), coordinates rounded to 4 decimals",
        "Kartverket",
        (),
        "robhop/fylker-og-kommuner Fylker-S.geojson @ae878250",
        "CC BY 4.0 (© Kartverket)",
        _geo("fylkesnummer", "fylkesnavn"),
    ),
)

# SSB's own "updated" stamp for 07459 (from the recorded v2 table record in fram/).
SSB_UPDATED_FILES = {"07459": "fram/07459_metadata.json"}


def _ssb_updated(src_root: Path) -> dict[str, str]:
    out = {}
    for table, rel in SSB_UPDATED_FILES.items():
        path = src_root / rel
        if path.is_file():
            out[table] = json.loads(path.read_text(encoding="utf-8")).get("updated", "")
    return out


def build_snapshot(src_root: Path | str, dest: Path | str = SNAPSHOT_DIR) -> list[Path]:
    """Build every snapshot table from ``src_root``; returns the written paths."""
    src_root = Path(src_root)
    if not (src_root / "population_2024structure.csv.gz").is_file():
        raise FileNotFoundError(f"{src_root} does not look like the shared data folder")
    store = Store(dest)
    built_at = datetime.now(UTC).replace(microsecond=0).isoformat()
    updated = _ssb_updated(src_root)
    written = []
    lines = [
        "# Embedded snapshot: provenance",
        "",
        f"Built {built_at} by `python -m data_sources build-snapshot` from the project's real-data",
        "folder. Nothing here is synthetic. Each table also carries this record in its Parquet",
        "metadata (`python -m data_sources info`).",
        "",
    ]
    for t in TABLES:
        df = t.build(src_root / t.file)
        meta = {
            "table": t.name,
            "title": t.title,
            "publisher": t.publisher,
            "ssb_tables": list(t.ssb_tables),
            "ssb_updated": {k: updated[k] for k in t.ssb_tables if k in updated},
            "upstream": t.upstream,
            "source_file": t.file,
            "licence": t.licence,
            "note": t.note,
            "source": "snapshot",
            "fetched_at": built_at,
            "query": None,
        }
        written.append(store.write(t.name, df, meta))
        lines += (
            [
                f"## {t.name} ({len(df):,} rows)",
                f"- {t.title}",
                f"- Publisher: {t.publisher}"
                + (f"; SSB table(s) {', '.join(t.ssb_tables)}" if t.ssb_tables else ""),
                f"- Upstream copy: {t.upstream}; file `{t.file}`",
                f"- Licence: {t.licence}",
            ]
            + ([f"- Note: {t.note}"] if t.note else [])
            + [""]
        )
    (Path(dest) / "PROVENANCE.md").write_text("\n".join(lines), encoding="utf-8")
    return written
