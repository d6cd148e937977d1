"""Chart downloads for people: "CSV for Excel (norsk)" beside every chart's standard CSV.

The button's id carries the chart's download key plus the table headers and decimals the page
shows, so the file has the same column names and rounding as the "Vis som tabell" table.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from dash import ALL, Input, Output, callback, ctx, html, no_update

from dashboard.i18n import t

log = logging.getLogger("kommunefram")


def excel_button(
    csv_key: str,
    lang: str,
    headers: dict[str, str] | None,
    decimals: dict[str, int] | None,
) -> html.Button:
    meta = json.dumps(
        {"lang": lang, "headers": headers or {}, "decimals": decimals or {}},
        ensure_ascii=False,
        sort_keys=True,
    )
    return html.Button(
        t("ux.csv.excel_chart", lang),
        id={"type": "chart-xl", "key": csv_key, "meta": meta},
        className="btn btn-link",
        n_clicks=0,
    )


def chart_excel_download(key: str, meta_text: str) -> dict[str, Any]:
    from dashboard import chartdata, downloads, excel_csv

    meta = json.loads(meta_text)
    stem, df = chartdata.from_key(key)
    plain = excel_csv.plain_chart(
        df, meta.get("lang", "nb"), meta.get("headers"), meta.get("decimals")
    )
    return downloads.send(plain, stem, "excel_no")


@callback(
    Output("chart-download", "data", allow_duplicate=True),
    Input({"type": "chart-xl", "key": ALL, "meta": ALL}, "n_clicks"),
    prevent_initial_call=True,
)
def download_chart_excel(clicks: list[int | None]) -> Any:
    trig = ctx.triggered_id
    if not trig or not any(clicks or []):
        return no_update
    try:
        return chart_excel_download(trig["key"], trig["meta"])
    except Exception:
        log.exception("chart Excel download failed")
        return no_update
