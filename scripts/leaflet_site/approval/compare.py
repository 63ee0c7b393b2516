"""Two texts compared word by word: what was taken out and put in, page by
page, with a few words either side. The pack compares this version with the
published one, and with the last approved text; the release and the check
show the same changes (leaflet_site.approve)."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from ..page_text import Block
from .read import PageText

PARAGRAPH = "\n"  # a token between blocks, so a change never joins two paragraphs silently
CONTEXT = 5       # words shown either side of a change: enough to find it on the page, short enough to read


def tokens(blocks: Sequence[Block]) -> list[str]:
    out: list[str] = []
    for block in blocks:
        if out:
            out.append(PARAGRAPH)
        out += block.text.split()
    return out


@dataclass(frozen=True)
class Change:
    before: str                   # words shown before the change (context)
    removed: str
    added: str
    after: str                    # words shown after the change (context)


def _join(words: list[str]) -> str:
    return " ".join(" / " if w == PARAGRAPH else w for w in words).replace("  ", " ").strip()


def word_changes(old: Sequence[Block], new: Sequence[Block], context: int = CONTEXT) -> list[Change]:
    """Word by word: what was taken out and put in, with a few words either
    side (" / " marks the end of a paragraph)."""
    a, b = tokens(old), tokens(new)
    changes = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        changes.append(Change(_join(a[max(0, i1 - context):i1]), _join(a[i1:i2]), _join(b[j1:j2]),
                              _join(a[i2:i2 + context])))
    return changes


@dataclass(frozen=True)
class PageDiff:
    title: str
    status: str                   # "same", "changed", "new page" or "removed page"
    changes: tuple[Change, ...] = ()


def page_diffs(old: dict[str, tuple[str, tuple[Block, ...]]], new: Sequence[PageText]) -> list[PageDiff]:
    """old: the published pages, url -> (title, blocks). Pages in the order of
    this version, then pages that are no longer on the site."""
    diffs = []
    for page in new:
        if page.url not in old:
            diffs.append(PageDiff(page.title, "new page", tuple(word_changes([], page.blocks))))
            continue
        changes = word_changes(old[page.url][1], page.blocks)
        diffs.append(PageDiff(page.title, "changed" if changes else "same", tuple(changes)))
    here = {p.url for p in new}
    for url, (title, blocks) in old.items():
        if url not in here:
            diffs.append(PageDiff(title, "removed page", tuple(word_changes(blocks, []))))
    return diffs


@dataclass(frozen=True)
class Published:
    version: str                  # the version compared with (published under /latest/, or approved)
    diffs: tuple[PageDiff, ...]
