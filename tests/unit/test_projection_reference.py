"""The fast engine loop against the plain reference loop it replaced, on the real inputs.

``_reference_run`` is the previous ``projections.engine.run`` verbatim (3-D arrays, per-year
scaling, clipping with ``np.where``), in float64. The optimised loop computes and stores in
float32, so it must give the same numbers to float32 precision for every output, in every
migration mode, scenario and override that reaches the engine:

* every cell within ``atol`` = 0.01 person + ``rtol`` = 1e-5 of the reference. float32 rounds
  each operation to ~6e-8 relative; over ~25-75 years of compounding the observed worst cell
  is ~1e-6 relative (0.002 persons); 1e-5 leaves 10x margin and is still far below anything
  published (2 decimals of a person on totals). ``atol`` covers small cells and flows that are
  differences of large numbers (infant deaths = births - births * Sb);
* Norway's total population every year within 1e-6 relative (observed ~6e-9), summed in
  float64.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

import projections.api as api
from projections.api import ModelConfig
from projections.engine import EngineInputs, EngineOutput, run
from projections.scenarios import Overrides

FIELDS = ("population", "births", "infant_deaths", "net_migration", "international", "clipped")


def _reference_run(inp: EngineInputs) -> EngineOutput:
    """The engine loop as it was before the speed work (3-D arrays, ~20 passes a year)."""
    steps = inp.S.shape[0]
    K = inp.pop0.shape[0]
    shape = inp.pop0.shape
    pop = np.empty((steps + 1, *shape))
    pop[0] = inp.pop0
    births = np.empty((steps, K, 2))
    infant = np.empty((steps, K, 2))
    netmig = np.empty((steps, *shape))
    intl_tot = np.empty((steps, K))
    clipped = np.zeros((steps, K))
    sex_share = np.array([inp.male_share, 1.0 - inp.male_share])

    # loop invariants: age 0 never migrates (infant moves are in the fertility index);
    # scaled copies are cached per scale value (scenario scales are constant over time)
    intl = np.array(inp.international)
    intl[..., 0] = 0.0
    neg_rate = np.array(inp.dom_neg_rate)
    neg_rate[..., 0] = 0.0
    pos = np.array(inp.dom_pos)
    pos[..., 0] = 0.0
    rebalance = inp.dom_mode != "counts"
    intl_k = intl.sum(axis=(-2, -1))
    scaled: dict[tuple[str, float], np.ndarray] = {}

    def scaled_by(name: str, arr: np.ndarray, factor: float) -> np.ndarray:
        key = (name, float(factor))
        if key not in scaled:
            scaled[key] = arr if factor == 1.0 else arr * factor
        return scaled[key]

    pos_tot = pos.sum(axis=0)
    has_in = pos_tot > 0
    top = np.empty(shape[:-1])
    surv = np.zeros(shape)
    dom = np.empty(shape)
    tmp = np.empty(shape)
    lam = np.zeros(shape[1:])
    women = np.empty((K, shape[2] - 1))
    fert = inp.fert[:, :-1] * 0.5  # women-years are (start + end) / 2
    for j in range(steps):
        P = pop[j]
        nxt = pop[j + 1]
        nm = netmig[j]
        # survivors written straight into their new age (no separate shift copy)
        Sj = inp.S[j]
        np.multiply(P[..., :-1], Sj[:, :-1], out=surv[..., 1:])
        np.multiply(P[..., -1], Sj[:, -1], out=top)
        surv[..., -1] += top
        ds = inp.dom_scale[j]
        # domestic: out-flow cells as rates, in-flow cells absorb them (sums to zero);
        # the scale is applied to the out-flow rates, and lam carries it to the in-flows
        if not rebalance:
            np.copyto(dom, scaled_by("pos", pos, ds))
        elif inp.pos_is_rate:
            np.multiply(scaled_by("neg", neg_rate, ds), surv, out=tmp)
            np.multiply(pos, surv, out=dom)
            tot_in = dom.sum(axis=0)
            lam.fill(0.0)
            np.divide(-tmp.sum(axis=0), tot_in, out=lam, where=tot_in > 0)
            np.multiply(dom, lam, out=dom)
            np.add(dom, tmp, out=dom)
        else:
            np.multiply(scaled_by("neg", neg_rate, ds), surv, out=tmp)
            lam.fill(0.0)
            np.divide(-tmp.sum(axis=0), pos_tot, out=lam, where=has_in)
            np.multiply(pos, lam, out=dom)
            np.add(dom, tmp, out=dom)
        sc = inp.intl_scale[j]
        np.add(scaled_by("intl", intl, sc), dom, out=nm)
        if inp.extra is not None and j < len(inp.extra):  # forecast combination (age 0 empty)
            nm += np.where(np.arange(shape[-1]) == 0, 0.0, inp.extra[j])
        intl_tot[j] = intl_k * sc
        np.add(surv, nm, out=nxt)
        if nxt.min() < 0:
            neg = nxt < 0
            clipped[j] = np.where(neg, -nxt, 0.0).sum(axis=(1, 2))
            np.copyto(nm, -surv, where=neg)  # surv + (-surv) == 0 exactly
            np.copyto(nxt, 0.0, where=neg)
        # births from women-years of each cohort
        np.add(P[:, 1, :-1], nxt[:, 1, 1:], out=women)
        b = (women @ fert[j]) * inp.local_index
        bs = b[:, None] * sex_share
        births[j] = bs
        b0 = bs * inp.Sb[j]
        infant[j] = bs - b0
        nxt[:, :, 0] = b0
    return EngineOutput(pop, births, infant, netmig, intl_tot, clipped)


def _captured_inputs(
    monkeypatch, scenario, base_year=None, to_year=2050, overrides=None, config=None
) -> EngineInputs:
    """The EngineInputs project() builds, captured by wrapping api.run (cache bypassed)."""
    captured: list[EngineInputs] = []
    original = api.run

    def spy(inp: EngineInputs) -> EngineOutput:
        captured.append(inp)
        return original(inp)

    monkeypatch.setattr(api, "run", spy)
    base = base_year if base_year is not None else api.available_base_years()[-1]
    api._project_cached.__wrapped__(scenario, base, to_year, overrides, config or ModelConfig())
    return captured[0]


RTOL, ATOL = 1e-5, 1e-2  # persons; see the module docstring
NORWAY_RTOL = 1e-6


def _assert_same(inp: EngineInputs) -> EngineOutput:
    new, ref = run(inp), _reference_run(inp)
    for f in FIELDS:
        a, b = getattr(new, f), getattr(ref, f)
        assert a.shape == b.shape, f
        np.testing.assert_allclose(a, b, rtol=RTOL, atol=ATOL, err_msg=f)
    for f in ("population", "births", "infant_deaths", "net_migration"):
        assert getattr(new, f).dtype == np.float32, f
    norway = new.population.sum(axis=(1, 2, 3), dtype=np.float64)
    np.testing.assert_allclose(norway, ref.population.sum(axis=(1, 2, 3)), rtol=NORWAY_RTOL)
    # the base year is copied, not computed: exact (integer persons are exact in float32)
    assert np.array_equal(new.population[0], ref.population[0])
    return new


@pytest.mark.parametrize(
    "scenario, kwargs",
    [
        ("MMMM", {}),
        ("LLML", {}),
        ("HHMH", {}),
        ("MM00", {}),
        ("MMM0", {}),
        ("MMMM", {"overrides": Overrides(migration_multiplier=2.5, tfr=1.9)}),
        ("MMMM", {"base_year": 2010, "to_year": 2100}),
        ("MMMM", {"config": ModelConfig(migration_method="counts")}),
        ("MMMM", {"config": ModelConfig(migration_method="rates")}),
    ],
)
def test_fast_loop_matches_the_float64_reference(monkeypatch, scenario, kwargs):
    inp = _captured_inputs(monkeypatch, scenario, **kwargs)
    out = _assert_same(inp)
    assert (out.population >= 0).all()


def test_matches_when_clipping_is_heavy_and_scales_vary(monkeypatch):
    """Scales that change every year and out-flow rates far below -1 (many clipped cells)."""
    inp = _captured_inputs(monkeypatch, "MMMM", to_year=2040)
    steps = inp.S.shape[0]
    rng = np.random.default_rng(7)
    out = _assert_same(
        replace(
            inp,
            dom_neg_rate=inp.dom_neg_rate * 3.0,
            intl_scale=rng.uniform(0.0, 3.0, steps),
            dom_scale=rng.uniform(0.0, 3.0, steps),
        )
    )
    assert (out.clipped > 0).sum() > 100
    assert (out.population >= 0).all()


def test_fast_loop_does_not_modify_its_inputs(monkeypatch):
    inp = _captured_inputs(monkeypatch, "MMMM", to_year=2030)
    copies = {k: np.array(v, copy=True) for k, v in vars(inp).items() if isinstance(v, np.ndarray)}
    run(inp)
    for k, v in copies.items():
        assert np.array_equal(getattr(inp, k), v), k
