"""The array-built page parts equal what the frame-built code made (issue 11, page CPU).

Befolkning, Tjenester and Kart build their tables and traces from arrays rather than merges
and frame filters; these tests hold them to the frame-built versions they replaced (merges,
reindexed Series), written out here.
"""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest

from dashboard.data import model, needs_cache, scenario_extras
from dashboard.text.i18n import t
from dashboard.ui import ssb_compare, uncertainty
from dashboard.views import chartdata, intervals, ssb_figures
from data_sources import catalogue
from projections import intervals as iv

CASES = [
    ("0", "MMMM", "total", ()),
    ("0", "LLML", "80p", ("HHMH", "MMMM")),
    ("03", "HHMH", "0_5", ("LLML",)),
    ("0301", "MMMM", "total", ("LLML", "HHMH")),
    ("1804", "LLML", "67_79", ()),
    ("5610", "MMMM", "total", ("MMMM", "XXXX")),  # the chosen one and an unknown: ignored
]


def merged_population_table(code: str, scenario: str, group: str, shown: tuple) -> pd.DataFrame:
    """The frame population_table built before (merges and index alignment)."""
    main = model.series(scenario, code)
    by = model.base_year(scenario)
    out = main[["year"]].copy()
    out["observed"] = np.where(main["kind"] == "observed", main[group], np.nan)
    out = out.set_index("year")
    valid = set(model.scenario_codes())
    wanted = [scenario, *[x for x in shown if x != scenario and x in valid]]
    band_codes = [scenario, *[x for x in model.BAND_SCENARIOS if x in valid]]
    proj = {
        sc: model.series(sc, code).set_index("year")[group]
        for sc in dict.fromkeys([*wanted, *band_codes])
    }
    all_proj = pd.DataFrame(proj)
    future = all_proj.index >= by
    for sc in wanted:
        out[sc] = all_proj[sc].where(future)
    band = all_proj[band_codes]
    out["band_low"] = band.min(axis=1).where(future)
    out["band_high"] = band.max(axis=1).where(future)
    out = out.reset_index().merge(
        intervals.interval_frame(code, scenario, group), on="year", how="left"
    )
    ssb = ssb_figures.ssb_series(code, group)
    if ssb is not None:
        out[ssb_figures.SSB_COLUMN] = out["year"].map(ssb.to_dict()).astype(float)
    return out


def reindexed_bounds(df: pd.DataFrame, code: str, scenario: str, measure: str | None):
    """The default 80 % bounds joined as before: a Series per column, reindexed on year
    (``measure`` None: the staffing pressure)."""
    ex = scenario_extras.extras(scenario)
    r = ex.region_index(code)
    years = ex.intervals[scenario_extras.BOUND_LEVEL].years
    out = df.copy()
    if measure is None:
        for b, arr in (("lower", ex.pressure_lower), ("upper", ex.pressure_upper)):
            out[f"per_1000_{b}_80"] = (
                pd.Series(arr[:, r], index=years).reindex(out["year"]).to_numpy()
            )
        return out
    for sector in [c for c in df.columns if c != "year"]:
        i = ex.series.index((sector, measure))
        for b, arr in (("lower", ex.lower), ("upper", ex.upper)):
            s = pd.Series(arr[i, :, r], index=years)
            out[f"{sector}_{b}_80"] = s.reindex(out["year"]).to_numpy()
    return out


@pytest.mark.parametrize(("code", "scenario", "group", "shown"), CASES)
def test_population_table_equals_the_merged_frame(code, scenario, group, shown):
    got = chartdata.population_table(code, scenario, group, shown)
    pd.testing.assert_frame_equal(got, merged_population_table(code, scenario, group, shown))
    assert got["lower_80"].notna().sum() == len(intervals.interval_values(code, scenario, group)[0])


@pytest.mark.parametrize(("code", "scenario", "group", "shown"), CASES)
def test_fan_and_ssb_line_carry_the_interval_and_ssb_numbers(code, scenario, group, shown):
    cols = chartdata.population_columns(code, scenario, group, shown)
    frame = intervals.interval_frame(code, scenario, group)
    ssb = ssb_figures.ssb_series(code, group)
    base = {"data": [{"name": "observed"}, {"name": "projected"}], "layout": {}}
    for lang in ("nb", "en"):
        fig = ssb_compare.add_ssb_line(copy.deepcopy(base), cols, "14288", lang)
        fig = uncertainty.add_fan(fig, intervals.interval_values(code, scenario, group), lang)
        names = [tr["name"] for tr in fig["data"]]
        assert names[0] == "observed" and names[5] == "projected"  # the fan sits between
        for k, lv in ((1, 95), (3, 80)):  # each band: upper line, then lower filled up to it
            hi, lo = fig["data"][k], fig["data"][k + 1]
            assert hi["x"] == lo["x"] == frame["year"].tolist()
            assert hi["y"] == frame[f"upper_{lv}"].tolist()
            assert lo["y"] == frame[f"lower_{lv}"].tolist() and lo["fill"] == "tonexty"
        if ssb is None:
            assert len(fig["data"]) == 6
        else:
            line = fig["data"][-1]
            assert "14288" in line["name"]
            assert line["y"] == [float(ssb[y]) for y in line["x"]]
            assert set(line["x"]) == set(ssb.index) & set(cols["year"].tolist())


def test_on_years_is_a_left_join():
    years = np.array([2020, 2021, 2022, 2023])
    got = intervals.on_years(years, np.array([2021, 2023, 2030]), np.array([1.0, 3.0, 9.0]))
    np.testing.assert_array_equal(got, [np.nan, 1.0, np.nan, 3.0])
    assert np.isnan(intervals.on_years(years, np.array([], dtype=int), np.array([]))).all()


def test_components_table_keeps_its_columns_and_identity():
    df = chartdata.components_table("1804", "MMMM")
    assert list(df.columns) == [
        "year",
        "scenario",
        "population",
        "births",
        "deaths",
        "net_migration",
        "change",
    ]
    assert (df["scenario"] == "MMMM").all()
    np.testing.assert_array_equal(df["change"], df["births"] - df["deaths"] + df["net_migration"])


@pytest.mark.parametrize(("code", "scenario"), [("0", "MMMM"), ("46", "LLML"), ("1804", "HHMH")])
def test_services_and_pressure_bounds_equal_the_reindexed_columns(code, scenario):
    for measure in ("brukere", "arsverk"):
        got = chartdata.services_table(code, scenario, measure)
        sectors = [c for c in got.columns if c != "year" and not intervals.is_interval_column(c)]
        want = reindexed_bounds(got[["year", *sectors]], code, scenario, measure)
        pd.testing.assert_frame_equal(got, want)
        assert got[f"{sectors[0]}_lower_80"].notna().all()
    got = chartdata.pressure_table(code, scenario)
    want = reindexed_bounds(needs_cache.pressure_key_years(scenario, code), code, scenario, None)
    pd.testing.assert_frame_equal(got, want)


def test_usage_table_keeps_its_columns():
    from dashboard.ui import needs_views

    df = chartdata.usage_table("1804", "MMMM", "trend", "institusjon")
    assert list(df.columns[:3]) == ["usage", "service", "year"]
    assert (df["usage"] == "trend").all() and (df["service"] == "institusjon").all()
    parts = df[list(needs_views.AGE_GROUPS)].sum(axis=1)
    np.testing.assert_allclose(parts, df["brukere"], rtol=1e-9)


@pytest.mark.parametrize("indicator", ["growth", "growth_80p", "population"])
def test_map_bounds_equal_the_frame_of_kommune_bounds(indicator):
    df = chartdata.map_table("HHMH", 2045, indicator)
    group = chartdata.MAP_INTERVAL_GROUP[indicator]
    a = intervals.interval_arrays("HHMH", 80)  # the frame of kommune bounds the map used to join
    g, y = iv.GROUPS.index(intervals.GROUP_MAP[group]), list(a.years).index(2045)
    idx = [i for i, c in enumerate(a.regions) if len(c) == 4]
    b = pd.DataFrame(
        {
            "kommune": [a.regions[i] for i in idx],
            "lower_80": a.lower[g, y, idx].astype(float),
            "upper_80": a.upper[g, y, idx].astype(float),
        }
    )
    b = b.set_index("kommune").reindex(df["kommune"])
    lo, hi = b["lower_80"].to_numpy(float), b["upper_80"].to_numpy(float)
    if indicator != "population":
        years, groups = model.projection_groups("HHMH")
        at = list(years).index(model.base_year("HHMH"))
        base = pd.Series(groups[group][at], index=list(catalogue().kommune_codes))
        base = base.reindex(df["kommune"]).replace(0, np.nan).to_numpy(float)
        lo, hi = (lo / base - 1) * 100, (hi / base - 1) * 100  # over the base year's number
    np.testing.assert_array_equal(df["lower_80"].to_numpy(), lo)
    np.testing.assert_array_equal(df["upper_80"].to_numpy(), hi)
    assert df["lower_80"].notna().sum() > 300


def test_map_table_refuses_a_year_outside_the_projection():
    with pytest.raises(ValueError):
        chartdata.map_table("MMMM", 1999, "growth")


def test_map_summary_rows_are_the_ends_of_the_sorted_frame():
    import app  # noqa: F401  (pages register with the Dash app)
    from pages.kart import lowest_and_highest

    for values in ([3.0, np.nan, 1.0, 3.0, 1.0, 2.0], [np.nan, 5.0], [2.0, 2.0, 2.0]):
        frame = pd.DataFrame({"value": values}).dropna().sort_values("value")
        lo, hi = lowest_and_highest(np.array(values))
        assert (lo, hi) == (frame.index[0], frame.index[-1])
    df = chartdata.map_table("MMMM", 2040, "share_80p")
    frame = df.dropna(subset=["value"]).sort_values("value")
    assert lowest_and_highest(df["value"].to_numpy()) == (frame.index[0], frame.index[-1])


@pytest.mark.parametrize("code", ["0301", "1804", "0", "1151", "5610"])
def test_why_sentence_names_a_part_that_pulls_the_way_of_the_difference(code):
    """'The difference comes mostly from X' names the largest part with the difference's sign
    (Oslo's fertility part, -15 386 against a difference of +14 671, is listed, not named)."""
    sentence = ssb_figures.why_sentence(code, "nb")
    row = ssb_figures.comparison_frame(code).iloc[-1]
    named = sentence.split("kommer mest fra ", 1)[1].split(":", 1)[0]
    parts = ssb_figures.decomposition_parts(code)
    label_of = {t(f"ssb.part.{p}", "nb"): p for p in parts}
    assert named in label_of, sentence
    assert parts[label_of[named]] * float(row["difference"]) > 0, sentence
