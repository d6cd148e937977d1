"""Mortality check (issue 8 item 5): our oldest age groups against SSB 14746, per trend choice.

Run: python benchmarks/mortality_vs_ssb.py [CSV]

Prints, for each way of treating the pandemic years 2020-2023 in the mortality improvement
trend, the drift at ages 80/85/90/95, e0 in 2026 and 2050, and Norway's 67-79, 80-89 and 90+
(scenario MMMM, base 2026) as a percentage difference from SSB 14746 MMMM, read from the store's
``ssb_projection_national_agegroup`` table (or from a CSV of the same columns given as argument).
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd

from projections.api import ModelConfig, fit, project

PANDEMIC = (2020, 2021, 2022, 2023)
VARIANTS = {
    "keep (2004-2023, jump-off 2021-23)": ModelConfig(mortality_exclude=()),
    "exclude 2020-23 (2000-2019), jump-off 2021-23": ModelConfig(mortality_exclude=PANDEMIC),
    "exclude 2022-23 (2002-2021), jump-off 2021-23": ModelConfig(mortality_exclude=(2022, 2023)),
    "downweight 2020-23 to 0.25 (2000-2023), jump-off 2021-23": ModelConfig(
        mortality_exclude=PANDEMIC, mortality_exclude_weight=0.25
    ),
    "downweight 2020-23 to 0.5 (2000-2023), jump-off 2021-23": ModelConfig(
        mortality_exclude=PANDEMIC, mortality_exclude_weight=0.5
    ),
    "exclude 2020-23, jump-off on the 2000-19 trend": ModelConfig(
        mortality_exclude=PANDEMIC, mortality_jump_off="trend"
    ),
}
GROUPS = {"67-79": (67, 79), "80-89": (80, 89), "90+": (90, 105)}
YEARS = (2030, 2035, 2040, 2045, 2050)


def main(path: str | None = None) -> None:
    if path:
        ssb = pd.read_csv(path)
    else:
        from data_sources import read_table

        ssb = read_table("ssb_projection_national_agegroup")
    ssb = ssb[ssb["alternative"] == "MMMM"].set_index(["year", "age_group"])["persons"]
    for label, cfg in VARIANTS.items():
        m = fit(2026, cfg).mortality
        res = project("MMMM", base_year=2026, to_year=2050, config=cfg)
        by_age = res.population.sum(axis=(1, 2), dtype=np.float64)  # (Y, 106)
        drift = " ".join(f"{a}: {m.drift[0, a] * 100:+.2f}" for a in (80, 85, 90, 95))
        e0 = f"e0 2026 {m.e0(2026)[0]:.2f}/{m.e0(2026)[1]:.2f}, 2050 {m.e0(2050)[0]:.2f}/{m.e0(2050)[1]:.2f}"
        print(f"## {label}\n   drift %/yr {drift}; {e0} (men/women)")
        for g, (lo, hi) in GROUPS.items():
            cells = []
            for y in YEARS:
                ours = by_age[y - 2026, lo : hi + 1].sum()
                cells.append(f"{y}: {ours:,.0f} ({(ours / ssb[(y, g)] - 1) * 100:+.1f} %)")
            print(f"   {g:6s} " + "  ".join(cells))
    print(
        "SSB 14746 MMMM: "
        + "; ".join(f"{g} " + " ".join(f"{y}: {ssb[(y, g)]:,.0f}" for y in YEARS) for g in GROUPS)
    )


if __name__ == "__main__":
    if len(sys.argv) > 2:
        sys.exit(
            "bruk: python benchmarks/mortality_vs_ssb.py [CSV med kolonnene alternative, year, age_group, persons]"
        )
    main(sys.argv[1] if len(sys.argv) == 2 else None)
