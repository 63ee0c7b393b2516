"""Read a built page: where it came from, and the prose a patient reads."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from lxml import html as lxml_html

# Blocks of prose as a reader meets them. Headings, navigation, code and the
# glossary pop-up text (an attribute, not text) are left out.
PROSE_TAGS = {"p", "li", "td", "dd"}
BLOCK_TAGS = PROSE_TAGS | {"ul", "ol", "dl", "dt", "table", "div", "pre", "blockquote", "details"}
SKIP_TAGS = {"code", "pre", "script", "style", "svg", "button"}
# Parts of the article that are not the page's own prose.
SKIP_CLASSES = {"leaflet-review", "admonition-title", "headerlink", "md-source-file", "md-feedback"}


@dataclass(frozen=True)
class Block:
    kind: str   # "paragraph" or "list item" / "table cell" / "definition"
    text: str


KIND = {"p": "paragraph", "li": "list item", "td": "table cell", "dd": "definition"}


def _classes(el) -> set[str]:
    return set((el.get("class") or "").split())


def _skipped(el) -> bool:
    return el.tag in SKIP_TAGS or bool(_classes(el) & SKIP_CLASSES)


def _inline_text(el) -> str:
    """Text of el, leaving out nested blocks (scored on their own) and code."""
    parts = [el.text or ""]
    for child in el:
        if not isinstance(child.tag, str):  # comments
            parts.append(child.tail or "")
            continue
        if child.tag not in BLOCK_TAGS and not _skipped(child):
            parts.append(_inline_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def prose_blocks(page_html: str) -> list[Block]:
    """The prose blocks of a built Material page's article, in order."""
    doc = lxml_html.fromstring(page_html)
    articles = doc.xpath('//article[contains(concat(" ", @class, " "), " md-content__inner ")]')
    if not articles:
        return []
    blocks = []
    for el in articles[0].iter(*PROSE_TAGS):
        if any(_skipped(a) for a in el.iterancestors()) or _skipped(el):
            continue
        text = " ".join(_inline_text(el).split())
        if text:
            blocks.append(Block(KIND[el.tag], text))
    return blocks


def source_for(page: Path, site: Path, docs: Path) -> Path | None:
    """The Markdown file a built page came from (directory URLs), if any."""
    rel = page.relative_to(site)
    if rel.name != "index.html":
        candidates = [rel.with_suffix(".md")]
    elif rel.parent == Path("."):
        candidates = [Path("index.md"), Path("README.md")]
    else:
        candidates = [rel.parent.with_suffix(".md"), rel.parent / "index.md", rel.parent / "README.md"]
    for candidate in candidates:
        if (docs / candidate).is_file():
            return docs / candidate
    return None


_WORD = re.compile(r"[a-z0-9]+")


def find_line(source_text: str, quote: str) -> int | None:
    """The line of the Markdown source where a quoted sentence starts."""
    wanted = _WORD.findall(quote.lower())[:5]
    if not wanted:
        return None
    for number, line in enumerate(source_text.splitlines(), start=1):
        words = _WORD.findall(re.sub(r"\]\([^)]*\)", "]", line).lower())
        for i in range(len(words) - len(wanted) + 1):
            if words[i : i + len(wanted)] == wanted:
                return number
    return None
