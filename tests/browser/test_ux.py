"""The first minute of a new user, in Chromium: picker, assumptions in the URL, phone map,
old kommune numbers, plain CSVs, and no English on Norwegian pages."""

from __future__ import annotations

import pytest

from .conftest import shot, wait_ready

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", ["/kommune/0301", "/kommune/0301/tjenester", "/"])
def test_click_picker_and_type_on_any_page(page, app_url, path):
    """Click the picker and type with the keyboard (not fill()): the search field gets it."""
    page.goto(app_url + path)
    wait_ready(page)
    page.click("#region-picker")
    page.keyboard.type("Bodø")
    page.locator("[role=option]", has_text="Bodø (1804)").first.wait_for()
    assert page.locator("input.dash-dropdown-search").input_value() == "Bodø"
    page.locator("[role=option]", has_text="Bodø (1804)").first.click()
    page.wait_for_function("() => location.pathname.startsWith('/kommune/1804')")
    wait_ready(page)
    assert page.locator("#page-title").inner_text().startswith(("Bodø", "Tjenester"))
    shot(page, "ux-picker-typed")
