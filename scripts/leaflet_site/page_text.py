"""What counts as a page's text: the one definition, and its one reader.

A built page's text is its article (Material's `article.md-content__inner`)
less the parts that are not the page's own words: code, scripts, buttons,
pictures drawn in SVG, anything hidden (the search words only the search
sees) and the page furniture named in SKIP_CLASSES (the review dates, the
Listen and Share tools, the offline and draft notices, the contents box).

What is left is read as blocks, in reading order: the prose (paragraphs,
list items, table cells, the meanings of a definition list and the captions
of pictures), with the
words that label it between them (headings, the summary line of a box that
opens, the words a definition list explains, a table's header cells). Every
word of the article that is not left out is in one block: "Listen to this
page" says the same words, in the same order. The check
scores the prose (leaflet_site.check), the approval pack sets it against
the source and the published text (leaflet_site.approval), and the record
of everything a patient reads takes its fingerprint (leaflet_site.patient_text).

"Listen to this page" (docs/assets/leaflet.js) reads the same article less
the same parts: its selector of what is not page text must be SKIP_SELECTOR
(tests/test_page_text.py reads it from the script and runs it in Chromium).

The reader is lxml's HTML parser (libxml2): no regular expression reads HTML.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from lxml import html as lxml_html

# lxml ships no type information: its elements are Any to mypy. They stay
# inside this module and leaflet_site.check.pages; the rest of the package
# sees Blocks and strings.
Element = Any

ARTICLE_CLASS = "md-content__inner"  # Material's article: the page's own content

# The blocks of prose, and what each is called in a finding, the pack and the record.
KIND = {"p": "paragraph", "li": "list item", "td": "table cell", "dd": "definition", "figcaption": "caption"}
PROSE_TAGS = frozenset(KIND)
# The words read beside the prose, which label it: headings (a details
# box's summary is its heading), the word a definition list explains, and a
# table's header cells. The check does not score them as sentences.
HEADING, TERM_KIND, TABLE_HEADER = "heading", "term", "table header"
LABELS = {**{f"h{n}": HEADING for n in range(1, 7)}, "summary": HEADING, "dt": TERM_KIND, "th": TABLE_HEADER}
LABEL_CLASSES = {"admonition-title": HEADING}  # a box's title (`!!! note "Title"`) is its heading
NOT_PROSE = (HEADING, TERM_KIND, TABLE_HEADER)

# Tags that hold blocks: the text of a block leaves out the blocks nested in
# it (each is read on its own: a list inside a list item).
BLOCK_TAGS = PROSE_TAGS | set(LABELS) | {"ul", "ol", "dl", "table", "div", "pre", "blockquote", "details", "figure"}

# Not page text, wherever it is: code, scripts and styles, pictures drawn in
# SVG, and buttons (their words are the tool's, not the leaflet's).
SKIP_TAGS = frozenset({"code", "pre", "script", "style", "svg", "button"})
# Parts of the article that are not the page's own words.
SKIP_CLASSES = frozenset({
    "leaflet-review",    # "Page last reviewed" and "Next review due": the leaflet's details, not the page's
    "leaflet-tools",     # the Listen and Share buttons
    "leaflet-offline",   # "You are offline" notice
    "leaflet-draft",     # the draft notice
    "leaflet-contents",  # the sections box on each section page
    "headerlink",        # the ¶ beside a heading
    "md-source-file",    # Material's "last update" line
    "md-feedback",       # Material's "Was this page helpful?"
})
LINE_BREAK = "br"
HIDDEN = "hidden"  # the attribute of what nobody sees (the search words)

# The same definition as one CSS selector, for the browser: leaflet.js
# removes what it matches before it reads the article aloud.
SKIP_SELECTOR = ", ".join([f"[{HIDDEN}]", *sorted(SKIP_TAGS), *(f".{c}" for c in sorted(SKIP_CLASSES))])


@dataclass(frozen=True)
class Block:
    kind: str   # "paragraph", "list item", "table cell", "definition"; "heading", "term"; the record's own kinds
    text: str   # its words, with white space made single spaces


def parse(page_html: str) -> Element:
    """A page (or part of one) as lxml elements."""
    return lxml_html.fromstring(page_html)


def classes(el: Element) -> set[str]:
    return set(str(el.get("class") or "").split())


def skipped(el: Element) -> bool:
    """Not page text: a skipped tag or class, or hidden."""
    return el.tag in SKIP_TAGS or el.get(HIDDEN) is not None or bool(classes(el) & SKIP_CLASSES)


def article(doc: Element) -> Element | None:
    """The page's article: doc itself when it is one, else the first one in it."""
    if doc.tag == "article" and ARTICLE_CLASS in classes(doc):
        return doc
    for el in doc.iter("article"):
        if ARTICLE_CLASS in classes(el):
            return el
    return None


def _inline_text(el: Element) -> str:
    """The text of el, less the blocks nested in it (read on their own) and
    what is not page text."""
    parts = [el.text or ""]
    for child in el:
        if child.tag == LINE_BREAK:
            parts.append(" ")  # the words either side are two words, as a browser shows and says them
        elif isinstance(child.tag, str) and child.tag not in BLOCK_TAGS and not skipped(child):
            parts.append(_inline_text(child))
        parts.append(child.tail or "")  # a comment's tail is text too
    return "".join(parts)


def _kind(el: Element) -> str:
    label = next((LABEL_CLASSES[c] for c in sorted(classes(el) & set(LABEL_CLASSES))), None)
    return label or LABELS.get(el.tag) or KIND[el.tag]


def article_blocks(found: Element) -> list[Block]:
    """An article's text as blocks, in reading order (a block before the
    blocks nested in it); what is not page text is not entered."""
    blocks: list[Block] = []

    def walk(el: Element) -> None:
        for child in el:
            if not isinstance(child.tag, str) or skipped(child):
                continue
            if child.tag in LABELS or child.tag in PROSE_TAGS:
                text = " ".join(_inline_text(child).split())
                if text:
                    blocks.append(Block(_kind(child), text))
            walk(child)

    walk(found)
    return blocks


def read_article(page_html: str) -> list[Block]:
    """A built page's text in reading order: the prose blocks, with the
    labels (kinds "heading", "term", "table header") between them, so a
    change to a heading shows and a meaning can be told by its word. A page
    with no article has none."""
    found = article(parse(page_html))
    return [] if found is None else article_blocks(found)


def as_article(body_html: str) -> str:
    """A page's body (its Markdown converted) wrapped as the build wraps it,
    so it is read as the built page is."""
    return f'<article class="{ARTICLE_CLASS}">{body_html}</article>'


def pictures(found: Element) -> list[tuple[str | None, str]]:
    """(address, description) of every picture in an article, in order: its
    src, or None, and its alt text with white space made single spaces ("" for none)."""
    return [(None if img.get("src") is None else str(img.get("src")), " ".join(str(img.get("alt") or "").split()))
            for img in found.iter("img")]


def prose(blocks: Iterable[Block]) -> list[Block]:
    """The prose blocks only: what the check scores."""
    return [b for b in blocks if b.kind not in NOT_PROSE]


def prose_blocks(page_html: str) -> list[Block]:
    """The prose blocks of a built page's article, in order."""
    return prose(read_article(page_html))


def words(blocks: Sequence[Block]) -> list[str]:
    """The words of the blocks, in order (to compare with what a browser reads)."""
    return [w for b in blocks for w in b.text.split()]
