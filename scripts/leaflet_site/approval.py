"""The leaflet's text sentence by sentence, set against the approved source.

Used by the fact check (tests/test_facts.py) and the approval pack
(`make approval-pack`). Pure functions: they take text and data, and return
data or HTML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .check.pages import Block
from .check.readability import split_sentences

FACTS_FILE = "tests/facts.yml"


# --- the facts of the source, and where the site carries them --------------

@dataclass(frozen=True)
class Fact:
    source: str               # the source's own words ("..." where they go on)
    page: str                 # the page that carries the fact, e.g. "risks"
    patterns: tuple[str, ...]  # all must match inside one sentence of the page
    note: str = ""            # why the same words are checked on a second page


def load_facts(path: Path) -> list[Fact]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [Fact(str(f["source"]), str(f["page"]), tuple(map(str, f["patterns"])), str(f.get("note") or ""))
            for f in raw]


def sentence_units(blocks: list[Block] | tuple[Block, ...]) -> list[str]:
    """The places a fact may sit, as a reader meets them: every sentence of
    every paragraph and list item; every whole list item; and a lead-in that
    ends with a colon together with the list items under it ("Other risks
    include: infection, bleeding, ..."), which is one sentence written as a
    list."""
    units: list[str] = []
    lead: list[str] | None = None
    for block in blocks:
        sentences = split_sentences(block.text)
        units += sentences
        if block.kind == "list item":
            if len(sentences) > 1:
                units.append(block.text)
            if lead is not None:
                lead.append(block.text)
            continue
        if lead is not None and len(lead) > 1:
            units.append(" ".join(lead))
        lead = [sentences[-1]] if sentences and sentences[-1].endswith(":") else None
    if lead is not None and len(lead) > 1:
        units.append(" ".join(lead))
    return list(dict.fromkeys(units))


def matches(unit: str, patterns: tuple[str, ...] | list[str]) -> bool:
    return all(re.search(p, unit, re.IGNORECASE) for p in patterns)


def carriers(units: list[str], patterns: tuple[str, ...] | list[str]) -> list[str]:
    """The sentences (units) that carry a fact: each matches every pattern."""
    return [u for u in units if matches(u, patterns)]


# --- the source ------------------------------------------------------------

def source_sentences(text: str) -> list[str]:
    """The source leaflet's sentences (its first two lines are its title)."""
    body = text.split("\n", 2)[2]
    return [" ".join(s.split()) for s in re.split(r"(?<=\.)\s+", body) if s.strip()]


def _parts(fragment: str) -> list[str]:
    return [" ".join(p.split()) for p in fragment.split("...") if p.strip()]


def source_sentence_of(fragment: str, sentences: list[str]) -> int | None:
    """Which source sentence a fact's words come from: every part of the
    fragment (split at "...") is in it, in order."""
    parts = _parts(fragment)
    for n, sentence in enumerate(sentences):
        at = 0
        for part in parts:
            at = sentence.find(part, at)
            if at < 0:
                break
            at += len(part)
        else:
            if parts:
                return n
    return None
