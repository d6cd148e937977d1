"""The report's two static charts, drawn with ReportLab's own graphics (vector, no extra library).

Both must read in black and white: the staffing-pressure bars tell today from the future by
fill (solid grey versus white with a black outline), and each age-group line has its own dash
pattern and marker, named in a legend drawn with the same pattern.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors

from dashboard.text.formatting import fmt_number
from dashboard.text.i18n import t

FONT = "DejaVuSans"  # report/fonts: Vera has no Sami letters (ŋ, š) of SSB's names
FONT_BOLD = "DejaVuSans-Bold"
INK = colors.black
GREY = colors.Color(0.35, 0.35, 0.35)
# (dash pattern, marker, line width) per age group: distinct without colour.
LINE_STYLES: tuple[tuple[Sequence[float] | None, str, float], ...] = (
    (None, "FilledCircle", 1.6),
    ((6, 3), "FilledSquare", 1.4),
    ((1.5, 2), "Triangle", 1.4),
    ((8, 2, 2, 2), "Diamond", 1.4),
    ((3, 3), "Cross", 2.2),
)


def _nice_step(span: float, target: int = 5) -> float:
    raw = span / max(target, 1)
    mag = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * mag:
            return m * mag
    return 10 * mag


def pressure_chart(df: pd.DataFrame, lang: str, width: float, height: float) -> Drawing:
    """Bars of care årsverk per 1000 aged 20-66 in the base and key years, care ratio below."""
    d = Drawing(width, height)
    values = [float(v) for v in df["per_1000"]]
    years = [str(int(y)) for y in df["year"]]
    chart = VerticalBarChart()
    chart.x, chart.y = 34, 34
    chart.width, chart.height = width - 44, height - 50
    chart.data = [values]
    chart.categoryAxis.categoryNames = years
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 8
    chart.categoryAxis.labels.dy = -2
    top = max(values) if values and not math.isnan(max(values)) else 1.0
    step = _nice_step(top * 1.2, 4)
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = step * math.ceil(top * 1.2 / step)
    chart.valueAxis.valueStep = step
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = lambda v: fmt_number(v, lang, 0 if step >= 1 else 1)
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.Color(0.8, 0.8, 0.8)
    chart.valueAxis.gridStrokeWidth = 0.4
    chart.barWidth = 10
    chart.groupSpacing = 14
    chart.bars.strokeColor = INK
    chart.bars.strokeWidth = 0.8
    chart.bars[0].fillColor = colors.white
    chart.bars[(0, 0)].fillColor = GREY  # today: solid; the future: outlined
    chart.barLabelFormat = lambda v: fmt_number(v, lang, 1)
    chart.barLabels.fontName = FONT_BOLD
    chart.barLabels.fontSize = 8
    chart.barLabels.nudge = 6
    d.add(chart)
    d.add(
        String(2, 8, t("card.care_ratio", lang) + ":", fontName=FONT, fontSize=6.5, fillColor=GREY)
    )
    ratios = [float(r) for r in df["care_ratio"]]
    n = max(len(years), 1)
    for i, r in enumerate(ratios):
        x = chart.x + chart.width * (i + 0.5) / n
        d.add(
            String(
                x,
                8,
                fmt_number(r, lang, 1),
                fontName=FONT,
                fontSize=7,
                fillColor=GREY,
                textAnchor="middle",
            )
        )
    return d


def index_chart(
    df: pd.DataFrame, groups: Sequence[str], base_year: int, lang: str, width: float, height: float
) -> Drawing:
    """One line per age group, index base year = 100, legend with the same line styles."""
    d = Drawing(width, height)
    legend_h = 30
    plot = LinePlot()
    plot.x, plot.y = 34, 18 + legend_h
    plot.width, plot.height = width - 44, height - 26 - legend_h
    years = df["year"].astype(int).to_numpy()
    plot.data = [
        list(zip(years.tolist(), df[g].astype(float).tolist(), strict=True)) for g in groups
    ]
    finite = np.concatenate([df[g].to_numpy(dtype=float) for g in groups])
    finite = finite[np.isfinite(finite)]
    lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (90.0, 110.0)
    step = _nice_step(max(hi - lo, 10.0), 5)
    plot.yValueAxis.valueMin = step * math.floor(min(lo, 100) / step)
    plot.yValueAxis.valueMax = step * math.ceil(max(hi, 100) / step)
    plot.yValueAxis.valueStep = step
    plot.yValueAxis.labels.fontName = FONT
    plot.yValueAxis.labels.fontSize = 7
    plot.yValueAxis.labelTextFormat = lambda v: fmt_number(v, lang, 0)
    plot.yValueAxis.visibleGrid = True
    plot.yValueAxis.gridStrokeColor = colors.Color(0.85, 0.85, 0.85)
    plot.yValueAxis.gridStrokeWidth = 0.4
    plot.xValueAxis.valueMin = int(years.min())
    plot.xValueAxis.valueMax = int(years.max())
    ticks = [int(years.min()), *[y for y in (2030, 2040, 2050) if years.min() < y <= years.max()]]
    plot.xValueAxis.valueSteps = ticks
    plot.xValueAxis.labels.fontName = FONT
    plot.xValueAxis.labels.fontSize = 8
    plot.xValueAxis.labelTextFormat = lambda v: str(int(v))
    for i, _ in enumerate(groups):
        dash, marker, lw = LINE_STYLES[i % len(LINE_STYLES)]
        line = plot.lines[i]
        line.strokeColor = INK
        line.strokeWidth = lw
        if dash:
            line.strokeDashArray = dash
        # Markers only every five years, so the pattern stays legible.
        line.symbol = None
    d.add(plot)
    for i, g in enumerate(groups):
        _, marker, _ = LINE_STYLES[i % len(LINE_STYLES)]
        for y, v in zip(years, df[g].astype(float), strict=True):
            if (y - years.min()) % 5 == 0 or y == years.max():
                if not math.isfinite(v):
                    continue
                x = plot.x + plot.width * (y - years.min()) / max(years.max() - years.min(), 1)
                vmin, vmax = plot.yValueAxis.valueMin, plot.yValueAxis.valueMax
                yy = plot.y + plot.height * (v - vmin) / (vmax - vmin)
                m = makeMarker(marker, x=x, y=yy, size=4.5, fillColor=INK, strokeColor=INK)
                d.add(m)
    # Legend: two columns of line samples under the plot.
    cols = 3
    col_w = (width - 34) / cols
    for i, g in enumerate(groups):
        dash, marker, lw = LINE_STYLES[i % len(LINE_STYLES)]
        cx = 34 + (i % cols) * col_w
        cy = legend_h - 2 - (i // cols) * 13
        sample = Line(cx, cy, cx + 22, cy, strokeColor=INK, strokeWidth=lw)
        if dash:
            sample.strokeDashArray = dash
        d.add(sample)
        d.add(makeMarker(marker, x=cx + 11, y=cy, size=4.5, fillColor=INK, strokeColor=INK))
        d.add(String(cx + 26, cy - 2.5, t(f"group.{g}", lang), fontName=FONT, fontSize=7.5))
    return d
