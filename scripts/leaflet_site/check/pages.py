"""Read a built page: its anchors, its links, and the prose a patient reads
(leaflet_site.page_text, the one definition of a page's text)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..page_text import Block, Element, article, article_blocks, parse, pictures, prose, prose_blocks

__all__ = ["Block", "Link", "Page", "find_line", "line_at", "prose_blocks", "read_page", "read_site", "source_for"]


@dataclass(frozen=True)
class Link:
    position: int  # character offset in the built HTML file: the start of the line where its tag ends (see line_at)
    url: str       # as written in the href, src or srcset attribute


@dataclass(frozen=True)
class Page:
    """What the checks need from one built HTML file, read in one pass."""

    rel: str                 # path inside the site, e.g. "risks/index.html"
    ids: frozenset[str]      # anchors a link can point at
    links: tuple[Link, ...]
    blocks: tuple[Block, ...]
    images_without_alt: tuple[str, ...] = ()  # src of each picture with no text description


LINK_ATTRIBUTES = ("href", "src", "srcset")  # the attributes that name a file a page links to or loads
LINKED = "//*[" + " or ".join(f"@{name}" for name in LINK_ATTRIBUTES) + "]"  # the elements that have one


def _line_starts(text: str) -> list[int]:
    """The character offset where each line starts (line 1 at index 0)."""
    starts = [0]
    at = text.find("\n")
    while at >= 0:
        starts.append(at + 1)
        at = text.find("\n", at + 1)
    return starts


def _links(el: Element, position: int) -> list[Link]:
    found = []
    for name in LINK_ATTRIBUTES:
        value = el.get(name)
        if value is None:
            continue
        if name == "srcset":  # "a.png 1x, b.png 2x": each candidate's address
            found += [Link(position, c.split()[0]) for c in str(value).split(",") if c.strip()]
        else:
            found.append(Link(position, str(value).strip()))
    return found


def read_page(rel: str, page_html: str) -> Page:
    """One built page, parsed once: every element's id and links (with the
    line it is on), and its article's prose."""
    doc = parse(page_html)
    starts = _line_starts(page_html)
    ids = {str(value) for value in doc.xpath("//@id")}
    links: list[Link] = []
    for el in doc.xpath(LINKED):
        line = min(max(int(el.sourceline or 1), 1), len(starts))
        links += _links(el, starts[line - 1])
    found = article(doc)
    blocks: list[Block] = []
    no_alt: list[str] = []
    if found is not None:
        blocks = prose(article_blocks(found))
        no_alt = [src for src, alt in pictures(found) if src is not None and not alt]
    return Page(rel, frozenset(ids), tuple(links), tuple(blocks), tuple(no_alt))


def line_at(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


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
