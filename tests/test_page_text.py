"""One definition of a page's text (leaflet_site.page_text): what the check
scores, what the approval pack sets against the source, what the approval's
fingerprint is taken of, and what "Listen to this page" says. The check and
the pack import it; leaflet.js holds its own copy of the selector, so these
tests read the script and run it in Chromium against the Python reader."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers import LEAFLET, ROOT
from leaflet_site import page_text
from leaflet_site.check.pages import read_page
from leaflet_site.page_text import Block, read_article

LEAFLET_JS = ROOT / "docs" / "assets" / "leaflet.js"


def article(body: str) -> str:
    return f'<html><body><nav><p>Menu</p></nav><article class="md-content__inner md-typeset">{body}</article></body></html>'


# --- the reader ----------------------------------------------------------------

@pytest.mark.parametrize("part", [f'<div class="{c}"><p>Furniture</p></div>' for c in sorted(page_text.SKIP_CLASSES)]
                         + [f"<p><{t}>Furniture</{t}></p>" for t in sorted(page_text.SKIP_TAGS)]
                         + ['<p hidden>Furniture</p>', '<div hidden><p>Furniture</p></div>'])
def test_what_is_not_page_text_is_left_out(part: str):
    assert read_article(article(f"<p>Words.</p>{part}")) == [Block("paragraph", "Words.")]


def test_the_page_text_is_read_in_order_with_its_labels():
    page = article(
        '<h1>Title<a class="headerlink" href="#t">¶</a></h1><p>One <abbr title="a pop-up meaning">word</abbr>.<br>Two.</p>'
        "<!-- a comment --><ul><li>Item<ul><li>Nested</li></ul></li></ul>"
        "<dl><dt>Steroid</dt><dd>A medicine.</dd></dl>"
        "<table><tr><th>Detail</th><td>Value</td></tr></table>"
        '<details><summary>More</summary><p>Inside.</p></details>'
        '<div class="admonition note"><p class="admonition-title">Do not drive</p><p>Body.</p></div>'
        "<figure><img src=a.png alt='A scan'><figcaption>A caption.</figcaption></figure>")
    assert [(b.kind, b.text) for b in read_article(page)] == [
        ("heading", "Title"), ("paragraph", "One word. Two."), ("list item", "Item"), ("list item", "Nested"),
        ("term", "Steroid"), ("definition", "A medicine."), ("table header", "Detail"), ("table cell", "Value"),
        ("heading", "More"), ("paragraph", "Inside."), ("heading", "Do not drive"), ("paragraph", "Body."),
        ("caption", "A caption.")]
    # The check scores the prose only; the page it reads has the same prose.
    assert [b.kind for b in page_text.prose(read_article(page))] == [
        "paragraph", "list item", "list item", "definition", "table cell", "paragraph", "paragraph", "caption"]
    assert list(read_page("x/index.html", page).blocks) == page_text.prose(read_article(page))


def test_a_page_with_no_article_has_no_text():
    assert read_article("<html><body><p>Not an article.</p></body></html>") == []


def test_the_check_reads_links_and_anchors_with_the_parser_not_a_pattern():
    """Attributes of other names (data-href), comments and scripts hold no links."""
    page = ('<html><body>\n<a id="top" href="a/">A</a>\n<!-- <a href="commented/"> -->\n'
            '<div data-href="not/" data-id="no"></div>\n<script>var s = \' href="in-script/"\';</script>\n'
            '<img src="b.png" srcset="c.png 1x, d.png 2x" alt="">\n</body></html>')
    found = read_page("x/index.html", page)
    assert [link.url for link in found.links] == ["a/", "b.png", "c.png", "d.png"]
    assert found.ids == {"top"}
    assert [page.count("\n", 0, link.position) + 1 for link in found.links] == [2, 6, 6, 6]


# --- leaflet.js: the same definition -------------------------------------------

def js_definition(script: str) -> tuple[str, set[str]]:
    """The article leaflet.js reads aloud, and what it leaves out of it."""
    body = script[script.index("var text = function"):]
    found = re.search(r'var NOT_PAGE_TEXT = "([^"]*)";', script)
    article_selector = re.search(r'document\.querySelector\("([^"]+)"\)', body)
    assert found and article_selector, "leaflet.js no longer says what it reads aloud in the way this test reads it"
    return article_selector.group(1), {s.strip() for s in found.group(1).split(",")}


def test_leaflet_js_leaves_out_what_the_package_leaves_out():
    script = LEAFLET_JS.read_text(encoding="utf-8")
    wanted = ("article." + page_text.ARTICLE_CLASS, {s.strip() for s in page_text.SKIP_SELECTOR.split(",")})
    assert js_definition(script) == wanted
    # A script that forgets one part, or reads another element, is caught.
    assert js_definition(script.replace(" .leaflet-review,", "")) != wanted
    assert js_definition(script.replace("article.md-content__inner", "article")) != wanted


# Speech is faked, so the test hears exactly the text leaflet.js hands to the
# browser's voice (and needs no voice installed).
FAKE_SPEECH = """
window.leafletSpoken = [];
window.SpeechSynthesisUtterance = function (text) { this.text = text; window.leafletSpoken.push(text); };
Object.defineProperty(window, "speechSynthesis", { value: { paused: false, speak: function () {},
  cancel: function () {}, pause: function () {}, resume: function () {}, getVoices: function () { return []; } } });
"""


def heard(context, url: str) -> list[str]:
    from browser import open_page

    page = open_page(context, url)
    try:
        return listened(page)
    finally:
        page.close()


def listened(page) -> list[str]:
    """The words the page says when "Listen to this page" is pressed."""
    page.get_by_role("button", name="Listen to this page").click()
    return str(page.evaluate("window.leafletSpoken.join(' ')")).split()


@pytest.fixture
def listener(browser):
    context = browser.new_context(viewport={"width": 375, "height": 812})
    context.add_init_script(FAKE_SPEECH)
    yield context
    context.close()


@pytest.mark.slow
@pytest.mark.browser
def test_listen_says_the_page_text_word_for_word(listener, site: Path, base_url: str):
    """On every page, in Chromium: "Listen to this page" says exactly the
    words of the package's reader, in its order."""
    from browser import each_page

    for (_, opened), page in zip(each_page(listener, base_url, [p.url for p in LEAFLET.pages]), LEAFLET.pages,
                                 strict=True):
        said = listened(opened)
        read = page_text.words(read_article((site / page.url / "index.html").read_text(encoding="utf-8")))
        assert read and said == read, page.file


@pytest.mark.browser
def test_a_listen_that_reads_other_words_is_caught(listener, site: Path, base_url: str):
    """leaflet.js served with one part fewer left out (the review dates):
    what it says is no longer the page's text."""
    script = LEAFLET_JS.read_text(encoding="utf-8").replace(" .leaflet-review,", "")
    listener.route("**/leaflet.js", lambda route: route.fulfill(body=script, content_type="text/javascript"))
    page = LEAFLET.sections[0]
    said = heard(listener, base_url + page.url)
    read = page_text.words(read_article((site / page.url / "index.html").read_text(encoding="utf-8")))
    assert said != read and len(said) > len(read)
