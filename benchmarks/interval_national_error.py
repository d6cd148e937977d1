"""The national error per origin and what was knowable at the origin (docs/uncertainty.md).

Run: python benchmarks/interval_national_error.py        (about 15 s)

Prints, per origin 2006-2025: the national error of the projection (median kommune log
error and Norway's own, in %) for the total and 80+ at 1, 5 and 10 years; the national net
immigration the projection assumed, what had just been observed, the ten-year mean and what
followed; and the correlations between the knowable gap (assumed - last three years) and the
later error, for the fitting origins (2006-2014), the held-out ones (2015+) and, for the
projection's immigration rule, the long national series from 1986.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout

import pandas as pd  # noqa: E402

from projections import intervals as iv  # noqa: E402
from projections import national_error as ne  # noqa: E402
from projections.inputs import population_data  # noqa: E402


def main() -> int:
    t0 = time.perf_counter()
    last = int(population_data().years[-1])
    origins = range(iv.FIRST_ORIGIN, last)
    errors = iv.backtest_errors(origins, iv.MAX_FIT_HORIZON)
    nat = ne.national_errors(errors)
    nat = nat[nat["age_group"].isin(["total", "80+"]) & nat["horizon"].isin([1, 5, 10])]
    wide = nat.pivot_table(index="origin", columns=["age_group", "horizon"])
    wide.columns = [
        f"{g} {'median' if a == 'common' else 'norge'} {h}y" for a, g, h in wide.columns
    ]
    wide = wide[sorted(wide.columns, key=lambda c: (c.split()[0] != "total", c))]
    pd.set_option("display.width", 250)
    print("== national error (log, %): median kommune error and Norway's own, by horizon")
    print(wide.round(2).to_string() + "\n")
    imm = ne.immigration_at_origins(origins, 5)
    cols = ["assumed", "last_year", "recent", "long_mean", "realised", "gap_recent"]
    cols += ["assumption_error", "assumption_error_pct"]
    five = nat[(nat["age_group"] == "total") & (nat["horizon"] == 5)].set_index("origin")
    imm = imm.set_index("origin")[cols].join(five["common"].rename("national_error_5y"))
    print("== net international migration, thousand a year (assumed: MMMM, first 5 years)")
    print(imm.round(2).to_string() + "\n")
    print(
        "corr(assumption error after 5 years, national error 5y):"
        f" {imm['assumption_error_pct'].corr(imm['national_error_5y']):.2f}\n"
    )
    t = imm.reset_index().rename(columns={"national_error_5y": "error"})
    periods = {"fitting 2006-2014": (2006, 2014), "held out 2015-2021": (2015, 2021)}
    print("== knowable gap vs the national error 5 years ahead")
    print(ne.gap_error_correlations(t, periods).round(2).to_string(index=False) + "\n")
    rule = ne.immigration_rule_errors(5)
    long = {"1996-2014": (1996, 2014), "2006-2014": (2006, 2014), "2015+": (2015, 2100)}
    print("== the immigration rule (ten-year mean) on the series from 1986, 5 years ahead")
    print(ne.gap_error_correlations(rule, long).round(2).to_string(index=False))
    print(f"\n({time.perf_counter() - t0:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
