"""Everything the pack says, as data: the source rows, the new sentences,
the changes, the other words patients read, readability, and the questions
the source leaves open. render.py writes it as HTML."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from ..check.readability import Score, Syllables, score
from ..page_text import Block, prose
from .compare import PageDiff, Published, page_diffs
from .read import Fact, PageText, source_blocks, source_sentences
from ..patient_text import ALT_TEXT, COVER, DESCRIPTION, SEARCH_WORDS, PageRecord
from .sentences import NewSentence, SourceRow, new_sentences, source_rows

OTHER_KINDS = (DESCRIPTION, SEARCH_WORDS, ALT_TEXT)  # the record's words beside the pages' text


@dataclass(frozen=True)
class Readability:
    name: str
    words: int
    sentences: int
    longest: int
    smog: float


OPEN_QUESTIONS = (
    "After going home, when should a patient get help, and whom should they call (in working hours and "
    "out of hours)?",
    "If a patient has diabetes, who checks their blood sugar in the hours and days after the injection? "
    "What should they do if it is high?",
    "Blood thinners (such as warfarin): should a patient stop taking them before the injection? If so, "
    "when, and who tells them?",
    "Pregnancy: should a patient who is or may be pregnant tell you before the injection, and what happens then?",
    "Eating and drinking: can a patient eat and drink as normal before the injection?",
    "How long should a patient allow for the whole visit, from arriving to going home?",
)

OtherWords = tuple[str, str, str]   # (page title, kind, text)
Source = tuple[str, str, str]       # (title, address, day checked)


@dataclass(frozen=True)
class Pack:
    title: str
    version: str
    made_on: str                  # the date the pack was made, written out
    made_from: str                # which commit (and whether it had changes not committed)
    rows: tuple[SourceRow, ...]
    new: tuple[NewSentence, ...]
    published: Published | None   # None: no version has been published yet
    readability: tuple[Readability, ...]
    limits: dict[str, float]      # sentence_words_max, smog_max
    pages_read: tuple[str, ...]   # the titles of the pages whose sentences were read
    source_available: bool = True  # False: the rows are the facts list's quotes, not the whole source
    fingerprint: str = ""         # of everything a patient reads (leaflet_site.patient_text): what the sign-off binds to
    other_words: tuple[OtherWords, ...] = ()  # descriptions, search words, alt text, the print cover
    approved: Published | None = None  # changes since the last approved version's record (any kind of words)
    owner: str = ""               # the role that owns the leaflet (extra.leaflet.owner)
    sources: tuple[Source, ...] = ()  # each source the leaflet was checked against (extra.leaflet.sources)

    @property
    def needs_approval(self) -> list[NewSentence]:
        """The new sentences with a clinical word (headings are listed apart)."""
        return [n for n in self.new if n.words and n.kind != "heading"]

    @property
    def need_a_look(self) -> int:
        """Source sentences found on no page that should carry them, or checked by no fact."""
        return sum(1 for r in self.rows if r.lost or not r.checked)


def make_pack(*, title: str, version: str, pages: list[PageText], leaflet_pages: list[str], source_text: str | None,
              facts: list[Fact], published: tuple[str, dict[str, tuple[str, tuple[Block, ...]]]] | None,
              syllables: Syllables, limits: dict[str, float], made_on: str, made_from: str,
              records: Sequence[PageRecord] | None = None, fingerprint: str = "",
              approved: tuple[str, Sequence[PageDiff]] | None = None, owner: str = "",
              sources: Sequence[Source] = ()) -> Pack:
    """Everything the pack says, from data.

    pages: every page of this version (url, title, prose), in reading order;
    leaflet_pages: the urls of the pages patients read as the leaflet, whose
    sentences are set against the source; published: the version under
    /latest/ on gh-pages and its pages (url -> title, prose), or None;
    records: everything a patient reads (leaflet_site.patient_text.collect),
    whose other words (descriptions, search words, alt text, print cover)
    the pack lists, with their readability; fingerprint: of those records;
    approved: the last approved version and the differences from its record;
    owner and sources: who owns the leaflet, and (title, address, day
    checked) of each source it was checked against.
    syllables: the readability check's counter; source_text: the full
    approved text, or None when this machine does not have it (the pack
    then sets the facts list's quotes of it beside the site, and says so)."""
    by_name = {p.name: p for p in pages}
    read = [p for p in pages if p.url in leaflet_pages]
    scores: list[tuple[str, Score]] = []
    if source_text is None:  # only the facts list's quotes: each is the source's own words
        sentences = list(dict.fromkeys(f.source for f in facts))
    else:
        sentences = source_sentences(source_text)
        scores.append(("The source (the approved text)", score(source_blocks(source_text), syllables)))
    scores += [(p.title, score(prose(p.blocks), syllables)) for p in read]
    other = [(r.title, b.kind, b.text) for r in records or [] for b in r.blocks
             if b.kind in OTHER_KINDS or r.url == COVER[0]]
    described = [Block("paragraph", text if text.endswith(".") else text + ".")
                 for _, kind, text in other if kind != SEARCH_WORDS]
    if described:
        scores.append(("Descriptions, picture descriptions and the print cover", score(described, syllables)))
    return Pack(
        title=title, version=version, made_on=made_on, made_from=made_from,
        rows=tuple(source_rows(sentences, facts, by_name)),
        new=tuple(new_sentences(read, facts)),
        published=None if published is None else Published(published[0], tuple(page_diffs(published[1], pages))),
        readability=tuple(Readability(name, s.words, s.sentences, s.longest, round(s.smog, 1)) for name, s in scores),
        limits=dict(limits),
        pages_read=tuple(p.title for p in read),
        source_available=source_text is not None,
        fingerprint=fingerprint,
        other_words=tuple(other),
        approved=None if approved is None else Published(approved[0], tuple(approved[1])),
        owner=owner,
        sources=tuple(sources),
    )
