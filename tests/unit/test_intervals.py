"""Prediction intervals: held-out coverage on real data, API shape, CLI, needs intervals."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from interval_contract import INTERVAL_COLUMNS

from data_sources import read_table
from projections import intervals as iv
from projections import intervals_check as ic
from projections import project
from projections.cli import main


def _cli(argv: list[str]) -> pd.DataFrame:
    import contextlib

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert main(argv) == 0
    return pd.read_csv(io.StringIO(buf.getvalue()), dtype={"region": str})


@pytest.fixture(scope="module")
def cli_scores():
    """CLI intervals (80 and 95 %) from base years 2016, 2018, 2019 scored 5 years ahead."""
    return {b: ic.score_origin(ic.cli_intervals(b, b + 5), b, 5) for b in (2016, 2018, 2019)}


def _cov(scored: pd.DataFrame, group: str, level: int) -> float:
    s = scored[(scored["age_group"] == group) & (scored["level"] == level)]
    assert len(s) >= 350  # every kommune with an exact stock at both ends
    return float(s["covered"].mean() * 100)


@pytest.mark.slow
def test_cli_output_columns():
    df = ic.cli_intervals(2019, 2020, levels=(80,))
    assert list(df.columns) == INTERVAL_COLUMNS


@pytest.mark.slow
@pytest.mark.parametrize(
    ("base", "total_80", "old_80", "old_95"),
    [
        (2016, (75.0, 85.0), (87.0, 94.0), 99.0),
        (2018, (75.0, 85.0), (83.0, 90.0), 98.0),
        (2019, (71.0, 78.0), (82.0, 89.0), 98.0),
    ],
)
def test_cli_held_out_coverage_by_origin(cli_scores, base, total_80, old_80, old_95):
    """`intervals --base-year B --to B+5`, 80 and 95 %, scored on the registered stocks. The
    95 % intervals of the total hold the target (90-98) at every origin. 80 % of the total:
    2016 and 2018 in the target (82.0, 79.7; the stated immigration rule took away the old
    rule's over-projection after 2016), 2019 just below it (74.6: Norway under-projected by
    1.4 %, the Ukraine inflow of 2022-23). 80+ is over-covered with the long-history national
    part (90.6, 86.6, 85.4; 95 %: 98.0, 96.9, 97.1). Bands are the target where met, else the
    achieved figure +-3 points, so a regression either way shows (docs/uncertainty.md)."""
    s = cli_scores[base]
    assert 90.0 <= _cov(s, "total", 95) <= 98.0
    assert 90.0 <= _cov(s, "80+", 95) <= old_95
    assert total_80[0] <= _cov(s, "total", 80) <= total_80[1]
    assert old_80[0] <= _cov(s, "80+", 80) <= old_80[1]


@pytest.mark.slow
def test_cli_misses_follow_the_national_error(cli_scores):
    """Moved by the national error of its origin (the median kommune error, known only
    afterwards), every interval set covers 80-92 % (80 %) and 95-99 % (95 %), total and 80+:
    the local spread and the size law hold at each origin, and what is left of a miss is the
    error all kommuner share. With the stated immigration rule that error is below 1.5 % for
    the total at every origin (the old ten-year mean over-projected 2016 and 2018 by about
    2 %), and the gain from removing it orders with its size: 2019 (-1.4 %, Ukraine) gains
    most, 2018 (-0.1 %) nothing."""
    gain = {}
    for base, s in cli_scores.items():
        t = ic.national_shock_table(s[s["age_group"].isin(["total", "80+"])])
        for row in t.itertuples():
            assert 80.0 <= row.recentred_80 <= 92.0, (base, row.age_group)
            assert 95.0 <= row.recentred_95 <= 99.0, (base, row.age_group)
        tot = t[t["age_group"] == "total"].iloc[0]
        assert abs(tot.national_error) < 1.5, base
        gain[base] = tot.recentred_80 - tot.coverage_80
    assert gain[2019] > gain[2016] > gain[2018]
    assert gain[2019] > 4.0 and abs(gain[2018]) < 2.0


@pytest.mark.slow
def test_cli_smaller_kommuner_get_wider_intervals(cli_scores):
    s = cli_scores[2019]
    w = s[(s["age_group"] == "total") & (s["level"] == 80)].groupby("size_class")["width"].mean()
    assert w["< 2 000"] > w["2 000-9 999"] > w["10 000-49 999"] > w[">= 50 000"]


@pytest.mark.slow
def test_validation_protocol_pooled_coverage():
    """Fit on origins <= 2014, score 2015+: pooled coverage in the target ranges."""
    model, held = iv.validation()
    assert model.origins == (2006, 2014)
    assert model.last_target <= 2024
    k = held[held["level"] == "kommune"]
    assert set(k[k["horizon"] == 5]["origin"]) == set(range(2015, 2022))
    five, ten = k[k["horizon"] == 5], k[k["horizon"] == 10]
    # target (75-85 / 90-98) where met, else the achieved figure +-3: the total (74.0),
    # 6-15 (71.8; 95 %: 89.4) and 16-66 (74.3) miss through origin 2021 (Norway under-
    # projected by 2.0 %, the median kommune by 3.4 %: Ukraine 2022-23); 80+ and 80-89 are
    # over-covered (87.9, 88.9): the long history's national 80+ part is wider than the
    # calm years 2015-2021 needed (docs, "Calibration test")
    bands_80 = {"total": (71.0, 77.0), "6-15": (69.0, 75.0), "16-66": (71.0, 77.0)}
    bands_80 |= {"80+": (85.0, 91.0), "80-89": (86.0, 92.0)}
    for group in iv.GROUPS:
        g = five[five["age_group"] == group]
        low, high = bands_80.get(group, (75.0, 85.0))
        assert low <= g["covered_80"].mean() * 100 <= high, group
        low, high = (86.0, 93.0) if group == "6-15" else (90.0, 98.0)
        assert low <= g["covered_95"].mean() * 100 <= high, group
    # 10 years, two origins (2015, 2016): 0-5 81.6, 6-15 84.6, 67-79 84.1; the total 88.7 is
    # a little wide (the national part: calm 10-year outcomes after a shock-free decade)
    for group, low, high in (
        ("total", 80.0, 89.0),
        ("6-15", 75.0, 88.0),
        ("67-79", 75.0, 87.0),
        ("0-5", 72.0, 85.0),
    ):
        g = ten[ten["age_group"] == group]
        assert low <= g["covered_80"].mean() * 100 <= high, group
        assert 90.0 <= g["covered_95"].mean() * 100 <= 98.0, group


def test_committed_model_matches_fresh_calibration():
    """projections/data/interval_model.json is current: re-run `intervals --calibrate` if not."""
    committed = iv.committed_model()
    assert committed is not None
    fresh = iv.fit_vintage(committed.last_target)
    assert committed.model_config == fresh.model_config
    for g in iv.GROUPS:
        a, b = committed.groups[g], fresh.groups[g]
        np.testing.assert_allclose(a.local, b.local, rtol=1e-6)
        np.testing.assert_allclose(a.national, b.national, rtol=1e-6)
        np.testing.assert_allclose(a.common, b.common, rtol=1e-6)
        np.testing.assert_allclose(a.fylke, b.fylke, rtol=1e-6)
        for lv in ("80", "95"):
            assert a.q_fylke[lv] == pytest.approx(b.q_fylke[lv], rel=1e-6)
        for lv in ("80", "95"):
            np.testing.assert_allclose(a.q_kommune[lv], b.q_kommune[lv], rtol=1e-6)
            assert len(a.q_kommune[lv]) == 1 + iv.MAX_FIT_HORIZON and len(a.local) == 4


def test_intervals_shape_widths_and_order():
    df = iv.project_intervals("MMMM", level=[80, 95], regions=["0301", "1151", "5001", "03", "0"])
    assert list(df.columns) == INTERVAL_COLUMNS
    assert set(df["age_group"]) == set(iv.GROUPS)
    base = df[df["year"] == df["year"].min()]
    assert np.allclose(base["lower"], base["median"]) and np.allclose(base["upper"], base["median"])
    assert (df["lower"] <= df["median"]).all() and (df["median"] <= df["upper"]).all()
    # median is the deterministic projection; Oslo 1 Jan 2026 is the registered 728 714
    oslo = df[(df["region"] == "0301") & (df["age_group"] == "total") & (df["level"] == 80)]
    assert oslo.iloc[0]["median"] == pytest.approx(728_714)
    res = project("MMMM")
    np.testing.assert_allclose(oslo["median"].to_numpy(), res.total("0301"), rtol=1e-9)

    def rel(region, year, level=80, group="total"):
        r = df[
            (df["region"] == region)
            & (df["year"] == year)
            & (df["level"] == level)
            & (df["age_group"] == group)
        ].iloc[0]
        return (r["upper"] - r["lower"]) / r["median"]

    # smaller populations, longer horizons, higher levels, young ages: wider
    assert rel("1151", 2040) > 1.5 * rel("0301", 2040)
    assert rel("1151", 2030) > 2 * rel("0301", 2030)
    assert rel("0301", 2050) > rel("0301", 2040) > rel("0301", 2030)
    assert rel("0301", 2040, 95) > rel("0301", 2040, 80)
    assert rel("0301", 2040, group="0-5") > rel("0301", 2040)
    # an aggregate has its own, narrower relative interval than its kommuner; Oslo, the
    # largest, is floored at the aggregates' q and meets Norway at long horizons
    assert rel("0", 2030) < rel("0301", 2030)
    assert rel("0", 2040) < rel("5001", 2040)
    assert rel("0", 2040) <= rel("0301", 2040) * (1 + 1e-9)


def test_bad_level_and_base_year():
    with pytest.raises(iv.InvalidLevelError):
        iv.project_intervals(level=90)
    with pytest.raises(Exception, match="basisår"):
        iv.project_intervals(base_year=2007, to_year=2010)


def test_needs_bounds_follow_age_group_intervals():
    """Population at the bounds: each age group scaled by its own interval ratio; 80-89 and
    90+ separately (90+ is the less certain), so 80+ at a bound is their comonotone sum."""
    res = project("MMMM")
    lo, hi = iv.bound_populations(res, "1151", 80)
    ia = iv.interval_arrays(res, 80)
    k = res.kommuner.index("1151")
    j = ia.index("1151")
    old = [iv.GROUPS.index("80-89"), iv.GROUPS.index("90+")]
    for gi, g in enumerate(iv.GROUPS):
        if g == "total":  # the total of the bounds is the comonotone sum of the groups'
            continue
        want_lo, want_hi = ia.lower[gi, :, j], ia.upper[gi, :, j]
        if g == "80+":
            want_lo, want_hi = ia.lower[old, :, j].sum(axis=0), ia.upper[old, :, j].sum(axis=0)
        lo_sum = iv.group_sums(lo.population)[gi][:, k]
        np.testing.assert_allclose(lo_sum, want_lo, rtol=1e-5)
        hi_sum = iv.group_sums(hi.population)[gi][:, k]
        np.testing.assert_allclose(hi_sum, want_hi, rtol=1e-5)
    # 90+ is wider than 80-89 (relative), every year after the base
    w = (ia.upper - ia.lower) / ia.median
    assert (w[old[1], 1:, j] > w[old[0], 1:, j]).all()


def test_store_population_matches_registered():
    """The observed figures the coverage uses are the registered ones (Oslo 2026)."""
    pop = read_table("population", columns=["year", "kommune_code", "persons"])
    oslo = pop[(pop["year"] == 2026) & (pop["kommune_code"] == "0301")]["persons"].sum()
    assert oslo == 728_714


def test_needs_cli_level_carries_usage_uncertainty():
    """`needs --kommune 0301 --to 2040 --level 80`: the population part of a bound follows the
    age-group intervals (90+ users with the 90+ interval), the care services add the usage
    spread of the kommune panel (Oslo's institution residents were +-3.4 % in 2040 with
    population alone) and so does the care recruitment need (it moves with the care årsverk),
    services without a usage spread keep the population bounds, ratio measures have none."""
    df = _cli(["needs", "--kommune", "0301", "--to", "2040", "--level", "80"])
    assert {"lower", "upper", "value"} <= set(df.columns)
    res = project("MMMM", to_year=2040)
    pop_only = iv.needs_frame_with_intervals(res, ["0301"], 80, usage=False)
    key = ["year", "sector", "measure"]
    m = df.merge(pop_only[[*key, "lower", "upper"]], on=key, suffixes=("", "_pop"))
    old = m[(m["sector"] == "institusjon") & (m["measure"] == "brukere_90p")]
    iv90 = iv.region_interval(res, "0301", "90+", 80)
    np.testing.assert_allclose(
        (old["lower_pop"] / old["value"]).to_numpy(), (iv90["lower"] / iv90["median"]).to_numpy()
    )
    inst = m[(m["sector"] == "institusjon") & (m["measure"] == "brukere") & (m["year"] == 2040)]
    row = inst.iloc[0]
    assert row["upper"] / row["value"] - 1 > 0.10 and 1 - row["lower"] / row["value"] > 0.10
    assert row["upper"] > row["upper_pop"] and row["lower"] < row["lower_pop"]
    later = m[m["year"] > 2026]
    care = later[later["sector"].isin(["institusjon", "hjemmetjenester", "pleie_og_omsorg"])]
    care = care[~care["unit"].str.startswith("per ")]
    # the leavers of today's staff are fixed at the base year: no interval at all
    leavers = care["measure"] == "arsverk_avgang"
    assert leavers.sum() == 14
    assert (care[leavers]["lower"] == care[leavers]["value"]).all()
    assert (care[leavers]["upper"] == care[leavers]["value"]).all()
    care = care[~leavers]  # recruitment (årsverk growth + leavers) carries the usage part
    assert (care["upper"] > care["upper_pop"]).all() and (care["lower"] < care["lower_pop"]).all()
    school = m[m["sector"].isin(["barnehage", "grunnskole"])]
    np.testing.assert_allclose(school["lower"], school["lower_pop"])
    np.testing.assert_allclose(school["upper"], school["upper_pop"])
    aw = df[(df["sector"] == "pleie_og_omsorg") & (df["measure"] == "arsverk")]
    last = aw[aw["year"] == 2040].iloc[0]
    assert last["lower"] < last["value"] < last["upper"]
    assert df[df["unit"].str.startswith("per ")]["lower"].isna().all()


def test_cli_fylke_norge_parquet_and_errors(tmp_path, capsys):
    out = tmp_path / "norge.parquet"
    assert (
        main(["intervals", "--norge", "--to", "2030", "--format", "parquet", "--out", str(out)])
        == 0
    )
    df = pd.read_parquet(out)
    assert set(df["region"]) == {"0"} and set(df["level"]) == {80}
    assert len(df) == 8 * 5  # eight age groups (80+, 80-89, 90+ too), 2026-2030
    fy = _cli(["intervals", "--fylke", "03", "--to", "2030", "--level", "80", "--level", "95"])
    assert set(fy["region"]) == {"03"} and set(fy["level"]) == {80, 95}
    assert main(["intervals", "--kommune", "9999"]) == 2
    assert "9999" in capsys.readouterr().err
    assert main(["intervals", "--norge", "--base-year", "2007", "--to", "2010"]) == 2
    assert "basisår" in capsys.readouterr().err
    assert main(["intervals"]) == 2


def test_fit_recovers_a_known_spread_law():
    """Pure fit on synthetic errors with a known law: slopes recovered, in-sample coverage right."""
    rng = np.random.default_rng(7)
    rows = []
    sizes = np.exp(rng.uniform(np.log(200), np.log(700_000), 300))
    for o in range(2006, 2015):
        for h in range(1, 11):
            nat = rng.normal(0.0, 0.004 * h)
            local = np.exp(-1.5 + 0.8 * np.log(h) - 0.3 * np.log(sizes))
            e = nat + rng.normal(0.0, local)
            for lvl, region, size, err in (
                *(
                    ("kommune", f"k{i}", s, x)
                    for i, (s, x) in enumerate(zip(sizes, e, strict=True))
                ),
                ("norge", "0", sizes.sum(), nat),
                ("fylke", "01", sizes[:150].sum(), nat + rng.normal(0, 0.002 * h)),
            ):
                rows.append((o, h, lvl, region, "total", size, err, nat))
    cols = ["origin", "horizon", "level", "region", "age_group", "size", "log_error"]
    df = pd.DataFrame(rows, columns=[*cols, "national_log_error"])
    df = pd.concat([df.assign(age_group=g) for g in iv.GROUPS], ignore_index=True)
    national = pd.DataFrame(
        [
            (o, h, g, rng.normal(0.0, 0.004 * h))
            for o in range(1971, 2006)
            for h in range(1, 11)
            for g in iv.GROUPS
        ],
        columns=["origin", "horizon", "age_group", "log_error"],
    )
    model = iv.fit_interval_model(df, national)
    _, b, c, d = model.groups["total"].local
    assert b == pytest.approx(0.8, abs=0.05) and d == pytest.approx(0.0, abs=0.02)
    # the log-size law is linear here: the slope at the mean log size is the true one
    mean_ls = np.log(sizes).mean()
    assert c + 2 * d * mean_ls == pytest.approx(-0.3, abs=0.03)
    assert model.groups["total"].national[1] == pytest.approx(1.0, abs=0.1)
    scored = iv.score(df[(df["age_group"] == "total") & (df["level"] == "kommune")], model)
    assert scored["covered_80"].mean() == pytest.approx(0.80, abs=0.02)
    assert scored["covered_95"].mean() == pytest.approx(0.95, abs=0.01)
    assert model.origins == (2006, 2014) and model.last_target == 2024
