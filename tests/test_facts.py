"""Every clinical fact of the source leaflet is on the site, numbers unchanged,
each in one sentence with its own condition."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers import NO_SOURCE, ROOT, SOURCE, article_text, build, copy_project, edit
from leaflet_site import numbers, statements
from leaflet_site.approval import (
    FACTS_FILE, carriers, load_facts, sentence_units, source_sentence_of, source_sentences)
from leaflet_site.check.pages import Block, prose_blocks

FACTS = load_facts(ROOT / FACTS_FILE)
# The source's numbers as the source writes them. The site writes them in
# NHS style ("3 weeks", "1 in 1,000"); each must be there with the same value.
NUMBERS = ["up to 30 minutes", "less than 1 in 1000", "up to three weeks", "a couple of hours", "weeks to months"]


def missing_patterns(text: str, patterns) -> list[str]:
    return [p for p in patterns if not numbers.search(p, text)]


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
    assert [n for n in NUMBERS if not numbers.search(re.escape(n), text)] == []


def test_provenance_the_numbers_are_the_sources_own_words():
    text = " ".join(source_text().split())
    assert [n for n in NUMBERS if n not in text] == []


def test_numbers_are_compared_by_value():
    """The source's "three weeks" is the site's "3 weeks", its "1000" the
    site's "1,000"; another number never matches, nor a longer one."""
    assert numbers.search("up to three weeks", "It can take up to 3 weeks.")
    assert numbers.search("less than 1 in 1000", "(less than 1 in 1,000)")
    assert not numbers.search("up to three weeks", "It can take up to 4 weeks.")
    assert not numbers.search("less than 1 in 1000", "(less than 1 in 10,000)")
    assert not numbers.search("up to 30 minutes", "up to 300 minutes")


def reader_text(page: Path) -> str:
    """The article's text a patient reads, without the names, numbers and
    dates typed into the leaflet's details (a phone number, a year)."""
    from lxml import html as lxml_html

    doc = lxml_html.fromstring(page.read_text(encoding="utf-8"))
    article = doc.xpath('//article[contains(@class, "md-content__inner")]')[0]
    for el in article.xpath('.//*[@hidden] | .//*[contains(concat(" ", @class, " "), " leaflet-data ")]'):
        el.drop_tree()
    return " ".join(article.text_content().split())


def test_numbers_are_written_in_nhs_style(site: Path):
    """Numerals ("3 weeks"), and a comma in 1,000 and above (NHS style guide)."""
    found = {p.parent.name or "home": numbers.not_nhs_style(reader_text(p)) for p in sorted(site.glob("*/index.html"))}
    assert {page: words for page, words in found.items() if words} == {}


def test_the_nhs_style_check_finds_number_words_and_missing_commas():
    assert numbers.not_nhs_style("It can take up to three weeks, less than 1 in 1000.") == ["three", "1000"]
    assert numbers.not_nhs_style("Up to 3 weeks, 1 in 1,000, in 2026, one of them, version 1.0.") == []


# --- a statement several pages need is written once --------------------------

def copies(facts, units: dict[str, list[str]]) -> dict[str, dict[str, list[str]]]:
    """For each source quote the facts list checks on more than one page, the
    sentences that carry it on each of those pages."""
    pages: dict[str, dict[str, list[str]]] = {}
    for fact in facts:
        pages.setdefault(fact.source, {})[fact.page] = carriers(units[fact.page], fact.patterns)
    return {source: on for source, on in pages.items() if len(on) > 1}


def disagreements(facts, units: dict[str, list[str]]) -> list[str]:
    """Source quotes whose pages say them in different words: one line each."""
    found = []
    for source, on in copies(facts, units).items():
        if len({tuple(sentences) for sentences in on.values()}) > 1:
            said = "; ".join(f"/{page}/: {' | '.join(s) or '(missing)'}" for page, s in on.items())
            found.append(f"{source!r} is said differently on its pages: {said}")
    return found


def all_units(site: Path) -> dict[str, list[str]]:
    return {page: page_units(site, page) for page in {f.page for f in FACTS}}


def test_a_statement_on_several_pages_reads_the_same_on_each(site: Path):
    units = all_units(site)
    assert copies(FACTS, units), "the facts list checks no statement on more than one page"
    assert disagreements(FACTS, units) == []


def test_each_repeated_statement_has_one_home():
    """A page puts a shared statement in place with its placeholder; none
    writes one of its sentences out by hand (an exact copy today is a
    different one after the next edit)."""
    shared = statements.load_statements(ROOT / "docs")
    written = []
    for page in sorted((ROOT / "docs").glob("*.md")):
        text = " ".join(page.read_text(encoding="utf-8").split())
        for name, statement in shared.items():
            written += [f"{page.name}: {s!r} (statement {name})" for s in sentence_units([Block("paragraph", statement)])
                        if s in text]
    assert written == []


def test_a_copy_edited_by_hand_fails_the_check(tmp_path: Path):
    """One page's copy of a shared statement written out by hand and
    changed: the fact is still there, but the pages no longer agree."""
    project = copy_project(tmp_path / "project")
    name = "do-not-drive-home"
    text = statements.load_statements(project / "docs")[name]
    edit(project / "docs" / "before.md", f"<!-- leaflet:statement {name} -->",
         text.replace("Ask someone to collect you.", "Ask someone to collect you and take you home."))
    done = build(project)
    assert done.returncode == 0, done.stdout + done.stderr
    units = all_units(project / "site")
    assert all(problem(units[f.page], f.patterns) is None for f in FACTS)  # every fact is still on its page
    found = disagreements(FACTS, units)
    assert len(found) == 1 and "/before/: Ask someone to collect you and take you home." in found[0], found


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
    without = [re.sub(r"\(less than 1 in [\d,]+\)", "", u) for u in units]  # written as the page writes it
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
