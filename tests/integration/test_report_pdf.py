"""The one-page kommune report: its text (extracted with pypdf) carries the same numbers as the
dashboard, in the chosen language, scenario and assumptions; bad input gets a clear 400/404."""

from __future__ import annotations

import io
import re
from dataclasses import replace

import pytest
from layout_text import text as page_text
from pypdf import PdfReader

import app as dash_app
from dashboard.data import model, needs_cache
from dashboard.report import report_pdf
from dashboard.text.formatting import fmt_number
from dashboard.text.i18n import t
from dashboard.views import intervals, report_data, ssb_figures

A4_POINTS = (595.27, 841.89)


@pytest.fixture(scope="module")
def client():
    return dash_app.server.test_client()


def _text(body: bytes) -> str:
    """The PDF's text, whitespace (line breaks, no-break spaces) as single spaces."""
    reader = PdfReader(io.BytesIO(body))
    assert len(reader.pages) == 1, "the report is one page"
    return " ".join(reader.pages[0].extract_text().split())


def _plain(s: str) -> str:
    return s.replace("\u00a0", " ")


def _get_pdf(client, path: str) -> tuple[bytes, str]:
    resp = client.get(path)
    assert resp.status_code == 200, resp.data[:300]
    assert resp.mimetype == "application/pdf"
    assert resp.data.startswith(b"%PDF-")
    return resp.data, _text(resp.data)


def _page_strings(layout) -> str:
    """Every text in a rendered Dash layout (what the person sees on the page)."""
    return _plain(page_text(layout))


def test_bodo_bokmal_has_the_oversikt_pages_numbers(client):
    from pages import oversikt

    body, text = _get_pdf(client, "/kommune/1804/rapport.pdf")
    reader = PdfReader(io.BytesIO(body))
    box = reader.pages[0].mediabox
    assert (round(float(box.width), 1), round(float(box.height), 1)) == (595.3, 841.9)
    assert "Bodø" in text
    assert "Kommune 1804 · Nordland" in text
    assert "Kilde: Statistisk sentralbyrå (SSB)" in text
    assert "Hovedalternativet (MMMM)" in text
    page = _page_strings(oversikt.layout(code="1804"))
    by = model.base_year("MMMM")
    for kf in model.key_figures("MMMM", "1804"):
        decimals = 1 if kf.kind == "ratio" else 0
        for value in (kf.base, *kf.values.values()):
            shown = _plain(fmt_number(value, "nb", decimals))
            assert shown in text, f"{kf.key}: {shown} not in the report"
            assert shown in page, f"{kf.key}: {shown} not on the Oversikt page"
    pressure = needs_cache.pressure_key_years("MMMM", "1804")
    for v in pressure["per_1000"]:
        assert _plain(fmt_number(v, "nb", 1)) in text
    assert f"Nøkkeltall {by} og framover" in text
    findings = report_data.collect(report_data.parse_request("1804", {})).findings
    assert len(findings) == 5
    for sentence in findings:  # the same headline sentences as the page's "Hovedfunn"
        assert _plain(sentence) in page and " ".join(sentence.split()) in text


def test_real_data_anchors_oslo_and_norway(client):
    _, oslo = _get_pdf(client, "/kommune/0301/rapport.pdf")
    assert "Oslo" in oslo and "728 714" in oslo
    _, norge = _get_pdf(client, "/kommune/0/rapport.pdf?lang=nn")
    assert "Heile landet" in norge and "5 627 400" in norge
    assert "Kjelde: Statistisk sentralbyrå (SSB)" in norge


def test_english_report_uses_english_texts_and_numbers(client):
    resp = client.get("/kommune/1804/rapport.pdf?lang=en&scenario=LHML")
    assert resp.headers["Content-Disposition"].endswith('kommunefram_rapport_1804_LHML_en.pdf"')
    text = _text(resp.data)
    assert "Municipality report" in text and "Bodø" in text
    assert "Source: Statistics Norway (SSB)" in text
    assert t("scenario.LHML", "en") in text
    total = next(k for k in model.key_figures("LHML", "1804") if k.key == "total")
    assert fmt_number(total.values[2050], "en") in text  # "57,880"-style, English grouping
    assert "Framskrivingsalternativ" not in text


def test_assumptions_flow_into_the_staffing_numbers(client):
    _, text = _get_pdf(client, "/kommune/1804/rapport.pdf?po_bem=120")
    edited = needs_cache.make_assumptions({"care_staffing_multiplier": 1.2})
    changed = needs_cache.pressure_key_years("MMMM", "1804", edited)["per_1000"]
    today = needs_cache.pressure_key_years("MMMM", "1804")["per_1000"]
    for new, old in zip(changed, today, strict=True):
        assert _plain(fmt_number(new, "nb", 1)) in text
        assert abs(new - 1.2 * old) < 1e-6 * old  # staffing per user scales årsverk
    assert "Endrede forutsetninger: Bemanning i pleie og omsorg 120 % (i dag 100 %)." in text
    _, same = _get_pdf(client, "/kommune/1804/rapport.pdf?po_bem=100")
    assert "dagens nivå i kommunen" in same  # 100 % is today's level: nothing changed


def test_decimal_comma_and_old_long_names_are_accepted_in_assumptions():
    req = report_data.parse_request("1804", {"home_care_coverage_multiplier": "90,5"})
    assert req.assumptions.home_care_coverage_multiplier == pytest.approx(0.905)
    assert req.query() == {"scenario": "MMMM", "lang": "nb", "ht_dek": "90.5"}


@pytest.mark.parametrize(
    ("query", "status", "needle"),
    [
        ("?lang=xx", 400, "Ukjent språk «xx»"),
        ("?scenario=ZZZZ", 400, "Ukjent framskrivingsalternativ «ZZZZ»"),
        ("?scenario=ZZZZ&lang=en", 400, "Unknown projection scenario “ZZZZ”"),
        ("?care_staffing_multiplier=abc", 400, "Bemanning i pleie og omsorg"),
        ("?po_bem=-5", 400, "mellom 10\u00a0% og 500\u00a0%"),
        (
            "?care_staffing_multiplier=inf",
            400,
            "ugyldig verdi for «Bemanning i pleie og omsorg» («inf»)",
        ),
        ("?gs_off=150", 400, "mellom 0\u00a0% og 100\u00a0%"),
        ("?bh_dek=400", 400, "mellom 0\u00a0% og 102,5\u00a0%"),
        ("?bh_dek=400&lang=en", 400, "between 0% and 102.5%"),
    ],
)
def test_bad_input_gets_one_clear_line(client, query, status, needle):
    resp = client.get("/kommune/1804/rapport.pdf" + query)
    assert resp.status_code == status
    body = resp.data.decode("utf-8")
    assert needle in body
    assert body.count("\n") == 1 and "Traceback" not in body


def test_unknown_region_is_404_and_long_values_are_not_echoed(client):
    resp = client.get("/kommune/9999/rapport.pdf")
    assert resp.status_code == 404 and "«9999»" in resp.data.decode()
    assert resp.headers["Content-Type"] == "text/plain; charset=utf-8"  # one charset, not two
    assert client.get("/kommune/bod%C3%B8/rapport.pdf").status_code == 404
    resp = client.get("/kommune/1804/rapport.pdf?scenario=" + "X" * 1500)
    assert resp.status_code == 400
    assert len(resp.data) < 400  # the 1 500 characters are cut, not repeated
    resp = client.get("/kommune/1804/rapport.pdf?scenario=" + "X" * 5000)
    assert resp.status_code == 414  # over the query-string cap: refused before the report
    assert len(resp.data) < 400


def test_report_is_black_and_white():
    """Every fill and stroke colour on the page is a grey: nothing is told by colour alone."""
    req = report_data.parse_request("1804", {})
    body = report_pdf.render(report_data.collect(req))
    content = PdfReader(io.BytesIO(body)).pages[0].get_contents().get_data().decode("latin-1")
    colours = re.findall(r"([\d.]+) ([\d.]+) ([\d.]+) (?:rg|RG)\b", content)
    assert colours, "the charts set colours"
    for r, g, b in colours:
        assert float(r) == float(g) == float(b), (r, g, b)


def test_ssb_and_interval_rows_plug_in():
    """Any SSB figure or interval row is drawn, an interval as low–high. Made-up inputs."""
    import pandas as pd

    req = report_data.parse_request("1804", {"lang": "nn"})
    data = report_data.collect(req)
    by = data.base_year
    ssb = pd.DataFrame({"year": [by, 2030, 2040, 2050], "persons": [1.0, 2.0, 3.0, 12345.0]})
    rows = [
        report_data.ssb_row(req, data.years, ssb, "14288"),
        report_data.interval_row(
            req, data.years, {by: 100.0, 2050: 1500}, {by: 200, 2050: 2500}, 80
        ),
    ]
    own = tuple(r for r in data.rows if r.key not in {"ssb_total", "total_interval"})
    text = _text(report_pdf.render(replace(data, rows=(*own, *rows))))
    assert "SSB si framskriving (tabell 14288)" in text and "12 345" in text
    assert "Innbyggjarar, uvisse" in text and "80 % sannsyn" in text
    assert "1 500–2 500" in text and "100–200" in text


def test_link_carries_the_whole_view_state_of_the_page():
    """The report link is built by the pages' codec: scenario, language and every changed
    assumption (a teacher preset too), so the PDF shows what the page shows."""
    from pages import oversikt, tjenester

    page = _page_strings(tjenester.layout(code="1804", scenario="LHML", lang="nn", po_bem="115"))
    assert "/kommune/1804/rapport.pdf?scenario=LHML&lang=nn&po_bem=115" in page
    over = _page_strings(oversikt.layout(code="1804", laerer="lovkrav", po_bem="120"))
    assert "/kommune/1804/rapport.pdf?scenario=MMMM&lang=nb&laerer=lovkrav&po_bem=120" in over
    plain = _page_strings(oversikt.layout(code="0301"))
    assert "/kommune/0301/rapport.pdf?scenario=MMMM&lang=nb" in plain


def test_teacher_preset_in_the_link_reaches_the_report(client):
    _, text = _get_pdf(client, "/kommune/1804/rapport.pdf?laerer=lovkrav")
    assert "lovkrav" in text.lower() or "lærernorm" in text.lower()


def test_buttons_on_oversikt_and_tjenester():
    from pages import oversikt, tjenester

    for layout in (oversikt.layout(code="1804", lang="nn"), tjenester.layout(code="1804")):
        strings = _page_strings(layout)
        assert '"id": "report-link"' in strings
        assert "/kommune/1804/rapport.pdf?" in strings
    assert "Last ned rapport (PDF)" in _page_strings(oversikt.layout(code="1804"))


def test_ssb_figure_beside_ours_as_on_the_oversikt_page(client):
    from pages import oversikt

    _, text = _get_pdf(client, "/kommune/1804/rapport.pdf")
    table = ssb_figures.source_label("1804")
    assert f"SSBs framskriving (tabell {table})" in text
    page = _page_strings(oversikt.layout(code="1804"))
    ssb = ssb_figures.ssb_series("1804", "total")
    for year in (2030, 2040, 2050):
        shown = _plain(fmt_number(ssb[year], "nb"))
        assert shown in text and shown in page, (year, shown)


def test_population_interval_row_matches_the_key_cards_and_is_wider_for_a_tiny_kommune(client):
    """The report says how sure we are, with the same 80 % bounds as the Oversikt key cards."""
    from pages import oversikt

    ratios = {}
    for code in ("1804", "1151"):
        _, text = _get_pdf(client, f"/kommune/{code}/rapport.pdf")
        assert "Innbyggere, usikkerhet" in text and "80 % sannsynlighet" in text
        page = _page_strings(oversikt.layout(code=code))
        data = report_data.collect(report_data.parse_request(code, {}))
        row = next(r for r in data.rows if r.key == "total_interval")
        total = next(r for r in data.rows if r.key == "total")
        assert data.base_year not in row.ranges and set(row.ranges) == set(data.years[1:])
        for year, (lo, hi) in row.ranges.items():
            assert lo < total.values[year] < hi
            cell = _plain(report_pdf.cell_text(row, year, "nb"))
            assert cell in text
            card = t("unc.card_interval", "nb", lo=fmt_number(lo, "nb"), hi=fmt_number(hi, "nb"))
            assert _plain(card) in page, f"{code} {year}: {card} not on the Oversikt page"
        lo, hi = row.ranges[2040]
        ratios[code] = (hi - lo) / total.values[2040]
    assert ratios["1151"] > 1.5 * ratios["1804"]  # Utsira is far less certain than Bodø


def test_tiny_kommune_report_carries_the_small_kommune_warning(client):
    _, utsira = _get_pdf(client, "/kommune/1151/rapport.pdf?lang=en")
    assert "this is a small kommune (219 inhabitants)" in utsira
    _, bodo = _get_pdf(client, "/kommune/1804/rapport.pdf?lang=en")
    assert "small kommune" not in bodo


# -- issue 21: the interval row, the page link and SSB's figure, as printed -------------------
SIZES = {"0301": "Oslo, six digits", "1804": "Bodø, five digits", "1151": "Utsira, three digits"}
RANGE = re.compile(r"(\S+(?: \d{3})*)–(\S+(?: \d{3})*)")


def _layout_lines(body: bytes) -> list[str]:
    """The page as laid out (pypdf's layout mode keeps each table row on one line, with spaces
    where there is room): text that overprints its neighbour reads glued here, as on paper."""
    reader = PdfReader(io.BytesIO(body))
    return reader.pages[0].extract_text(extraction_mode="layout").replace("\u00a0", " ").split("\n")


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
@pytest.mark.parametrize("code", list(SIZES))
def test_interval_row_reads_as_three_ranges(client, code, lang):
    body, _ = _get_pdf(client, f"/kommune/{code}/rapport.pdf?lang={lang}")
    label = t("report.row.interval", lang)
    rows = [line for line in _layout_lines(body) if label in line]
    assert len(rows) == 1, rows
    cells = re.split(r"\s{2,}", rows[0].split(label, 1)[1].strip())
    by = model.base_year("MMMM")
    years = [y for y in report_data.collect(report_data.parse_request(code, {})).years if y > by]
    expected = []
    for y in years:
        lo, hi = intervals.bounds(code, "MMMM", y)
        lo_s, hi_s = (_plain(fmt_number(intervals.round_sig(v), lang)) for v in (lo, hi))
        expected.append(f"{lo_s}–{hi_s}")
    # the base year (registered: no range), three ranges each in its own cell, the change (none)
    assert cells == ["–", *expected, "–"], f"{SIZES[code]} ({lang}): {rows[0]!r}"
    for cell in expected:
        lo_s, hi_s = RANGE.fullmatch(cell).groups()
        assert float(lo_s.replace(" ", "").replace(",", "")) <= float(
            hi_s.replace(" ", "").replace(",", "")
        )


def test_page_link_is_absolute(client, monkeypatch):
    """On paper a path is useless: the link carries the address the report was asked from, or
    the configured public address behind a proxy, with the view's scenario and language."""
    resp = client.get("/kommune/1804/rapport.pdf?lang=en", base_url="https://kf.example.no")
    text = _text(resp.data)
    assert "Web page: https://kf.example.no/kommune/1804?scenario=MMMM&lang=en" in text
    monkeypatch.setenv("KOMMUNEFRAM_BASE_URL", "https://kommune.example.no/framskriving/")
    text = _text(client.get("/kommune/1804/rapport.pdf?scenario=LLML").data)
    assert "Nettside: https://kommune.example.no/framskriving/kommune/1804?scenario=LLML" in text
    monkeypatch.setenv("KOMMUNEFRAM_BASE_URL", "javascript:alert(1)")
    text = _text(client.get("/kommune/1804/rapport.pdf").data)
    assert "javascript" not in text and "Nettside: /kommune/1804?scenario=MMMM&lang=nb" in text


def test_ssb_base_year_figure_is_not_bold_like_registered_figures(client):
    """Registered figures (the base-year column) are bold; SSB's figure for that year is a
    projection and is set like the other projected figures."""
    body = client.get("/kommune/1804/rapport.pdf").data
    by = model.base_year("MMMM")
    data = report_data.collect(report_data.parse_request("1804", {}))
    rows = {r.key: r for r in data.rows}
    registered = _plain(fmt_number(rows["total"].values[by], "nb"))
    ssb = _plain(fmt_number(rows["ssb_total"].values[by], "nb"))
    assert registered != ssb
    fonts: dict[str, set[str]] = {}

    def visit(text, cm, tm, font, size):
        if font is not None and text.strip():
            fonts.setdefault(_plain(text.strip()), set()).add(str(font.get("/BaseFont")))

    PdfReader(io.BytesIO(body)).pages[0].extract_text(visitor_text=visit)
    assert any("Bold" in f for f in fonts[registered]), fonts.get(registered)
    assert fonts[ssb] and not any("Bold" in f for f in fonts[ssb]), fonts[ssb]


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_tiny_kommune_with_changed_assumptions_stays_on_one_page(client, lang):
    """The small-kommune note, the assumptions line and a long page link need more lines than
    the usual layout leaves (74 kommuner ran onto a second page): the charts get lower."""
    _body, text = _get_pdf(
        client, f"/kommune/1151/rapport.pdf?lang={lang}&care_staffing_multiplier=110"
    )
    assert "po_bem=110" in text.replace(" ", "")  # the canonical parameter


@pytest.mark.parametrize(
    ("code", "name"),
    [("5622", "Porsanger - Porsáŋgu - Porsanki"), ("5610", "Kárášjohka - Karasjok")],
)
def test_sami_names_are_printed_as_ssb_writes_them(client, code, name):
    """The title is the name as SSB writes it, and the embedded font has its letters (Vera,
    the earlier font, has no ŋ or š: the text came out as 'Porsá gu')."""
    _, text = _get_pdf(client, f"/kommune/{code}/rapport.pdf")
    assert name in text
