"""Prediction intervals: held-out coverage on real data, API shape, CLI, needs intervals."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from data_sources import read_table
from projections import intervals as iv
from projections import project
from projections.cli import main
from projections.inputs import population_data


def _observed(year: int) -> pd.DataFrame:
    """Registered population (population_2024structure via the store) by kommune and group."""
    d = population_data()
    it = d.year_index(year)
    sums = iv.group_sums(d.pop[it])
    rows = [
        pd.DataFrame(
            {"region": d.kommuner, "age_group": g, "observed": sums[gi], "exact": d.exact[it]}
        )
        for gi, g in enumerate(iv.GROUPS)
    ]
    return pd.concat(rows, ignore_index=True)


def _coverage(df: pd.DataFrame, year: int, group: str) -> float:
    d = population_data()
    base = int(df["year"].min())
    exact_base = dict(zip(d.kommuner, d.exact[d.year_index(base)], strict=True))
    m = df[(df["year"] == year) & (df["age_group"] == group)].merge(
        _observed(year), on=["region", "age_group"]
    )
    m = m[m["exact"] & m["region"].map(exact_base)]
    assert len(m) >= 350
    inside = (m["observed"] >= m["lower"]) & (m["observed"] <= m["upper"])
    return float(inside.mean() * 100)


def _cli(argv: list[str]) -> pd.DataFrame:
    import contextlib

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert main(argv) == 0
    return pd.read_csv(io.StringIO(buf.getvalue()), dtype={"region": str})


@pytest.mark.slow
@pytest.mark.parametrize("base", [2016, 2018])
def test_cli_held_out_coverage_total_and_80plus(base):
    """Real-time intervals from the CLI cover the registered population as targeted."""
    argv = ["intervals", "--kommune", "all", "--base-year", str(base), "--to", str(base + 5)]
    df80 = _cli(argv)
    df95 = _cli([*argv, "--level", "95"])
    assert set(df80.columns) == {
        "scenario",
        "year",
        "region",
        "age_group",
        "level",
        "lower",
        "median",
        "upper",
    }
    for group in ("total", "80+"):
        c80 = _coverage(df80, base + 5, group)
        c95 = _coverage(df95, base + 5, group)
        assert 72.0 <= c80 <= 88.0, (group, c80)  # one origin: shared national shock
        assert 90.0 <= c95 <= 99.0, (group, c95)


@pytest.mark.slow
def test_validation_protocol_pooled_coverage():
    """Fit on origins <= 2014, score 2015+: pooled 5-year coverage in the target ranges."""
    model, held = iv.validation()
    assert model.origins == (2006, 2014)
    assert model.last_target <= 2024
    k = held[(held["level"] == "kommune") & (held["horizon"] == 5)]
    assert set(k["origin"]) == set(range(2015, 2022))
    for group in ("total", "80+", "67-79", "16-66", "6-15"):
        g = k[k["age_group"] == group]
        assert 75.0 <= g["covered_80"].mean() * 100 <= 85.0, group
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
        for lv in ("80", "95"):
            np.testing.assert_allclose(a.q_kommune[lv], b.q_kommune[lv], rtol=1e-6)


def test_intervals_shape_widths_and_order():
    df = iv.project_intervals("MMMM", level=[80, 95], regions=["0301", "1151", "03", "0"])
    assert list(df.columns) == [
        "scenario",
        "year",
        "region",
        "age_group",
        "level",
        "lower",
        "median",
        "upper",
    ]
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
    # an aggregate has its own, narrower relative interval than its kommuner
    assert rel("0", 2040) < rel("0301", 2040)


def test_bad_level_and_base_year():
    with pytest.raises(iv.InvalidLevelError):
        iv.project_intervals(level=90)
    with pytest.raises(Exception, match="basisår"):
        iv.project_intervals(base_year=2007, to_year=2010)


def test_needs_bounds_follow_age_group_intervals():
    """Population at the bounds: each age group scaled by its own interval ratio."""
    res = project("MMMM")
    lo, hi = iv.bound_populations(res, "1151", 80)
    ia = iv.interval_arrays(res, 80)
    k = res.kommuner.index("1151")
    j = ia.index("1151")
    for gi, g in enumerate(iv.GROUPS):
        if g == "total":  # the total of the bounds is the comonotone sum of the groups'
            continue
        lo_sum = iv.group_sums(lo.population)[gi][:, k]
        np.testing.assert_allclose(lo_sum, ia.lower[gi, :, j], rtol=1e-5)
        hi_sum = iv.group_sums(hi.population)[gi][:, k]
        np.testing.assert_allclose(hi_sum, ia.upper[gi, :, j], rtol=1e-5)


def test_store_population_matches_registered():
    """The observed figures the coverage uses are the registered ones (Oslo 2026)."""
    pop = read_table("population", columns=["year", "kommune_code", "persons"])
    oslo = pop[(pop["year"] == 2026) & (pop["kommune_code"] == "0301")]["persons"].sum()
    assert oslo == 728_714


def test_needs_cli_level_adds_bounds_from_80plus_interval():
    """Care users 80+ scale exactly with the 80+ interval; ratio measures have no bounds."""
    df = _cli(["needs", "--kommune", "0301", "--to", "2040", "--level", "80"])
    assert {"lower", "upper", "value"} <= set(df.columns)
    care = df[(df["sector"] == "heldogns_omsorg") & (df["measure"] == "brukere_80p")]
    iv80 = iv.region_interval(project("MMMM", to_year=2040), "0301", "80+", 80)
    np.testing.assert_allclose(
        (care["lower"] / care["value"]).to_numpy(), (iv80["lower"] / iv80["median"]).to_numpy()
    )
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
    assert len(df) == 6 * 5  # six age groups, 2026-2030
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
    model = iv.fit_interval_model(df)
    _, b, c = model.groups["total"].local
    assert b == pytest.approx(0.8, abs=0.05) and c == pytest.approx(-0.3, abs=0.03)
    assert model.groups["total"].national[1] == pytest.approx(1.0, abs=0.35)
    scored = iv.score(df[(df["age_group"] == "total") & (df["level"] == "kommune")], model)
    assert scored["covered_80"].mean() == pytest.approx(0.80, abs=0.02)
    assert scored["covered_95"].mean() == pytest.approx(0.95, abs=0.01)
    assert model.origins == (2006, 2014) and model.last_target == 2024
