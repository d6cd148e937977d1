"""Oversikt: key figures now and in 2030/2040/2050 with plain-language sentences."""

from __future__ import annotations

import logging
from typing import Any

import dash
from dash import dcc, html

from dashboard.data import history, model, needs_cache
from dashboard.report import report_link
from dashboard.text import ux_text
from dashboard.text.formatting import fmt_change, fmt_compact, fmt_number, pct_change
from dashboard.text.i18n import t
from dashboard.text.texts import change_sentence, chg_class
from dashboard.ui import components, context, figures, ssb_compare, uncertainty, ux_notices
from dashboard.views import chart_views, intervals

dash.register_page(
    __name__,
    path_template="/kommune/<code>",
    name="Oversikt",
    title="Oversikt – Kommunefram",
    order=10,
)

GROUP_CARDS = ("total", "0_5", "6_15", "16_66", "67_79", "80p")


def _cards(ctx: context.PageContext, assumptions: Any = None) -> list[Any]:
    lang, by = ctx.lang, model.base_year(ctx.scenario)
    cards = []
    for kf in model.key_figures(ctx.scenario, ctx.code):
        decimals = 1 if kf.kind == "ratio" else 0
        rows = [
            (
                str(y),
                uncertainty.card_value(ctx.code, ctx.scenario, kf.key, y, v, lang, decimals),
                fmt_change(v, kf.base, lang),
                chg_class(pct_change(v, kf.base)),
            )
            for y, v in kf.values.items()
        ]
        cards.append(
            components.key_card(
                t(f"card.{kf.key}", lang),
                fmt_number(kf.base, lang, decimals),
                t(f"card.{kf.key}.sub", lang, year=by),
                rows,
                f"card-{kf.key}",
                lang,
            )
        )
    if model.needs_available():
        try:
            pr = needs_cache.pressure_key_arrays(ctx.scenario, ctx.code, assumptions)
            per_1000 = pr["per_1000"].tolist()
            base = float(per_1000[0])
            rows = [
                (
                    str(int(year)),
                    fmt_number(value, lang, 1),
                    ux_text.pressure_change(value, base, lang),
                    ux_text.pressure_class(pct_change(value, base)),
                )
                for year, value in zip(pr["year"].tolist()[1:], per_1000[1:], strict=True)
            ]
            cards.append(
                components.key_card(
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


def _findings(ctx: context.PageContext) -> list[str]:
    lang = ctx.lang
    kfs = {k.key: k for k in model.key_figures(ctx.scenario, ctx.code)}
    out = []
    for key, year in (("total", 2050), ("80p", 2040), ("0_5", 2040), ("16_66", 2040)):
        kf = kfs[key]
        if year in kf.values:
            interval = intervals.bounds(ctx.code, ctx.scenario, year, key)
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


def _body(ctx: context.PageContext) -> Any:
    lang = ctx.lang
    if not model.projections_available():
        return html.Div([components.projections_missing(lang), _history_only(ctx)])
    by = model.base_year(ctx.scenario)
    s = model.series_arrays(ctx.scenario, ctx.code)  # arrays, not a frame: every render
    groups = ["0_5", "6_15", "16_66", "67_79", "80p"]
    keep = s["year"] >= by
    table = {c: s[c][keep] for c in ("year", *groups)}  # the chart's table, as columns
    kf80 = next(k for k in model.key_figures(ctx.scenario, ctx.code) if k.key == "80p")
    title = change_sentence("80p", kf80.values.get(2040, float("nan")), kf80.base, 2040, lang)
    # changed needs assumptions in the URL apply to the staffing-pressure card too (problems
    # with the URL are named once, by the shell's notice)
    assumptions = ctx.state.assumptions_or_none
    notice = ux_notices.assumptions_notice(assumptions, [], lang)
    el = components.raw_element  # static markup as element JSON: built on every render
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
            uncertainty.certainty_sentence(ctx.code, ctx.scenario, lang),
            components.chart_block(
                "overview-index",
                figures.index_figure(s, groups, by, lang),
                title,
                t("overview.index_summary", lang, year=by),
                table,
                lang,
                downloads=chart_views.download_links("index", ctx.state),
                headers=chart_views.chart_table("index", ctx.state).headers,
            ),
            components.safe_render(lambda: ssb_compare.comparison_section(ctx.code, lang), lang),
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
                    report_link.button(ctx.state),
                ],
            ),
        ]
    )


def _history_only(ctx: context.PageContext) -> Any:
    lang = ctx.lang
    h = history.history_frame(ctx.code)
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
    return context.kommune_page(
        code,
        scenario,
        lang,
        "oversikt",
        heading=lambda c: c.name,
        lead=lambda c: t("overview.lead", c.lang, scenario=t(f"scenario.{c.scenario}", c.lang)),
        body=_body,
        params=params,
    )
