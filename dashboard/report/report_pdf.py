"""The one-page kommune report as a PDF: ``/kommune/<nr>/rapport.pdf`` on the Dash server.

For politicians who need something to take to a council meeting: one A4 page with the key
figures now and in 2030/2040/2050, the staffing-pressure chart, the age groups, the chosen
scenario and assumptions, sources and date. Drawn server-side with ReportLab (pure Python, no
system libraries), with DejaVu Sans cut to the report's characters (``report/fonts``: æøå, the
minus sign U+2212 the number formatter writes, and the Sami letters of SSB's kommune names).
The numbers come from ``dashboard.views.report_data``.
"""

from __future__ import annotations

import io
import os
from dataclasses import replace
from functools import cache
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from dashboard.report import report_charts
from dashboard.state import query, routes
from dashboard.text.formatting import DASH, fmt_change, fmt_number
from dashboard.text.i18n import t
from dashboard.views.report_data import (
    INDEX_GROUPS,
    KeyRow,
    ReportData,
    ReportRequest,
    collect,
    parse_request,
)

MARGIN = 14 * mm
PROJECTED_ROWS = frozenset({"ssb_total"})  # a projection in every column, the base year too
PROJECTION_GREY = colors.Color(0.3, 0.3, 0.3)
FONT, FONT_BOLD = report_charts.FONT, report_charts.FONT_BOLD


@cache
def register_fonts() -> None:
    """DejaVu Sans regular and bold, cut to the report's characters (``report/fonts``,
    embedded in the PDF): kommune names as SSB writes them need Latin Extended-A."""
    folder = os.path.join(os.path.dirname(__file__), "fonts")
    pdfmetrics.registerFont(TTFont(FONT, os.path.join(folder, "DejaVuSans.subset.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, os.path.join(folder, "DejaVuSans-Bold.subset.ttf")))


@cache
def styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=12, alignment=TA_LEFT)
    return {
        "body": base,
        "kicker": ParagraphStyle("kicker", base, fontSize=9, textColor=colors.Color(0.3, 0.3, 0.3)),
        "title": ParagraphStyle("title", base, fontName=FONT_BOLD, fontSize=20, leading=24),
        "h2": ParagraphStyle(
            "h2", base, fontName=FONT_BOLD, fontSize=11, leading=14, spaceBefore=6, spaceAfter=3
        ),
        "small": ParagraphStyle("small", base, fontSize=7.5, leading=9.5),
        "head": ParagraphStyle(
            "head", base, fontName=FONT_BOLD, fontSize=8.5, leading=10, alignment=2
        ),
        "cell": ParagraphStyle("cell", base, fontSize=8.5, leading=10.5),
        "cellnote": ParagraphStyle(
            "cellnote", base, fontSize=6.5, leading=8, textColor=colors.Color(0.3, 0.3, 0.3)
        ),
        "finding": ParagraphStyle("finding", base, leftIndent=8, bulletIndent=0, spaceAfter=1),
    }


def _p(text: str, style: str) -> Paragraph:
    return Paragraph(escape(text), styles()[style])


# -- sections: each returns flowables; add a section by adding a function to SECTIONS ----------
def header_section(data: ReportData, width: float) -> list[Any]:
    lang = data.lang
    return [
        _p(f"{t('report.title', lang)} · {data.kicker}", "kicker"),
        _p(data.name, "title"),
        _p(
            f"{t('report.scenario', lang, scenario=data.scenario_label)} {data.assumptions_text}",
            "body",
        ),
        Spacer(1, 4),
    ]


def findings_section(data: ReportData, width: float) -> list[Any]:
    if not data.findings:
        return []
    out: list[Any] = [_p(t("overview.findings", data.lang), "h2")]
    out += [Paragraph(escape(f), styles()["finding"], bulletText="•") for f in data.findings]
    return out


RANGE_FONT_SIZES = (9.0, 8.5, 8.0, 7.5, 7.0, 6.5)
RANGE_PADDING = 3.0  # points each side of a range cell (6 elsewhere)


def range_font_size(texts: list[str], column: float) -> float:
    """The largest size at which every "low–high" of a row fits its column on one line: a
    five- or six-digit population's ranges otherwise run into each other."""
    room = column - 2 * RANGE_PADDING
    for size in RANGE_FONT_SIZES:
        if all(pdfmetrics.stringWidth(x, FONT, size) <= room for x in texts):
            return size
    return RANGE_FONT_SIZES[-1]


def cell_text(row: KeyRow, year: int, lang: str) -> str:
    """One table cell: a value, or "low–high" for a row with ranges."""
    if row.ranges is not None:
        if year not in row.ranges:
            return DASH
        lo, hi = row.ranges[year]
        return f"{fmt_number(lo, lang, row.decimals)}–{fmt_number(hi, lang, row.decimals)}"
    return fmt_number(row.values.get(year), lang, row.decimals)


def key_table_section(data: ReportData, width: float) -> list[Any]:
    lang, years = data.lang, data.years
    end = years[-1]
    head = [
        t("report.col.figure", lang),
        *[str(y) for y in years],
        # "Endring" over "2026–2050": the years never break inside
        Paragraph(
            "<br/>".join(escape(t("report.col.change", lang, by=years[0], end=end)).rsplit(" ", 1)),
            styles()["head"],
        ),
    ]
    first, last = width * 0.32, width * 0.13
    rest = (width - first - last) / len(years)
    body = []
    row_styles: list[tuple[Any, ...]] = []
    for i, r in enumerate(data.rows, start=1):
        label: list[Any] = [Paragraph(escape(r.label), styles()["cell"])]
        if r.note:
            label.append(Paragraph(escape(r.note), styles()["cellnote"]))
        change = (
            DASH
            if r.ranges is not None
            else fmt_change(r.values.get(end), r.values.get(years[0]), lang)
        )
        cells = [cell_text(r, y, lang) for y in years]
        body.append([label, *cells, change])
        if r.ranges is not None:
            size = range_font_size(cells, rest)
            row_styles += [
                ("FONT", (1, i), (-1, i), FONT, size),
                ("LEFTPADDING", (1, i), (-1, i), RANGE_PADDING),
                ("RIGHTPADDING", (1, i), (-1, i), RANGE_PADDING),
            ]
        if r.key in PROJECTED_ROWS:  # someone's projection, also in the base year: not bold
            row_styles += [
                ("FONT", (1, i), (-1, i), FONT, 9),
                ("TEXTCOLOR", (1, i), (-1, i), PROJECTION_GREY),
            ]
    table = Table([head, *body], colWidths=[first] + [rest] * len(years) + [last], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, 0), FONT_BOLD, 8.5),
                ("FONT", (1, 1), (-1, -1), FONT, 9),
                ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LINEBELOW", (0, 0), (-1, 0), 1, colors.black),
                ("LINEBELOW", (0, 1), (-1, -1), 0.3, colors.Color(0.6, 0.6, 0.6)),
                ("FONT", (1, 1), (1, -1), FONT_BOLD, 9),  # today's column: registered
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                *row_styles,
            ]
        )
    )
    return [_p(t("report.keyfigures", lang, by=years[0]), "h2"), table]


def charts_section(data: ReportData, width: float, height_mm: float = 66) -> list[Any]:
    """Staffing pressure (left) and age groups (right), side by side."""
    lang = data.lang
    gap = 6 * mm
    w = (width - gap) / 2
    h = height_mm * mm
    left: list[Any] = []
    if len(data.pressure):
        left = [
            _p(t("report.chart.pressure", lang), "h2"),
            report_charts.pressure_chart(data.pressure, lang, w, h),
            _p(t("report.chart.pressure_note", lang), "small"),
        ]
    right = [
        _p(t("report.chart.index", lang, year=data.base_year), "h2"),
        report_charts.index_chart(data.index, INDEX_GROUPS, data.base_year, lang, w, h),
        _p(t("report.chart.index_note", lang, year=data.base_year), "small"),
    ]
    grid = Table([[left, right]], colWidths=[w + gap, w], hAlign="LEFT")
    grid.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (0, 0), gap),  # keeps the two notes apart
            ]
        )
    )
    return [Spacer(1, 4), grid]


def sources_section(data: ReportData, width: float) -> list[Any]:
    lang = data.lang
    req = data.request
    path = req.base_url + routes.kommune_path(req.code, "oversikt") + query(req.state)
    lines = [
        t("report.source.population", lang),
        data.vintage,
        t("credit.hmd_hfd", lang) + ".",
        t("footer.about", lang),
        t("credit.licence", lang) + ".",
        *data.extra_notes,
        t("report.generated", lang, date=data.generated.strftime("%d.%m.%Y"), path=path),
    ]
    return [_p(t("report.sources", lang), "h2"), *[_p(x, "small") for x in lines]]


SECTIONS = (header_section, findings_section, key_table_section, charts_section, sources_section)


CHART_HEIGHTS_MM = (66.0, 60.0, 54.0, 48.0, 42.0, 36.0)  # lower charts when text needs room


def render(data: ReportData) -> bytes:
    """The PDF for ``data``: one A4 page. A small kommune's note, changed assumptions and the
    page link can need more lines than the usual layout leaves: the charts then get lower."""
    register_fonts()
    for height in CHART_HEIGHTS_MM:
        body, pages = _build(data, height)
        if pages == 1:
            break
    return body


def _build(data: ReportData, chart_height_mm: float) -> tuple[bytes, int]:
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=12 * mm,
        bottomMargin=10 * mm,
        title=t("report.doc_title", data.lang, name=data.name),
        author="Kommunefram",
        subject=t("credit.ssb", data.lang),
        lang={"nb": "nb-NO", "nn": "nn-NO", "en": "en"}[data.lang],
    )
    story: list[Any] = []
    for section in SECTIONS:
        if section is charts_section:
            story += charts_section(data, doc.width, chart_height_mm)
        else:
            story += section(data, doc.width)
    doc.build(story)
    return buf.getvalue(), doc.page


def report_pdf(code: str, args: dict[str, str], base_url: str = "") -> tuple[bytes, ReportRequest]:
    """The PDF and its request; ``base_url`` ("https://host") makes the page link absolute."""
    req = replace(parse_request(code, args), base_url=base_url)
    return render(collect(req)), req
