"""Reading the texts the pack sets side by side: the approved source, the
facts list that ties it to the pages, and the pages as built (the one
reader of a page's text is leaflet_site.page_text)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..page_text import Block

FACTS_FILE = "docs/facts.yml"  # the clinician-approved list of facts, each quoting the source


@dataclass(frozen=True)
class Fact:
    source: str                # the source's own words ("..." where they go on)
    page: str                  # the page that carries the fact, e.g. "risks"
    patterns: tuple[str, ...]  # all must match inside one sentence of the page
    note: str = ""             # why the same words are checked on a second page


def load_facts(path: Path) -> list[Fact]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [Fact(str(f["source"]), str(f["page"]), tuple(map(str, f["patterns"])), str(f.get("note") or ""))
            for f in raw]


@dataclass(frozen=True)
class PageText:
    url: str                      # as MkDocs gives it: "risks/" ("" for the home page)
    title: str
    blocks: tuple[Block, ...]

    @property
    def name(self) -> str:        # how facts.yml names the page: "risks"
        return self.url.strip("/")


def _body(text: str) -> str:
    """The source leaflet without its title (its first two lines)."""
    return text.split("\n", 2)[2]


def source_sentences(text: str) -> list[str]:
    """The source leaflet's sentences."""
    return [" ".join(s.split()) for s in re.split(r"(?<=\.)\s+", _body(text)) if s.strip()]


def source_blocks(text: str) -> list[Block]:
    """The source's paragraphs (for its readability)."""
    return [Block("paragraph", " ".join(p.split())) for p in re.split(r"\n\s*\n", _body(text)) if p.strip()]
