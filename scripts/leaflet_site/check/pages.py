"""Read a built page: where it came from, and the prose a patient reads."""

from __future__ import annotations

import html
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
SKIP_CLASSES = {"leaflet-review", "leaflet-tools", "leaflet-offline", "leaflet-draft", "leaflet-contents", "admonition-title", "headerlink",
                "md-source-file", "md-feedback"}


@dataclass(frozen=True)
class Block:
    kind: str   # "paragraph" or "list item" / "table cell" / "definition"
    text: str


KIND = {"p": "paragraph", "li": "list item", "td": "table cell", "dd": "definition"}


def _classes(el) -> set[str]:
    return set((el.get("class") or "").split())


def _skipped(el) -> bool:
    """Not prose a reader meets: code, page furniture, and hidden elements
    (such as the words only search sees)."""
    return el.tag in SKIP_TAGS or el.get("hidden") is not None or bool(_classes(el) & SKIP_CLASSES)


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


@dataclass(frozen=True)
class Link:
    position: int  # character offset in the built HTML file (see line_at)
    url: str       # as written in the href, src or srcset attribute


@dataclass(frozen=True)
class Page:
    """What the checks need from one built HTML file, read in one pass."""

    rel: str                 # path inside the site, e.g. "risks/index.html"
    ids: frozenset[str]      # anchors a link can point at
    links: tuple[Link, ...]
    blocks: tuple[Block, ...]
    images_without_alt: tuple[str, ...] = ()  # src of each picture with no text description


# Attributes that name a link target or an anchor. Built pages are large
# (Material repeats the whole navigation on every page), so they are scanned
# with one literal-prefixed pattern an attribute and quote (fast in `re`)
# instead of a full parse; only the article is parsed, for its prose.
_ATTRS = [(name, re.compile(rf"{name}={q}([^{q}]*){q}")) for name in ("href", "src", "srcset", "id") for q in "\"'"]
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_ARTICLE = re.compile(r'<article class="md-content__inner[^"]*"[^>]*>.*?</article>', re.S)


def _blank(match: re.Match) -> str:
    return re.sub(r"[^\n]", " ", match.group())


def read_page(rel: str, page_html: str) -> Page:
    if "<!--" in page_html:
        page_html = _COMMENT.sub(_blank, page_html)  # same length: positions stay right
    ids, links = set(), []
    for name, pattern in _ATTRS:
        for match in pattern.finditer(page_html):
            if not page_html[match.start() - 1].isspace():
                continue  # part of another attribute, such as data-href= or data-id=
            value = html.unescape(match.group(1))
            if name == "id":
                ids.add(value)
            elif name == "srcset":
                links += [Link(match.start(), c.split()[0]) for c in value.split(",") if c.strip()]
            else:
                links.append(Link(match.start(), value.strip()))
    links.sort(key=lambda link: link.position)
    article = _ARTICLE.search(page_html)
    blocks, no_alt = [], []
    if article:
        doc = lxml_html.fromstring(article.group())
        blocks = _blocks(doc)
        no_alt = doc.xpath('.//img[not(@alt) or normalize-space(@alt)=""]/@src')
    return Page(rel, frozenset(ids), tuple(links), tuple(blocks), tuple(no_alt))


def line_at(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def prose_blocks(page_html: str) -> list[Block]:
    """The prose blocks of a built Material page's article, in order."""
    return _blocks(lxml_html.fromstring(page_html))


def _blocks(doc) -> list[Block]:
    if doc.tag != "article":
        found = doc.xpath('//article[contains(concat(" ", @class, " "), " md-content__inner ")]')
        if not found:
            return []
        doc = found[0]
    blocks = []
    for el in doc.iter(*PROSE_TAGS):
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


def read_site(site: Path) -> tuple[dict[str, Page], set[str]]:
    """Every built HTML page, read once, and every file's path in the site."""
    files = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    pages = {rel: read_page(rel, (site / rel).read_text(encoding="utf-8"))
             for rel in sorted(files) if rel.endswith(".html")}
    return pages, files
