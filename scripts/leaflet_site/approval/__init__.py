"""The approval pack (`make approval-pack`): the leaflet's text sentence by
sentence, set against the approved source, and what changed since the
published version and since the last approved text.

One module a job:

- read.py: the approved source, the facts list, and the pages' text
  (a built page is read by leaflet_site.page_text, the one definition of a
  page's text);
- sentences.py: the source set against the site sentence by sentence, and
  the site's sentences the source does not have, with their clinical words
  (the fact check, tests/test_facts.py, uses it too);
- compare.py: two texts compared word by word (also used by `make approve`,
  the check and the release, through leaflet_site.patient_text);
- pack.py: everything the pack says, as data, with the readability scores;
- render.py and templates/: the pack as HTML, from Jinja templates.

scripts/approval_pack.py is the command line: it builds the site, reads
the published version from the gh-pages branch, and writes the pack.
"""

from __future__ import annotations

from ..page_text import prose, read_article
from .compare import Change, PageDiff, Published, page_diffs, tokens, word_changes
from .pack import OPEN_QUESTIONS, OTHER_KINDS, Pack, Readability, make_pack
from .read import FACTS_FILE, Fact, PageText, load_facts, source_blocks, source_sentences
from .render import KIND_NAMES, NEEDS_APPROVAL, SOURCE_MISSING, changed_words, render
from .sentences import (
    CLINICAL_WORDS,
    Carrier,
    NewSentence,
    SourceRow,
    carriers,
    clinical_words,
    is_carried,
    matches,
    new_sentences,
    page_sentences,
    sentence_units,
    source_rows,
    source_sentence_of,
)

__all__ = [
    "CLINICAL_WORDS", "FACTS_FILE", "KIND_NAMES", "NEEDS_APPROVAL", "OPEN_QUESTIONS", "OTHER_KINDS", "SOURCE_MISSING",
    "Carrier", "Change", "Fact", "NewSentence", "Pack", "PageDiff", "PageText", "Published", "Readability", "SourceRow",
    "carriers", "changed_words", "clinical_words", "is_carried", "load_facts", "make_pack", "matches", "new_sentences",
    "page_diffs", "page_sentences", "prose", "read_article", "render", "sentence_units", "source_blocks", "source_rows",
    "source_sentence_of", "source_sentences", "tokens", "word_changes",
]
