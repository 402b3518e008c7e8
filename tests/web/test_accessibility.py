"""Accessibility of every dashboard page, checked by axe-core (the engine browsers' audit tools
use, carried inside the axe-playwright-python wheel) in a real headless Chromium, with the
page's own CSP in force; and a search works with the keyboard alone."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from tests.web.test_api import _world
from tests.web.test_pages import _page, browse

# each page with what fills it: a search with results, a profile with its charts and its
# lookalikes (a fragment loaded into the page, checked there), a plan
PAGES = {
    "search": "/?keywords=vegan&name=Vegan+cakes",
    "creators": "/creators",
    "creator": "/creators/instagram/anna.bakes",
    "plan": "/plan?name=Cakes&keywords=vegan&budget=500",
    "data": "/data",
    "login": "/login",
    "shortlist": "/shortlist?name=launch",
    "compare": "/compare?ref=instagram:anna.bakes&ref=instagram:ben.bakes&ref=instagram:dan.runs",
    "campaigns": "/campaigns",
    "campaign tracking": "/campaigns/track",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    yield from browse(_world(tmp_path_factory.mktemp("a11y")))


@pytest.mark.parametrize("name", list(PAGES))
def test_no_accessibility_violation_and_the_page_fits_a_phone_and_prints(site, name):
    url, browser = site
    page, _, errors = _page(browser)
    page.goto(url + PAGES[name])
    page.wait_for_load_state("networkidle")
    found = Axe().run(page).response["violations"]
    # the issue asks for no serious ones; the pages have none of any impact, and keep it so
    described = [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in found]
    assert not described, "\n".join(described)
    # at 375 px wide the page itself never scrolls sideways (a wide table scrolls inside it)
    page.set_viewport_size({"width": 375, "height": 740})
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{name}: the page is {width[0]} px wide on a {width[1]} px screen"
    # printed, it keeps the content without the navigation and forms
    page.emulate_media(media="print")
    assert page.locator("header nav").is_hidden() and page.locator("main").is_visible()
    assert not errors


def test_a_search_with_the_keyboard_alone(site):
    """Tab to the keywords field, type, Enter: the ranked results come, as with the mouse."""
    url, browser = site
    page, _, errors = _page(browser)
    page.goto(url + "/")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.name") == "keywords":
            break
    else:
        raise AssertionError("the keywords field is not reachable with Tab")
    page.keyboard.type("vegan")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#results tr[data-account]").count() == 3
    assert not errors

