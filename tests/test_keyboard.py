"""Keyboard, touch, zoom and no-JavaScript use, tested in Chromium."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from browser import each_page, horizontal_overflow, open_page, site_pages
from helpers import ROOT

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
LAPTOP = {"width": 1280, "height": 800}

# What the focused element is, whether it shows a focus indicator, and its size.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  // The colour toggle is a hidden radio; what the user sees is its label.
  const shown = el.classList.contains('md-option') ? el.nextElementSibling : el;
  const s = getComputedStyle(shown), r = shown.getBoundingClientRect();
  const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none'
            || s.textDecorationLine.includes('underline') && parseFloat(s.textDecorationThickness) > 2;
  return {name: (el.getAttribute('aria-label') || el.textContent || el.value || '').trim().slice(0, 40),
          tag: el.tagName, cls: el.className.toString().slice(0, 60), ring: ring,
          visible: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.left < innerWidth,
          path: el.getAttribute('href'), url: el.href || null};
}"""


def tab_through(page, limit: int = 120) -> list[dict]:
    """Press Tab until focus leaves the page; return each element focused."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None or (seen and focused == seen[0]):
            break
        seen.append(focused)
    return seen


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE)
    yield context
    context.close()


def test_skip_link_comes_first_and_works(phone, base_url: str):
    page = open_page(phone, base_url + "risks/")
    page.keyboard.press("Tab")
    first = page.evaluate(FOCUSED)
    assert "md-skip" in first["cls"] and first["name"] == "Skip to content" and first["visible"]
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#risks-and-side-effects"


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_every_control_is_reachable_with_visible_focus(browser, base_url: str, viewport):
    context = browser.new_context(viewport=viewport)
    page = open_page(context, base_url + "risks/")
    focused = tab_through(page)
    context.close()
    names = [f["name"] for f in focused]
    assert names[0] == "Skip to content"
    assert any(f["path"] == "../after/" for f in focused), "Tab never reached the Next link"
    assert any(f["name"] == "Search" or f["tag"] == "INPUT" for f in focused), "Tab never reached search"
    no_ring = [f for f in focused if not f["ring"]]
    assert not no_ring, f"Focused without a visible focus indicator: {no_ring}"
    hidden = [f for f in focused if not f["visible"]]
    assert not hidden, f"Focus went to something the user cannot see: {hidden}"


def test_menu_opens_and_closes_by_keyboard_on_a_phone(phone, base_url: str):
    page = open_page(phone, base_url + "risks/")
    menu = page.get_by_role("button", name="Menu")
    menu.focus()
    page.keyboard.press("Enter")
    assert menu.get_attribute("aria-expanded") == "true"
    nav_link = page.locator(".md-nav--primary a.md-nav__link[href='../after/']")
    nav_link.wait_for(state="visible")
    nav_link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/after/")
    menu = page.get_by_role("button", name="Menu")
    menu.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    assert menu.get_attribute("aria-expanded") == "false"
    assert page.evaluate(FOCUSED)["name"] == "Menu", "Escape did not give focus back to the menu button"


def test_search_works_by_keyboard_on_a_phone(phone, base_url: str):
    page = open_page(phone, base_url + "risks/")
    button = page.get_by_role("button", name="Search")
    button.focus()
    page.keyboard.press("Enter")
    box = page.get_by_role("searchbox").or_(page.get_by_role("textbox", name="Search")).first
    box.wait_for(state="visible")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Search"
    page.keyboard.type("warfarin")
    page.locator(".md-search-result__item a").first.wait_for(state="visible")
    hrefs = page.eval_on_selector_all(".md-search-result__item a", "els => els.map(e => e.href)")
    assert any("/before/" in h for h in hrefs), hrefs
    assert page.locator("[role=dialog][aria-label='Search this leaflet']").count() == 1
    status = page.locator(".md-search-result__meta[aria-live=polite]")
    assert "matching" in status.inner_text().lower(), status.inner_text()


TARGETS = """() => [...document.querySelectorAll('a, button, input, select, textarea, label[for], [tabindex]')]
  .filter(el => { const r = el.getBoundingClientRect(), s = getComputedStyle(el);
                  return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.opacity !== '0' && r.bottom > 0 && r.top < innerHeight * 20
                         && !el.closest('.md-content p, .md-content li, .md-content td, .md-content dd'); })
  .map(el => { const r = el.getBoundingClientRect();
               return {what: el.tagName + ' ' + (el.getAttribute('aria-label') || el.textContent).trim().slice(0, 30),
                       w: Math.round(r.width), h: Math.round(r.height)}; })"""


def test_touch_targets_are_big_enough_on_a_phone(phone, base_url: str):
    """WCAG 2.5.8: 24x24 CSS px at least (links inside sentences are exempt);
    44 px high for the main navigation, which patients tap most."""
    page = open_page(phone, base_url + "risks/")
    small = [t for t in page.evaluate(TARGETS) if t["w"] < 24 or t["h"] < 24]
    assert not small, f"Too small to tap: {small}"
    page.get_by_role("button", name="Menu").click()
    heights = page.eval_on_selector_all(".md-nav--primary > .md-nav__list > .md-nav__item > .md-nav__link",
                                        "els => els.map(e => [e.textContent.trim(), e.getBoundingClientRect().height])")
    shown = [(name, h) for name, h in heights if h > 0]  # the current page's hidden twin has no height
    assert len(shown) >= 8 and all(h >= 44 for _, h in shown), heights


@pytest.mark.slow
def test_pages_work_without_javascript(browser, site: Path, base_url: str):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    for path, page in each_page(context, base_url, [p for p in site_pages(site) if p != "404.html"]):
        assert len(page.inner_text("article").split()) > 30, f"/{path} shows no text without JavaScript"
    page = open_page(context, base_url + "risks/")
    page.click("label[for='__drawer'].md-header__button")
    page.locator(".md-nav--primary a[href='../after/']").click()
    page.wait_for_url("**/after/")
    page.locator("a.md-footer__link--next").click()
    page.wait_for_url("**/questions/")
    context.close()


TEXT_SPACING = """* { line-height: 1.5 !important; letter-spacing: 0.12em !important;
                     word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }"""
CLIPPED = """() => [...document.querySelectorAll('article *, .md-footer *')].filter(el => {
  const s = getComputedStyle(el);
  return (s.overflow === 'hidden' || s.overflowX === 'hidden' || s.overflowY === 'hidden') && el.textContent.trim()
         && (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1);
}).map(el => el.tagName + '.' + el.className + ': ' + el.textContent.trim().slice(0, 40))"""


@pytest.mark.parametrize("path", ["", "risks/", "about/", "glossary/"])
def test_text_spacing_and_200_percent_text_lose_nothing(browser, base_url: str, path: str):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = open_page(context, base_url + path)
    page.add_style_tag(content=TEXT_SPACING)
    assert horizontal_overflow(page) <= 0 and page.evaluate(CLIPPED) == []
    page.add_style_tag(content="html { font-size: 250% !important; }")  # 2x Material's 125%
    context.close()
    page2 = open_page(browser.new_context(viewport={"width": 1280, "height": 800}), base_url + path)
    page2.add_style_tag(content="html { font-size: 250% !important; }")
    assert horizontal_overflow(page2) <= 0, "Text at 200% makes the page scroll sideways"
    assert page2.evaluate(CLIPPED) == []
    page2.context.close()


def test_dark_mode_follows_the_phone_and_the_toggle_has_a_name(browser, base_url: str):
    context = browser.new_context(viewport=PHONE, color_scheme="dark")
    page = open_page(context, base_url + "risks/")
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    dark, light = page.get_by_role("radio", name="Dark colours"), page.get_by_role("radio", name="Light colours")
    assert dark.is_checked() and not light.is_checked()
    page.locator("label[title='Switch to light mode']").click()  # the sun icon
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "default"
    assert light.is_checked()
    # By keyboard: the checked radio takes focus, an arrow key chooses the other.
    light.focus()
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate" and dark.is_checked()
    # The print page has no toggle, but the patient's colours all the same.
    page = open_page(context, base_url + "print_page/")
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    context.close()


# The toggle's code, in the script at the end of the page (overrides/main.html),
# and the page's security policy (it names each script by its hash).
TOGGLE_SCRIPT = re.compile(r'\(function\(\)\{var d=document,f=d\.querySelector\("\[data-md-component=palette\]"\).*?\}\)\(\);')
POLICY = re.compile(r'<meta http-equiv="Content-Security-Policy"[^>]*>')


@pytest.mark.parametrize("scheme, shown", [("dark", "Switch to light mode"), ("light", "Switch to dark mode")])
def test_the_first_picture_has_the_patients_colours_and_toggle(browser, base_url: str, scheme: str, shown: str):
    """What the script before the header puts on the page is all the first
    picture needs: here the toggle's code at the end of the page never runs,
    and the colours and the toggle's icon are already right."""
    # No service worker: it fetches the pages for the offline copy, through the route too.
    context = browser.new_context(viewport=PHONE, color_scheme=scheme, service_workers="block")
    cut = []

    def without_toggle_script(route):
        response = route.fetch()
        text = response.text()
        html = POLICY.sub("", TOGGLE_SCRIPT.sub("", text, count=1))
        cut.append(TOGGLE_SCRIPT.search(text) is not None and TOGGLE_SCRIPT.search(html) is None)
        route.fulfill(response=response, body=html)

    context.route(base_url + "risks/", without_toggle_script)
    page = open_page(context, base_url + "risks/")
    assert cut == [True]
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == ("slate" if scheme == "dark" else "default")
    labels = page.locator("[data-md-component=palette] label")
    assert [labels.nth(i).get_attribute("title") for i in range(labels.count()) if labels.nth(i).is_visible()] == [shown]
    context.close()


# Where the focused element sits: in the window, and not under anything else
# (the sticky header, a pop-up): WCAG 2.4.11, focus not obscured. The hidden
# colour radio is shown by its label; the check looks at what is drawn.
STOP = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const shown = el.classList.contains('md-option') ? el.nextElementSibling : el;
  // A link that wraps onto two lines: the middle of its first line.
  const r = shown.getClientRects()[0] || shown.getBoundingClientRect();
  const x = r.left + r.width / 2, y = r.top + Math.min(r.height / 2, 10);
  let opacity = 1;
  for (let e = shown; e; e = e.parentElement) opacity *= parseFloat(getComputedStyle(e).opacity);
  const inWindow = x >= 0 && x < innerWidth && y >= 0 && y < innerHeight;
  // Hit testing honours clipping: a control cut off by a box it sits in is not hit.
  const top = inWindow ? document.elementFromPoint(x, y) : null;
  window.__stops = (window.__stops || []).concat([el]);
  return {seen: inWindow && opacity > 0.1 && getComputedStyle(shown).visibility === 'visible',
          covered: inWindow && !(top && (shown.contains(top) || top.closest('label') === shown)),
          cover: top ? top.tagName + '.' + top.className.toString().slice(0, 40) : ''};
}"""
# Each stop comes after the one before it in the page (Tab) or before it
# (Shift+Tab): no positive tabindex reorders them.
IN_ORDER = """forwards => window.__stops.every((el, i, all) => i === 0 || all[i - 1] === el ||
  (all[i - 1].compareDocumentPosition(el)
   & (forwards ? Node.DOCUMENT_POSITION_FOLLOWING : Node.DOCUMENT_POSITION_PRECEDING)))"""
# The focused element (FOCUSED) and where it sits (STOP), or null once focus
# has left the page or come round again to the first stop itself (two links
# may look alike).
STEP = f"""() => {{
  const focused = ({FOCUSED})();
  if (focused === null || (window.__stops.length && document.activeElement === window.__stops[0])) return null;
  return Object.assign(focused, ({STOP})());
}}"""
TAB_STOPS = ROOT / "build" / "tab-stops.txt"
NO_MOTION = "*, ::before, ::after { transition: none !important; scroll-behavior: auto !important; }"


def same_words_elsewhere(stops: list[dict]) -> list[str]:
    """Links a keyboard reaches with the same name that lead to different
    places (WCAG 2.4.4 and 3.2.4: the same words, the same place)."""
    places: dict[str, set[str]] = {}
    for s in stops:
        if s.get("url"):
            places.setdefault(" ".join(s["name"].split()).lower(), set()).add(s["url"])
    return [f"links named '{name}' lead to {sorted(p)}" for name, p in places.items() if len(p) > 1]


def walk(page, key: str, where: str) -> tuple[list[dict], list[str]]:
    """Press `key` (Tab, or Shift+Tab) until focus leaves the page or comes
    round again; return each stop and what is wrong with them: no focus
    indicator, out of sight, under something else, or out of the page's
    order. Shift+Tab starts where a Tab walk ended: past the end of the page."""
    page.evaluate("window.__stops = []")
    stops = []
    for _ in range(400):
        page.keyboard.press(key)
        stop = page.evaluate(STEP)  # one call a stop: the walk is two round trips a key, not four
        if stop is None:
            break
        stops.append(stop)
    problems = [f"{where}: no visible focus indicator on {s['tag']} '{s['name']}'" for s in stops if not s["ring"]]
    problems += [f"{where}: {s['tag']} '{s['name']}' is focused out of sight" for s in stops
                 if not (s["visible"] and s["seen"])]
    problems += [f"{where}: {s['tag']} '{s['name']}' is focused under {s['cover']}" for s in stops if s["covered"]]
    if not page.evaluate(IN_ORDER, key == "Tab"):
        problems.append(f"{where}: the {key} order does not follow the page")
    return stops, problems


@pytest.mark.slow
@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_keyboard_walk_through_every_page(browser, site: Path, base_url: str, viewport):
    """Tab from the top of each page to its end, then Shift+Tab from its end
    back to the top: every stop shows a focus indicator (outline, shadow or
    thick underline, from the computed style), is drawn in the window and not
    under anything else, and the stops come in the order of the page (no
    positive tabindex). The count of stops a page is written to
    build/tab-stops.txt."""
    context = browser.new_context(viewport=viewport)
    problems, counts = [], []
    for path, page in each_page(context, base_url, site_pages(site)):
        page.add_style_tag(content=NO_MOTION)
        if page.evaluate("[...document.querySelectorAll('[tabindex]')].some(e => e.tabIndex > 0)"):
            problems.append(f"/{path}: a positive tabindex changes the Tab order")
        where = f"/{path} at {viewport['width']} px"
        stops, found = walk(page, "Tab", where)
        counts.append(f"{viewport['width']:5} px /{path}: {len(stops)}")
        problems += found + [f"{where}: {p}" for p in same_words_elsewhere(stops)]
        back, found = walk(page, "Shift+Tab", where + ", Shift+Tab from the end")
        problems += found
        if len(back) != len(stops):
            problems.append(f"{where}: Shift+Tab from the end reaches {len(back)} stops, Tab from the top {len(stops)}")
    context.close()
    TAB_STOPS.parent.mkdir(exist_ok=True)
    with TAB_STOPS.open("a", encoding="utf-8") as out:
        out.write("\n".join(counts) + "\n")
    assert not problems, "\n".join(problems)


# What the header did before the version button was kept in sight: once the
# page is scrolled, the leaflet's name and the version button are hidden
# whatever has focus (Material's rule, as it is without leaflet.css's).
HIDDEN_VERSION_BUTTON = """
.md-header__title--active .md-header__topic:first-child:focus-within {
  z-index: -1 !important; opacity: 0 !important; }
.md-header__title--active:focus-within .md-header__topic + .md-header__topic {
  z-index: 0 !important; opacity: 1 !important; }"""


def test_shift_tab_walk_finds_the_hidden_version_button(browser, base_url: str):
    """The Shift+Tab walk is not blind: with the fix taken out of the page,
    the version button is focused while Material shows the page's title in
    its place, and the walk says so; with the fix, the button is in sight.
    The patient has scrolled to the end of the page, is in the menu on the
    left (which stays put), and goes back into the header with Shift+Tab."""
    context = browser.new_context(viewport=LAPTOP)

    def walk_back(css: str = "") -> tuple[list[dict], list[str]]:
        page = open_page(context, base_url + "risks/")
        page.add_style_tag(content=NO_MOTION + css)
        page.wait_for_selector(".md-version__current", state="attached")
        # Material's script (loaded when the search box is first focused)
        # swaps the title once the page is scrolled.
        page.locator(".md-search__input").focus()
        page.keyboard.press("Escape")
        page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
        page.wait_for_selector(".md-header__title--active", state="attached")
        page.locator(".md-sidebar--primary a.md-nav__link").filter(visible=True).first.focus()
        found = walk(page, "Shift+Tab", "/risks/ at 1280 px, Shift+Tab from the menu")
        page.close()
        return found

    stops, problems = walk_back()
    version = [s for s in stops if s["cls"].startswith("md-version__current")]
    assert version and version[0]["visible"] and version[0]["seen"] and not version[0]["covered"], version
    assert not problems, problems
    _, problems = walk_back(HIDDEN_VERSION_BUTTON)
    context.close()
    assert [p for p in problems if p.startswith("/risks/ at 1280 px, Shift+Tab from the menu: BUTTON 'Version ")
            and p.endswith("' is focused out of sight")], problems


def test_the_walk_through_finds_a_hidden_focus(phone, tmp_path: Path):
    """The walk-through's checks are not blind: a link with its outline
    removed and a button under another element are both reported."""
    (tmp_path / "index.html").write_text(
        '<!DOCTYPE html><html lang="en"><body><a href="#x" style="outline:none">No ring</a>'
        '<button style="position:absolute;top:100px;left:0">Covered</button>'
        '<div style="position:absolute;top:90px;left:0;width:300px;height:60px;background:#fff"></div>'
        '<div style="position:absolute;top:300px;left:0;width:0;overflow:hidden"><input aria-label="Clipped"></div>'
        '</body></html>')
    from browser import serve

    with serve(tmp_path, "/walk/") as url:
        page = open_page(phone, url)
        stops = []
        for _ in range(3):
            page.keyboard.press("Tab")
            stops.append({**page.evaluate(FOCUSED), **page.evaluate(STOP)})
    assert not stops[0]["ring"]
    assert stops[1]["covered"] and stops[1]["cover"].startswith("DIV")
    assert stops[2]["covered"]  # cut off by its box: a click there would miss it
    twice = [{"name": "After the injection", "url": "https://site.test/after/"},
             {"name": "After the injection", "url": "https://site.test/gp-practices/#after-the-injection"}]
    assert same_words_elsewhere(twice)
