"""Notices about the state carried in the URL: changed assumptions, redirected kommune numbers."""

from __future__ import annotations

from typing import Any

from dash import html

from dashboard import components, url_state
from dashboard.i18n import t


def assumptions_notice(assumptions: Any, problems: list[str], lang: str) -> Any:
    """ "Endrede forutsetninger: ..." naming every changed assumption, plus URL problems."""
    items: list[Any] = []
    changed = url_state.changes(assumptions, lang)
    if changed:
        items.append(
            html.Div(
                [
                    html.Strong(t("ux.asm.changed_title", lang)),
                    " ",
                    "; ".join(changed) + ".",
                ],
                className="notice notice-info",
                role="status",
                id="asm-changed",
            )
        )
    if problems:
        items.append(components.notice(" ".join(problems), "warning"))
    return html.Div(items, id="asm-notice") if items else html.Div(id="asm-notice")
