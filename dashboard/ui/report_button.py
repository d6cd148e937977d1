"""The "Last ned rapport (PDF)" link: the report for exactly the page's view state."""

from __future__ import annotations

from dash import html

from dashboard.state import ViewState, query
from dashboard.state.routes import REPORT_ROUTE
from dashboard.text import t

LINK_ID = "report-link"


def report_href(state: ViewState) -> str:
    """Link to the report for exactly the page's view state (assumptions included)."""
    return REPORT_ROUTE.replace("<code>", state.region or "0") + query(state)


def report_button(state: ViewState) -> html.A:
    """ "Last ned rapport (PDF)": a plain link (the server answers with a file download)."""
    return html.A(
        t("report.button", state.lang),
        id=LINK_ID,
        href=report_href(state),
        className="btn btn-secondary report-button",
        title=t("report.button.title", state.lang),
        rel="nofollow",
    )
