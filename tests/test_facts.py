"""Every clinical fact of the source leaflet is on the site, numbers unchanged,
each in one sentence with its own condition."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers import NO_SOURCE, ROOT, SOURCE, article_text
from leaflet_site.approval import (
    FACTS_FILE, carriers, load_facts, sentence_units, source_sentence_of, source_sentences)
from leaflet_site.check.pages import Block, prose_blocks

FACTS = load_facts(ROOT / FACTS_FILE)
# The source's numbers, which must appear on the site exactly as written.
NUMBERS = ["up to 30 minutes", "less than 1 in 1000", "up to three weeks", "a couple of hours", "weeks to months"]


def missing_patterns(text: str, patterns) -> list[str]:
    return [p for p in patterns if not re.search(p, text, re.IGNORECASE)]


def page_units(site: Path, page: str) -> list[str]:
    return sentence_units(prose_blocks((site / page / "index.html").read_text(encoding="utf-8")))


def problem(units: list[str], patterns) -> str | None:
    """Why no one sentence carries the fact, or None if one does."""
    if carriers(units, patterns):
        return None
    text = " ".join(units)
    missing = missing_patterns(text, patterns)
    if missing:
        return f"no match on the page for {missing}"
    return f"all of {list(patterns)} are on the page, but not in one sentence"


def source_text() -> str:
    """The full source (provenance tests only): skipped, with the reason, in
    a clone without it; the facts list itself is checked by every other test."""
    if SOURCE is None:
        pytest.skip(NO_SOURCE)
    return SOURCE.read_text(encoding="utf-8")


@pytest.mark.parametrize("fact", FACTS, ids=lambda f: f"{f.page}: {f.source[:50]}")
def test_fact_is_in_one_sentence_of_its_page(site: Path, fact):
    why = problem(page_units(site, fact.page), fact.patterns)
    assert why is None, f"/{fact.page}/ has lost: {fact.source!r}\n({why})"


def test_every_number_of_the_source_is_on_the_site(site: Path):
    text = " ".join(article_text(p) for p in site.glob("*/index.html"))
    assert [n for n in NUMBERS if n not in text] == []


def test_provenance_the_fact_list_covers_every_source_sentence():
    """Each sentence of the source has at least one fact check."""
    sentences = source_sentences(source_text())
    covered = {source_sentence_of(f.source, sentences) for f in FACTS}
    unlisted = [s for n, s in enumerate(sentences) if n not in covered]
    assert not unlisted, f"Sentences of the source with no fact check: {unlisted}"


def test_provenance_each_fact_quotes_the_source_exactly():
    """A fact's `source` is the source's own words, so the approval pack can
    put it beside the right source sentence."""
    sentences = source_sentences(source_text())
    assert [f.source for f in FACTS if source_sentence_of(f.source, sentences) is None] == []


def test_removing_a_fact_fails_the_check(site: Path):
    fact = next(f for f in FACTS if "1 in 1000" in f.source)
    units = page_units(site, "risks")
    assert problem(units, fact.patterns) is None
    without = [u.replace("(less than 1 in 1000)", "") for u in units]
    assert "less than 1 in 1000" in problem(without, fact.patterns)


def test_a_condition_in_another_sentence_fails_the_check(site: Path):
    """The stroke risk with "in your neck" moved out of its sentence (or
    left to the heading) is not the source's fact."""
    fact = next(f for f in FACTS if "1 in 1000" in f.source)
    units = page_units(site, "risks")
    [sentence] = carriers(units, fact.patterns)
    condition = re.search(fact.patterns[0], sentence, re.IGNORECASE).group(0)
    rest = sentence.replace(condition + ", ", "").strip()
    moved = f"{rest[0].upper()}{rest[1:]} This is {condition.lower()}."
    blocks = [Block("paragraph", u) for u in units if u != sentence] + [Block("paragraph", moved)]
    assert "not in one sentence" in problem(sentence_units(blocks), fact.patterns)
    # Left to the heading alone: the heading is not a sentence of the page.
    blocks[-1] = Block("paragraph", f"{rest[0].upper()}{rest[1:]}")
    assert problem(sentence_units(blocks), fact.patterns) is not None


def test_a_list_is_one_sentence_with_its_lead_in():
    blocks = [Block("paragraph", "Other risks include:"), Block("list item", "infection"),
              Block("list item", "bleeding"), Block("paragraph", "Something else.")]
    units = sentence_units(blocks)
    assert carriers(units, ["other risks include", "infection", "bleeding"]) == ["Other risks include: infection; bleeding"]
    assert carriers(units, ["other risks include", "something else"]) == []


def test_changing_a_number_fails_the_check(site: Path):
    fact = next(f for f in FACTS if "30 minutes" in f.source)
    units = [u.replace("30 minutes", "45 minutes") for u in page_units(site, "on-the-day")]
    assert problem(units, fact.patterns) is not None
