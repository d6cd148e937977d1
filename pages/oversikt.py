"""Oversikt: key figures now and in 2030/2040/2050 with plain-language sentences."""

from __future__ import annotations

import logging
from typing import Any

import dash
from dash import dcc, html

from dashboard import ui, views
from dashboard.state import POP_GROUPS
from dashboard.text import (
    card_change,
    change_sentence,
    chg_class,
    fmt_compact,
    fmt_number,
    pct_change,
    pressure_change,
    pressure_class,
    t,
)

dash.register_page(
    __name__,
    path_template="/kommune/<code>",
    name="Oversikt",
    title="Oversikt – Kommunefram",
    order=10,
)

GROUP_CARDS = POP_GROUPS


def _cards(ctx: ui.PageContext, assumptions: Any = None) -> list[Any]:
    lang, by = ctx.lang, views.base_year(ctx.scenario)
    cards = []
    for kf in views.key_figures(ctx.scenario, ctx.code):
        decimals = 1 if kf.kind == "ratio" else 0
        rows = [
            (
                str(y),
                ui.card_value(ctx.code, ctx.scenario, kf.key, y, v, lang, decimals),
                card_change(v, kf.base, lang, count=kf.kind == "count"),
                chg_class(pct_change(v, kf.base)),
            )
            for y, v in kf.values.items()
        ]
        cards.append(
            ui.key_card(
                t(f"card.{kf.key}", lang),
                fmt_number(kf.base, lang, decimals),
                t(f"card.{kf.key}.sub", lang, year=by),
                rows,
                f"card-{kf.key}",
                lang,
            )
        )
    if views.needs_available():
        try:
            pr = views.pressure_key_arrays(ctx.scenario, ctx.code, assumptions)
            per_1000 = pr["per_1000"].tolist()
            base = float(per_1000[0])
            rows = [
                (
                    str(int(year)),
                    fmt_number(value, lang, 1),
                    pressure_change(value, base, lang),
                    pressure_class(pct_change(value, base)),
                )
                for year, value in zip(pr["year"].tolist()[1:], per_1000[1:], strict=True)
            ]
            cards.append(
                ui.key_card(
                    t("card.pressure", lang),
                    fmt_compact(base, lang),
                    t("card.pressure.sub", lang, year=by),
                    rows,
                    "card-pressure",
                    lang,
                )
            )
        except (KeyError, ValueError, LookupError, IndexError):
            # the pressure card is one of several: log and show the others
            logging.getLogger("kommunefram").exception("pressure card failed")
    return cards


def _findings(ctx: ui.PageContext) -> list[str]:
    lang = ctx.lang
    kfs = {k.key: k for k in views.key_figures(ctx.scenario, ctx.code)}
    out = []
    for key, year in (("total", 2050), ("80p", 2040), ("0_5", 2040), ("16_66", 2040)):
        kf = kfs[key]
        if year in kf.values:
            interval = views.intervals.bounds(ctx.code, ctx.scenario, year, key)
            out.append(change_sentence(key, kf.values[year], kf.base, year, lang, interval))
    cr = kfs["care_ratio"]
    if 2040 in cr.values:
        out.append(
            t(
                "sentence.care_ratio",
                lang,
                now=fmt_number(cr.base, lang, 1),
                then=fmt_number(cr.values[2040], lang, 1),
                year=2040,
            )
        )
    return out


def _body(ctx: ui.PageContext) -> Any:
    lang = ctx.lang
    if not views.projections_available():
        return html.Div([ui.projections_missing(lang), _history_only(ctx)])
    by = views.base_year(ctx.scenario)
    s = views.series_arrays(ctx.scenario, ctx.code)  # arrays, not a frame: every render
    groups = list(POP_GROUPS[1:])
    keep = s["year"] >= by
    table = {c: s[c][keep] for c in ("year", *groups)}  # the chart's table, as columns
    kf80 = next(k for k in views.key_figures(ctx.scenario, ctx.code) if k.key == "80p")
    title = change_sentence("80p", kf80.values.get(2040, float("nan")), kf80.base, 2040, lang)
    # changed needs assumptions in the URL apply to the staffing-pressure card too (problems
    # with the URL are named once, by the shell's notice)
    assumptions = ctx.state.assumptions_or_none
    notice = ui.assumptions_notice(assumptions, lang)
    el = ui.raw_element  # static markup as element JSON: built on every render
    return html.Div(
        [
            el(
                "Section",
                [
                    el(
                        "H2",
                        t("overview.findings", lang),
                        id="findings-title",
                        className="section-title",
                    ),
                    el("Ul", [el("Li", x) for x in _findings(ctx)], className="findings-list"),
                ],
                className="findings card",
                **{"aria-labelledby": "findings-title"},
            ),
            el("H2", t("overview.keyfigures", lang, year=by), className="section-title"),
            notice,
            el("Div", _cards(ctx, assumptions), className="card-grid", id="key-cards"),
            ui.certainty_sentence(ctx.code, ctx.scenario, lang),
            ui.chart_block(
                "overview-index",
                ui.index_figure(s, groups, by, lang),
                title,
                t("overview.index_summary", lang, year=by),
                table,
                lang,
                downloads=views.download_links("index", ctx.state),
                headers=views.chart_table("index", ctx.state).headers,
            ),
            ui.safe_render(lambda: ui.comparison_section(ctx.code, lang), lang),
            html.Div(
                className="next-links",
                children=[
                    dcc.Link(
                        t("overview.more_population", lang),
                        href=ctx.href("befolkning"),
                        className="btn",
                    ),
                    dcc.Link(
                        t("overview.more_services", lang),
                        href=ctx.href("tjenester"),
                        className="btn",
                    ),
                    dcc.Link(
                        t("overview.more_data", lang),
                        href=ctx.href("data"),
                        className="btn btn-secondary",
                    ),
                    ui.report_button(ctx.state),
                ],
            ),
        ]
    )


def _history_only(ctx: ui.PageContext) -> Any:
    lang = ctx.lang
    h = views.history_frame(ctx.code)
    last = h.iloc[-1]
    return html.Div(
        html.P(
            t(
                "overview.history_only",
                lang,
                year=int(last["year"]),
                total=fmt_number(last["total"], lang),
            )
        ),
        className="card",
    )


def layout(
    code: str | None = None, scenario: str | None = None, lang: str | None = None, **params: Any
) -> Any:
    return ui.kommune_page(
        code,
        scenario,
        lang,
        "oversikt",
        heading=lambda c: c.name,
        lead=lambda c: t("overview.lead", c.lang, scenario=t(f"scenario.{c.scenario}", c.lang)),
        body=_body,
        params=params,
    )
