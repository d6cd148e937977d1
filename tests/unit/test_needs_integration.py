"""Needs on the real projection (projections.project) and the CLI."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from projections.needs import compute_needs, estimate_care_rates
from projections.needs.cli import main, parse_regions


@pytest.fixture(scope="module")
def projected():
    from projections import project

    res = project("MMMM", to_year=2040)
    return res, compute_needs(res)


def test_needs_follow_the_projection_layout(projected) -> None:
    res, needs = projected
    assert needs.scenario == res.scenario == "MMMM"
    assert np.array_equal(needs.years, res.years)
    assert needs.kommuner == tuple(res.kommuner)
    assert needs.values.shape[1:] == (len(res.years), len(res.kommuner))
    assert np.isfinite(needs.values).all() and (needs.values >= 0).all()


def test_base_year_care_users_are_close_to_last_observed(projected) -> None:
    """One year after the calibration year, national users move by less than 5 %."""
    _, needs = projected
    rates = estimate_care_rates()
    observed = np.nansum(rates.home.observed_base)
    assert needs.get("hjemmetjenester", "brukere")[0].sum() == pytest.approx(observed, rel=0.05)


def test_ageing_raises_care_needs_and_pressure_nationally(projected) -> None:
    res, needs = projected
    pop80 = res.population[:, :, :, 80:].sum(axis=(1, 2, 3))
    assert pop80[-1] > pop80[0]
    inst = needs.get("institusjon", "brukere").sum(1)
    assert inst[-1] > inst[0]
    ind = needs.indicators("0").set_index(["indicator", "year"])["value"]
    assert (
        ind.loc[("forsorgerbrok_20_66_per_80p", 2040)]
        < ind.loc[("forsorgerbrok_20_66_per_80p", 2026)]
    )


def test_cli_writes_tidy_csv_for_a_kommune_and_a_fylke(tmp_path, projected) -> None:
    out = tmp_path / "needs.csv"
    assert main(["--kommune", "0301,03", "--to", "2040", "--out", str(out)]) == 0
    df = pd.read_csv(out, dtype={"kommune": str})
    assert list(df.columns) == [
        "scenario",
        "usage",
        "year",
        "kommune",
        "sector",
        "measure",
        "value",
        "unit",
    ]
    assert set(df["kommune"]) == {"0301", "03"}
    assert df["year"].min() == 2026 and df["year"].max() == 2040
    # Oslo is its own fylke: the two regions have identical additive numbers
    a = df[df["kommune"] == "0301"]["value"].to_numpy()
    b = df[df["kommune"] == "03"]["value"].to_numpy()
    np.testing.assert_allclose(a, b)


def test_cli_parquet_and_all_kommuner(tmp_path, projected) -> None:
    out = tmp_path / "needs.parquet"
    assert main(["--kommune", "all", "--to", "2040", "--format", "parquet", "--out", str(out)]) == 0
    df = pd.read_parquet(out)
    assert df["kommune"].nunique() == 357


def test_cli_unknown_region_is_a_clear_error(capsys) -> None:
    assert main(["--kommune", "9999"]) == 2
    assert "Feil" in capsys.readouterr().err


def test_parse_regions_aliases() -> None:
    assert parse_regions("norge, 0301 ,all") == ["0", "0301", "all"]
    with pytest.raises(ValueError):
        parse_regions(" , ")


def test_cli_indicators_to_stdout(capsys, projected) -> None:
    assert main(["--kommune", "norge", "--to", "2040", "--indicators"]) == 0
    df = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert "omsorgskoeffisient_50_66_per_85p" in set(df["indicator"])


def test_register_adds_needs_subcommand_with_host_region_arguments(tmp_path, projected) -> None:
    import argparse

    from projections.needs.cli import register

    parser = argparse.ArgumentParser()
    register(parser.add_subparsers(dest="command"))
    out = tmp_path / "n.csv"
    args = parser.parse_args(["needs", "--fylke", "03", "--to", "2040", "--out", str(out)])
    assert args.func(args) == 0
    df = pd.read_csv(out, dtype={"kommune": str})
    assert set(df["kommune"]) == {"03"} and df["year"].max() == 2040


def test_projections_cli_has_needs_subcommand(tmp_path, projected) -> None:
    from projections.cli import main as projections_main

    out = tmp_path / "n.csv"
    assert projections_main(["needs", "--kommune", "5501", "--to", "2040", "--out", str(out)]) == 0
    df = pd.read_csv(out, dtype={"kommune": str})
    assert set(df["kommune"]) == {"5501"} and set(df["scenario"]) == {"MMMM"}
