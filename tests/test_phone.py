"""On a small phone the pages read like a patient leaflet: the leaflet's
name in full in the header, no version list there, the page's heading
first, and under it the list of the leaflet's sections with this one
marked. Tested in Chromium at 320 and 375 CSS pixels."""

from __future__ import annotations

import pytest

from browser import each_page, open_page
from helpers import LEAFLET

pytestmark = pytest.mark.browser

PHONES = [{"width": 320, "height": 640}, {"width": 375, "height": 812}]
LAPTOP = {"width": 1280, "height": 800}
TITLE = """() => { const el = document.querySelector('.md-header__topic .md-ellipsis'), r = el.getBoundingClientRect();
  return {text: el.textContent.trim(), clipped: el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1,
          overflow: getComputedStyle(el).textOverflow, visible: r.width > 0 && r.right <= innerWidth}; }"""


@pytest.fixture
def phone(browser, request):
    context = browser.new_context(viewport=request.param)
    yield context
    context.close()


@pytest.mark.parametrize("phone", PHONES, indirect=True, ids=["320", "375"])
def test_the_leaflets_name_is_in_full_and_no_version_list_in_the_header(phone, base_url: str):
    for url, page in each_page(phone, base_url, ["", LEAFLET.sections[0].url, LEAFLET.sections[3].url]):
        title = page.evaluate(TITLE)
        assert title["visible"] and not title["clipped"], (url, title)
        assert title["text"].lower() in LEAFLET.details.title.lower(), title  # the site's short name
        page.wait_for_selector(".md-version", state="attached")  # drawn from versions.json
        assert not page.locator(".md-header .md-version").is_visible(), url
        # The version is named at the foot of every page instead.
        footer = page.locator(".md-copyright")
        assert footer.is_visible() and f"version {LEAFLET.details.version}" in footer.inner_text(), url


@pytest.mark.parametrize("phone", PHONES, indirect=True, ids=["320", "375"])
def test_each_section_shows_its_heading_then_where_it_sits_among_the_others(phone, base_url: str):
    total = len(LEAFLET.sections)
    opened = each_page(phone, base_url, [s.url for s in LEAFLET.sections])
    for number, (section, (_, page)) in enumerate(zip(LEAFLET.sections, opened, strict=True), start=1):
        order = page.evaluate("""() => [...document.querySelectorAll('article h1, article .leaflet-contents, article .leaflet-tools')]
                                       .map(e => e.tagName === 'H1' ? 'h1' : e.className)""")
        assert order == ["h1", "leaflet-contents", "leaflet-tools"], (section.url, order)
        contents = page.locator("article .leaflet-contents")
        assert contents.is_visible()
        said = " ".join(contents.inner_text().split())
        assert f"From the {LEAFLET.details.publisher}. This is section {number} of {total}." in said
        current = contents.locator("[aria-current=page]")
        assert current.count() == 1 and current.inner_text().strip() == section.title
        assert contents.locator("a").count() == total
        page.emulate_media(media="print")
        assert not contents.is_visible()  # never on paper
        page.emulate_media(media="screen")  # the next page is on screen again


def test_on_a_wide_screen_the_menu_does_the_contents_lists_job(browser, base_url: str):
    context = browser.new_context(viewport=LAPTOP)
    page = open_page(context, base_url + LEAFLET.sections[0].url)
    assert not page.locator("article .leaflet-contents").is_visible()
    marked = page.eval_on_selector_all(".md-sidebar--primary .md-nav__link--active",
                                       "els => els.filter(e => e.getBoundingClientRect().height > 0).length")
    assert marked >= 1  # the menu on the left marks this page
    page.wait_for_selector(".md-version", state="attached")
    assert page.locator(".md-header .md-version").is_visible()  # and the list of versions, by keyboard too
    context.close()
