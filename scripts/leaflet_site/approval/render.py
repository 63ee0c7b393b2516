"""The pack as one accessible HTML page (it prints to the PDF), from the
Jinja templates in templates/: pack.html and a template for each part, the
shared pieces in macros.html and the style sheet in pack.css. This module
only sets up Jinja and hands the templates a Pack; the words are in the
templates, the data in pack.py."""

from __future__ import annotations

import functools
from pathlib import Path

import jinja2
from markupsafe import Markup

from ..patient_text import ALT_TEXT, DESCRIPTION, SEARCH_WORDS, short
from .compare import Change
from .pack import OPEN_QUESTIONS, Pack
from .sentences import CLINICAL_WORDS

TEMPLATES = Path(__file__).parent / "templates"

NEEDS_APPROVAL = "new: needs your approval"
SOURCE_MISSING = "The full approved source text was not available."
KIND_NAMES = {DESCRIPTION: "Description (link previews and search results)",
              SEARCH_WORDS: "Search words (hidden: they lead a search to the page)",
              ALT_TEXT: "Picture description (alt text)"}

# The pack's parts, in order: (id of the part's heading, its title in the contents).
CONTENTS = (
    ("source", "Every sentence of the source, and where the site says it"),
    ("new", "Sentences of the site that the source does not have"),
    ("changes", "What changed since the last published version"),
    ("other", "Other words patients read: descriptions, search words, picture descriptions, the print cover"),
    ("approved", "What changed since the last approved text, in every kind of words"),
    ("readability", "How easy each page is to read"),
    ("questions", "Questions the source leaves open"),
    ("sign-off", "Sign-off"),
)


def plural(count: int, one: str, many: str) -> str:
    """1 change, 2 changes."""
    return f"{count} {one if count == 1 else many}"


def number(value: float) -> str:
    """A limit as people write it: 20, not 20.0; 9.5 stays 9.5."""
    return f"{value:g}"


def short_fingerprint(fingerprint: str) -> str:
    return short(fingerprint) if fingerprint else "(none)"


@functools.cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,              # every word of the site and the source is escaped
        undefined=jinja2.StrictUndefined,  # a misspelt name fails, instead of leaving a gap in the pack
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )
    env.filters.update(plural=plural, number=number)
    env.globals.update(short=short_fingerprint, NEEDS_APPROVAL=NEEDS_APPROVAL, SOURCE_MISSING=SOURCE_MISSING,
                       KIND_NAMES=KIND_NAMES, CLINICAL_WORDS=CLINICAL_WORDS, OPEN_QUESTIONS=OPEN_QUESTIONS,
                       contents=CONTENTS)
    return env


def render(pack: Pack) -> str:
    """The whole pack: one accessible HTML page."""
    return environment().get_template("pack.html").render(pack=pack)


def changed_words(change: Change, side: str) -> str:
    """One side of a change ("was" or "now") as HTML, as the pack shows it."""
    macro = environment().get_template("macros.html").module.changed_words  # type: ignore[attr-defined]
    return str(Markup(macro(change, side)))
