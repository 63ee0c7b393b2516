"""The glossary: its words explained where they stand (the abbr
extension's pop-ups) and listed on the "Words we use" page."""

from __future__ import annotations

from .model import Term


def abbreviations(terms: list[Term]) -> dict[str, str]:
    """The abbr extension's glossary: each form as written and with a capital
    letter, and its meaning. (Given to the extension, not written into every
    page: Markdown re-reads a block of definitions once for each line, which
    cost 10 ms a page.)"""
    glossary = {}
    for t in terms:
        for form in (t.term, *t.forms):
            for variant in dict.fromkeys((form, form[:1].upper() + form[1:])):
                glossary[variant] = t.meaning
    return glossary


def glossary_list(terms: list[Term]) -> str:
    """The 'Words we use' page body: a definition list."""
    return "\n\n".join(f"{t.term[:1].upper() + t.term[1:]}\n:   {t.meaning}" for t in terms)
