"""The source set against the site, sentence by sentence: which site
sentences carry each source sentence (through the facts list), and which
site sentences the source does not have, with the clinical words that make
one need the approver's eye. Used by the fact check (tests/test_facts.py)
and the pack."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .. import numbers
from ..check.readability import split_sentences
from ..page_text import HEADING, NOT_PROSE, TABLE_HEADER, TERM_KIND, Block
from .read import Fact, PageText


def sentence_units(blocks: Sequence[Block]) -> list[str]:
    """The places a fact may sit, as a reader meets them: every sentence of
    every paragraph and list item; every whole list item; and a lead-in that
    ends with a colon together with the list items under it ("Other risks
    include: infection, bleeding, ..."), which is one sentence written as a
    list."""
    units: list[str] = []
    lead: list[str] | None = None
    for block in blocks:
        if block.kind in NOT_PROSE:  # a heading is not a sentence, and ends a list
            if lead is not None and len(lead) > 1:
                units.append(_list_unit(lead))
            lead = None
            continue
        sentences = split_sentences(block.text)
        units += sentences
        if block.kind == "list item":
            if len(sentences) > 1:
                units.append(block.text)
            if lead is not None:
                lead.append(block.text)
            continue
        if lead is not None and len(lead) > 1:
            units.append(_list_unit(lead))
        lead = [sentences[-1]] if sentences and sentences[-1].endswith(":") else None
    if lead is not None and len(lead) > 1:
        units.append(_list_unit(lead))
    return list(dict.fromkeys(units))


def _list_unit(lead: list[str]) -> str:
    """"Other risks include: infection; bleeding; ...": a lead-in and its list."""
    return f"{lead[0]} {'; '.join(lead[1:])}"


def matches(unit: str, patterns: Sequence[str]) -> bool:
    """Every pattern is in the unit, numbers compared by value ("3 weeks" is
    the source's "three weeks", "1 in 1,000" its "1 in 1000")."""
    return all(numbers.search(p, unit) for p in patterns)


def carriers(units: list[str], patterns: Sequence[str]) -> list[str]:
    """The sentences (units) that carry a fact: each matches every pattern,
    and holds no smaller unit that does (a sentence, not its whole list item)."""
    found = [u for u in units if matches(u, patterns)]
    return [u for u in found if not any(v != u and v in u for v in found)]


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


def page_sentences(blocks: Sequence[Block]) -> list[tuple[str, str]]:
    """Every sentence of a page, in order (a list item is split too), with
    what it is: "sentence", "heading", "table cell" (a header cell too) or
    'meaning of "word"'."""
    found: list[tuple[str, str]] = []
    term = ""
    for block in blocks:
        if block.kind == TERM_KIND:
            term = block.text
            continue
        kind = (HEADING if block.kind == HEADING else f'meaning of "{term}"' if block.kind == "definition" and term
                else "table cell" if block.kind in ("table cell", TABLE_HEADER) else "sentence")
        found += [(s, kind) for s in ([block.text] if block.kind == HEADING else split_sentences(block.text))]
    return found


# --- every source sentence, and where the site says it -----------------------

@dataclass(frozen=True)
class Carrier:
    page: str                     # the page's title
    sentence: str                 # a site sentence (or list) that carries the fact


@dataclass(frozen=True)
class SourceRow:
    sentence: str
    carriers: tuple[Carrier, ...]
    lost: tuple[str, ...]         # pages that should carry part of it and do not
    checked: bool                 # whether any fact check points at this sentence


def source_rows(sentences: list[str], facts: list[Fact], pages: dict[str, PageText]) -> list[SourceRow]:
    """Every source sentence, with the site sentences that carry it."""
    rows = []
    units = {name: sentence_units(p.blocks) for name, p in pages.items()}
    for n, sentence in enumerate(sentences):
        found: list[Carrier] = []
        lost: list[str] = []
        mine = [f for f in facts if source_sentence_of(f.source, sentences) == n]
        for fact in mine:
            page = pages.get(fact.page)
            if not (page and carriers(units[fact.page], fact.patterns)):
                lost.append(page.title if page else f"/{fact.page}/ (not on the site)")
            # The fact's own page first, then any other page that says it too.
            for name in sorted(units, key=lambda name: name != fact.page):
                found += [Carrier(pages[name].title, hit) for hit in carriers(units[name], fact.patterns)]
        rows.append(SourceRow(sentence, tuple(dict.fromkeys(found)), tuple(dict.fromkeys(lost)), bool(mine)))
    return rows


# --- the site's sentences the source does not have ----------------------------

# "Clinical meaning" is decided by a simple rule, told in the pack: a sentence
# with any of these words (or the word with an s) is clinical. The list is
# wide on purpose: it is better to show the approver a sentence that only
# explains a word than to miss one that gives advice.
CLINICAL_WORDS: dict[str, tuple[str, ...]] = {
    "the body and symptoms": (
        "pain", "painful", "discomfort", "symptom", "weakness", "weak", "numb", "numbs", "nerve", "spine",
        "neck", "back", "leg", "arm", "limb", "skin", "swollen", "sore", "inflamed", "face", "flushing",
        "worse", "better", "relief", "pregnant", "pregnancy"),
    "the treatment": (
        "injection", "inject", "injects", "steroid", "anaesthetic", "medicine", "medication", "needle",
        "treatment", "scan", "scanner", "CT", "radiation", "dose", "sting", "works", "work"),
    "risks and safety": (
        "risk", "benefit", "safe", "stroke", "bleeding", "infection", "diabetes", "blood", "sugar",
        "glucose", "allergy", "allergies", "antibiotics", "warfarin", "thinner", "problem", "worried",
        "side effect", "emergency", "A&E", "x-ray", "brain"),
    "people and care": (
        "radiologist", "doctor", "nurse", "staff", "GP", "someone", "check", "monitor"),
    "the visit": (
        "appointment", "drive", "home", "collect", "bring", "eat", "drink", "minutes", "hours", "days",
        "weeks", "months"),
}
_CLINICAL = re.compile(
    r"(?<![\w&])(" + "|".join(sorted((re.escape(w) for ws in CLINICAL_WORDS.values() for w in ws),
                                     key=len, reverse=True)) + r")s?(?![\w&])", re.IGNORECASE)


def clinical_words(sentence: str) -> list[str]:
    """The words of the list that a sentence has (none: not clinical by the rule)."""
    return list(dict.fromkeys(m.group(0).lower() for m in _CLINICAL.finditer(sentence)))


@dataclass(frozen=True)
class NewSentence:
    pages: tuple[str, ...]        # the titles of the pages that have it
    sentence: str
    words: tuple[str, ...]        # the clinical words it has (empty: not clinical by the rule)
    kind: str = "sentence"        # or "heading", "table cell", 'meaning of "word"'


def is_carried(sentence: str, facts: list[Fact], hits: list[tuple[Fact, str]]) -> bool:
    """Whether a sentence says (part of) a source sentence: it matches every
    pattern of a fact (on any page), or it is part of a list that carries a
    fact on its page and matches one of that fact's patterns (so a new item
    added to a list of facts is still new). hits: the fact carriers of its page."""
    if any(matches(sentence, f.patterns) for f in facts):
        return True
    return any(sentence in hit and any(numbers.search(p, sentence) for p in fact.patterns)
               for fact, hit in hits)


def new_sentences(pages: list[PageText], facts: list[Fact]) -> list[NewSentence]:
    """The sentences of the pages that no source sentence carries, each once
    (with every page that has it), in reading order."""
    found: dict[tuple[str, str], list[str]] = {}
    for page in pages:
        units = sentence_units(page.blocks)
        hits = [(fact, hit) for fact in facts if fact.page == page.name for hit in carriers(units, fact.patterns)]
        for sentence, kind in page_sentences(page.blocks):
            if not is_carried(sentence, facts, hits) and page.title not in found.setdefault((sentence, kind), []):
                found[sentence, kind].append(page.title)
    return [NewSentence(tuple(titles), sentence, tuple(clinical_words(sentence)), kind)
            for (sentence, kind), titles in found.items()]
