"""ours(MMMM) - SSB split into national assumptions, kommune distribution and SSB vintage."""

from __future__ import annotations

import numpy as np
import pytest

from projections import project
from projections import ssb_reference as ref
from projections.ssb_decomposition import PARTS, decompose


@pytest.mark.parametrize("code", ["0", "0301", "3450", "46"])
def test_parts_add_up_to_the_difference(code):
    f = decompose().frame(code)
    assert list(f["year"]) == list(range(2026, 2051))
    np.testing.assert_allclose(f[list(PARTS)].sum(axis=1), f["difference"], atol=1e-6)
    ours = project("MMMM").total(code)
    np.testing.assert_allclose(f["ours"], ours, rtol=1e-12)
    np.testing.assert_array_equal(
        f["ssb"], ref.ssb_figure(code).set_index("year")["persons"].loc[2026:]
    )


def test_norway_difference_is_national_assumptions():
    f = decompose().frame("0").set_index("year")
    y = f.loc[2050]
    assert y["vintage"] == 0.0
    assert abs(y["kommune"]) < 0.01 * y["ssb"]  # ours(SSB) follows 14746 within 1 %
    # the reading: our immigration is higher, SSB's fertility is higher
    assert y["immigration"] > 0 > y["fertility"]
    assert y["difference"] == pytest.approx(project("MMMM").total("0")[-1] - 6_195_859)


def test_vintage_part_scales_ssb_kommune_figure_to_14746():
    f = decompose().frame("0301").set_index("year")
    fig = ref.ssb_figure("0301").set_index("year")["persons"]
    nat46 = ref.ssb_figure("0").set_index("year")["persons"]
    from data_sources import read_table

    k = read_table("ssb_projection_kommune").groupby("year")["persons"].sum()
    expected = fig[2050] * (nat46[2050] / k[2050] - 1)
    assert f.loc[2050, "vintage"] == pytest.approx(expected)
