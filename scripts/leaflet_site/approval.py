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

from . import numbers
from .check.pages import BLOCK_TAGS, KIND, PROSE_TAGS, SKIP_CLASSES, SKIP_TAGS, Block
from .check.readability import split_sentences

FACTS_FILE = "docs/facts.yml"  # the clinician-approved list of facts, each quoting the source


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


# --- a built page's text, in reading order ---------------------------------

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
NOT_PROSE = ("heading", "term")  # the kinds read_article adds to the check's prose blocks


def _skipped(el) -> bool:
    return (el.tag in SKIP_TAGS or el.get("hidden") is not None
            or bool(set((el.get("class") or "").split()) & SKIP_CLASSES))


def _inline_text(el) -> str:
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and child.tag not in BLOCK_TAGS and not _skipped(child):
            parts.append(_inline_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def read_article(page_html: str) -> list[Block]:
    """A built page's article in reading order: the prose blocks the site
    check reads (leaflet_site.check.pages.prose_blocks, the same text), with
    the headings (kind "heading") and the words a definition list explains
    (kind "term") between them, so a change to a heading shows and a meaning
    can be told by its word."""
    from lxml import html as lxml_html

    found = lxml_html.fromstring(page_html).xpath(
        '//article[contains(concat(" ", @class, " "), " md-content__inner ")]')
    if not found:
        return []
    blocks = []
    for el in found[0].iter(*HEADINGS, "dt", *PROSE_TAGS):
        if _skipped(el) or any(_skipped(a) for a in el.iterancestors()):
            continue
        text = " ".join(_inline_text(el).split())
        if text:
            kind = "heading" if el.tag in HEADINGS else "term" if el.tag == "dt" else KIND[el.tag]
            blocks.append(Block(kind, text))
    return blocks


def prose(blocks: list[Block] | tuple[Block, ...]) -> list[Block]:
    """The prose blocks only (what the site check scores)."""
    return [b for b in blocks if b.kind not in NOT_PROSE]


def sentence_units(blocks: list[Block] | tuple[Block, ...]) -> list[str]:
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


def matches(unit: str, patterns: tuple[str, ...] | list[str]) -> bool:
    """Every pattern is in the unit, numbers compared by value ("3 weeks" is
    the source's "three weeks", "1 in 1,000" its "1 in 1000")."""
    return all(numbers.search(p, unit) for p in patterns)


def carriers(units: list[str], patterns: tuple[str, ...] | list[str]) -> list[str]:
    """The sentences (units) that carry a fact: each matches every pattern,
    and holds no smaller unit that does (a sentence, not its whole list item)."""
    found = [u for u in units if matches(u, patterns)]
    return [u for u in found if not any(v != u and v in u for v in found)]


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


def page_sentences(blocks: list[Block] | tuple[Block, ...]) -> list[tuple[str, str]]:
    """Every sentence of a page, in order (a list item is split too), with
    what it is: "sentence", "heading", "table cell" or 'meaning of "word"'."""
    found, term = [], ""
    for block in blocks:
        if block.kind == "term":
            term = block.text
            continue
        kind = ("heading" if block.kind == "heading" else f'meaning of "{term}"' if block.kind == "definition" and term
                else "table cell" if block.kind == "table cell" else "sentence")
        found += [(s, kind) for s in ([block.text] if block.kind == "heading" else split_sentences(block.text))]
    return found


# --- the pack's parts, as data ---------------------------------------------

@dataclass(frozen=True)
class PageText:
    url: str                      # as MkDocs gives it: "risks/" ("" for the home page)
    title: str
    blocks: tuple[Block, ...]

    @property
    def name(self) -> str:        # how facts.yml names the page: "risks"
        return self.url.strip("/")


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


# --- what changed since the published version --------------------------------

PARAGRAPH = "\n"  # a token between blocks, so a change never joins two paragraphs silently


def tokens(blocks: list[Block] | tuple[Block, ...]) -> list[str]:
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


def word_changes(old: list[Block] | tuple[Block, ...], new: list[Block] | tuple[Block, ...],
                 context: int = 5) -> list[Change]:
    """Word by word: what was taken out and put in, with a few words either
    side (" / " marks the end of a paragraph)."""
    import difflib

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


def page_diffs(old: dict[str, tuple[str, tuple[Block, ...]]], new: list[PageText]) -> list[PageDiff]:
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
    version: str                  # the version under /latest/ on gh-pages
    diffs: tuple[PageDiff, ...]


# --- readability --------------------------------------------------------------

def source_blocks(text: str) -> list[Block]:
    """The source's paragraphs (its first two lines are its title)."""
    body = text.split("\n", 2)[2]
    return [Block("paragraph", " ".join(p.split())) for p in re.split(r"\n\s*\n", body) if p.strip()]


@dataclass(frozen=True)
class Readability:
    name: str
    words: int
    sentences: int
    longest: int
    smog: float


# --- the questions the source leaves open -------------------------------------

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


# --- the pack -----------------------------------------------------------------

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
    other_words: tuple = ()       # (page title, kind, text): descriptions, search words, alt text, the print cover
    approved: Published | None = None  # changes since the last approved version's record (any kind of words)
    owner: str = ""               # the role that owns the leaflet (extra.leaflet.owner)
    sources: tuple = ()           # (title, address, day checked) of each source (extra.leaflet.sources)


# --- the pack as HTML ---------------------------------------------------------

NEEDS_APPROVAL = "new: needs your approval"
OTHER_KINDS = ("description", "search words", "alt text")  # leaflet_site.patient_text's kinds beside the pages' text
SOURCE_MISSING = "The full approved source text was not available."

STYLE = """
@page { size: A4; margin: 16mm 14mm; }
html { font-family: Arial, "Liberation Sans", Helvetica, sans-serif; font-size: 12pt; line-height: 1.45; color: #1a1a1a; }
body { max-width: 60rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.8rem; margin: 0 0 .5rem; }
h2 { font-size: 1.4rem; margin: 2rem 0 .5rem; border-top: 2px solid #1a1a1a; padding-top: .5rem; break-after: avoid; }
h3 { font-size: 1.15rem; margin: 1.2rem 0 .4rem; break-after: avoid; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
caption { text-align: left; font-weight: bold; padding: .3rem 0; }
th, td { border: 1px solid #555; padding: .35rem .5rem; text-align: left; vertical-align: top; }
@media screen and (max-width: 40rem) { th, td { overflow-wrap: anywhere; } body { padding: .5rem; } }
thead th { background: #e8e8e8; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
table.changes, table.sign { break-inside: avoid; }
th[scope=row] { font-weight: normal; }
td.num { text-align: right; }
ul.carried { margin: 0; padding-left: 1.1rem; }
.page { font-weight: bold; }
.flag { font-weight: bold; border: 2px solid #8a1c1c; color: #8a1c1c; padding: 0 .25rem; }
.mark { white-space: normal; }
del { text-decoration: line-through; background: #fbe3e3; color: #6b0f0f; }
ins { text-decoration: underline; background: #e2f3e2; color: #0b4d0b; }
.gap { font-style: normal; color: #444; }
.kind { font-weight: bold; }
.sign td { height: 2.2rem; }
.sign th { width: 25%; }
.answer { border-bottom: 1px solid #555; height: 3.5rem; margin: .3rem 0 1rem; }
p.small, p.rule { font-size: .95rem; }
"""


def _n(count: int, one: str, many: str) -> str:
    """1 change, 2 changes."""
    return f"{count} {one if count == 1 else many}"


def _e(text: object) -> str:
    import html

    return html.escape(str(text), quote=True)


def _changed_words(change: Change, side: str) -> str:
    """One side of a change: its context, and the words taken out (or put
    in) marked with words, a line and a colour."""
    if side == "was":
        middle = (f'<span class="mark">[removed: <del>{_e(change.removed)}</del>]</span>' if change.removed
                  else '<span class="gap">[nothing here]</span>')
    else:
        middle = (f'<span class="mark">[added: <ins>{_e(change.added)}</ins>]</span>' if change.added
                  else '<span class="gap">[taken out]</span>')
    before = f"…{_e(change.before)} " if change.before else ""
    after = f" {_e(change.after)}…" if change.after else ""
    return before + middle + after


def _source_part(pack: Pack) -> str:
    rows = []
    for row in pack.rows:
        items = [f'<li><span class="page">{_e(c.page)}:</span> {_e(c.sentence)}</li>' for c in row.carriers]
        items += [f'<li><span class="flag">NOT FOUND</span> on the page <span class="page">{_e(page)}</span>: '
                  f'the site may have lost part of this sentence.</li>' for page in row.lost]
        if not row.checked:
            items.append('<li><span class="flag">NOT CHECKED</span> No check links this sentence to the site. '
                         'Please find it on the site yourself.</li>')
        rows.append(f'<tr><th scope="row">{_e(row.sentence)}</th><td><ul class="carried">{"".join(items)}</ul></td></tr>')
    lost = sum(1 for r in pack.rows if r.lost or not r.checked)
    if pack.source_available:
        lead = f"<p>The source has {len(pack.rows)} sentences. "
    else:
        lead = (f'<p><span class="flag">{SOURCE_MISSING}</span> This pack was made without it, so the left-hand '
                f"column holds the {len(pack.rows)} passages of the source that the facts list quotes "
                "(docs/facts.yml), not the whole text. Make the pack again where the source is, before you sign. ")
    return (
        '<h2 id="source">1. Every sentence of the source, and where the site says it</h2>'
        + lead + "Beside each one are the sentences of the site that say "
        "the same thing, and the page they are on. A sentence of the site can stand beside more than one "
        "source sentence. Please check that each site sentence keeps the meaning, the numbers and the "
        "conditions of the source sentence.</p>"
        + (f'<p><span class="flag">{_n(lost, "source sentence needs", "source sentences need")} a look</span>: '
           "marked NOT FOUND or NOT CHECKED below.</p>"
           if lost else "<p>Every source sentence was found on the site.</p>")
        + '<table><caption>Source sentences and the site sentences that carry them</caption>'
        '<thead><tr><th scope="col">Source sentence</th><th scope="col">Where the site says it (page: sentence)</th></tr></thead>'
        f'<tbody>{"".join(rows)}</tbody></table>'
    )


def _word_list() -> str:
    return "; ".join(f"{group}: {', '.join(words)}" for group, words in CLINICAL_WORDS.items())


def _new_part(pack: Pack) -> str:
    clinical = [n for n in pack.new if n.words and n.kind != "heading"]
    headings = [n for n in pack.new if n.kind == "heading"]
    # A table cell with no clinical word is data (the leaflet's version and dates), not a sentence.
    other = [n for n in pack.new if not n.words and n.kind not in ("table cell", "heading")]

    def table(items: list[NewSentence], caption: str, flag: bool) -> str:
        head = '<th scope="col">Pages</th><th scope="col">Sentence</th>'
        head += '<th scope="col">Why it is listed</th><th scope="col">Status</th>' if flag else ""
        body = []
        for n in items:
            what = "" if n.kind == "sentence" else f'<span class="kind">{_e(n.kind[:1].upper() + n.kind[1:])}:</span> '
            extra = (f'<td>It has the words: {_e(", ".join(n.words))}</td><td><span class="flag">{NEEDS_APPROVAL}</span></td>'
                     if flag else "")
            body.append(f'<tr><td>{_e(", ".join(n.pages))}</td><th scope="row">{what}{_e(n.sentence)}</th>{extra}</tr>')
        return (f'<table><caption>{_e(caption)}</caption><thead><tr>{head}</tr></thead>'
                f'<tbody>{"".join(body)}</tbody></table>')

    pages = ", ".join(pack.pages_read)
    parts = [
        '<h2 id="new">2. Sentences of the site that the source does not have</h2>',
        "<p>These sentences and headings of the site say nothing that is in the source. Some explain a word, "
        "or say how to use the leaflet. Others may give advice that the source does not give. Please read each "
        f'one marked "{NEEDS_APPROVAL}", and approve it, change it or take it out.</p>',
        '<h3 id="rule">How we decided which sentences have clinical meaning</h3>',
        f'<p class="rule">A computer made this list with a simple rule. It read every sentence, heading and '
        f"table cell on these pages: {_e(pages)}. A sentence counts as saying something from the source when it "
        "matches a fact check (the list of source facts in docs/facts.yml, each with the words the site must "
        "use). A sentence that matches none, and has any of the words below, is marked "
        f'"{NEEDS_APPROVAL}". The list of words is wide on purpose, so it also shows sentences that only '
        "explain a word. It can still miss a clinical sentence that uses none of these words, so every other "
        "sentence is listed after the table (all but table cells with none of the words, such as the "
        "leaflet's version and dates). Please read the whole site as well.</p>",
        f'<p class="small">The words (and the same words with an s): {_e(_word_list())}.</p>',
    ]
    parts.append(table(clinical, _n(len(clinical), "sentence that needs", "sentences that need") + " your approval", True) if clinical
                 else "<p>No sentence was found that needs your approval.</p>")
    if headings:
        rows = "".join(f'<tr><td>{_e(", ".join(n.pages))}</td><th scope="row">{_e(n.sentence)}</th>'
                       f'<td>{_e(", ".join(n.words)) or "none"}</td></tr>' for n in headings)
        parts.append('<h3 id="headings">Headings</h3>'
                     "<p>A heading must agree with the sentences under it, and must not be the only place that "
                     "says a condition (such as “if the injection is in your neck”). Please check each one.</p>"
                     f'<table><caption>{_n(len(headings), "heading", "headings")}</caption><thead><tr><th scope="col">Pages</th>'
                     '<th scope="col">Heading</th><th scope="col">Words from the list</th></tr></thead>'
                     f"<tbody>{rows}</tbody></table>")
    if other:
        parts.append('<h3 id="other">Other sentences the source does not have (none of the words above)</h3>')
        parts.append(table(other, _n(len(other), "other sentence", "other sentences"), False))
    return "".join(parts)


def _changes_table(diff: PageDiff, caption: str, was: str) -> str:
    """One page's changes, word by word: a heading, then a table of what
    was (published, or approved) and what is now."""
    label = {"changed": _n(len(diff.changes), "change", "changes"), "new page": "a new page: all its words are new",
             "removed page": "a page that is no longer on the site"}[diff.status]
    rows = "".join(f'<tr><th scope="row">{n}</th><td>{_changed_words(c, "was")}</td>'
                   f'<td>{_changed_words(c, "now")}</td></tr>' for n, c in enumerate(diff.changes, start=1))
    return (f"<h3>{_e(diff.title)}: {_e(label)}</h3>"
            f'<table class="changes"><caption>{_e(caption)} {_e(diff.title)}</caption>'
            f'<thead><tr><th scope="col">Change</th><th scope="col">Was ({was})</th>'
            '<th scope="col">Now (this version)</th></tr></thead>'
            f"<tbody>{rows}</tbody></table>")


def _published_part(pack: Pack) -> str:
    head = '<h2 id="changes">3. What changed since the last published version</h2>'
    if pack.published is None:
        return head + "<p>No version has been published yet. (There is no gh-pages branch in this copy of the project.)</p>"
    pub = pack.published
    parts = [head,
             f"<p>This compares the text of version {_e(pack.version)} (this pack) with version {_e(pub.version)}, "
             "as it is published now (the latest version on the gh-pages branch), word by word. Words taken "
             'out are shown as <span class="mark">[removed: <del>words</del>]</span>, crossed out. Words put in are '
             'shown as <span class="mark">[added: <ins>words</ins>]</span>, underlined. A slash ( / ) marks the end '
             "of a paragraph or list item.</p>"]
    if pub.version == pack.version:
        parts.append(f"<p>Note: the published version has the same number ({_e(pub.version)}) as this one. "
                     "A new version needs a new number in mkdocs.yml before it is released.</p>")
    same = [d.title for d in pub.diffs if d.status == "same"]
    for diff in pub.diffs:
        if diff.status == "same":
            continue
        parts.append(_changes_table(diff, "Changes on the page", "published"))
    if same:
        parts.append(f"<p>No change on: {_e(', '.join(same))}.</p>")
    if all(d.status == "same" for d in pub.diffs):
        parts.append("<p>No words changed on any page.</p>")
    return "".join(parts)


def _readability_part(pack: Pack) -> str:
    longest, smog = pack.limits["sentence_words_max"], pack.limits["smog_max"]
    rows = []
    for r in pack.readability:
        ok = r.longest <= longest and r.smog <= smog
        rows.append(f'<tr><th scope="row">{_e(r.name)}</th><td class="num">{r.words}</td><td class="num">{r.sentences}</td>'
                    f'<td class="num">{r.longest}</td><td class="num">{r.smog:.1f}</td>'
                    f'<td>{"Yes" if ok else "No"}</td></tr>')
    return (
        '<h2 id="readability">6. How easy each page is to read</h2>'
        f"<p>Our limits: no sentence longer than {longest:g} words, and a SMOG grade of {smog:g} or lower "
        "(SMOG estimates the years of school a reader needs; 7 to 9 reaches 93% of UK adults). "
        + ("The first row is the source, for comparison. " if pack.source_available else "")
        + "The numbers come from the same code as the site check (make check).</p>"
        '<table><caption>Readability of the source and of each page</caption><thead><tr>'
        '<th scope="col">Text</th><th scope="col">Words</th><th scope="col">Sentences</th>'
        '<th scope="col">Longest sentence (words)</th><th scope="col">SMOG grade</th>'
        '<th scope="col">Within the limits</th></tr></thead>'
        f'<tbody>{"".join(rows)}</tbody></table>'
    )


def _questions_part() -> str:
    items = "".join(f'<li><p>{_e(q)}</p><div class="answer" aria-hidden="true"></div></li>' for q in OPEN_QUESTIONS)
    return (
        '<h2 id="questions">7. Questions the source leaves open</h2>'
        "<p>The source does not answer these questions, so the site does not answer them either. Patients may "
        "ask them. Please write your answers here, or tell us that the leaflet should not cover them. Nothing "
        "goes on the site until you approve the words.</p>"
        f"<ol>{items}</ol>"
    )


def _short(fingerprint: str) -> str:
    from .patient_text import short

    return short(fingerprint) if fingerprint else "(none)"


def _sign_off_part(pack: Pack) -> str:
    rows = "".join(f'<tr><th scope="row">{label}</th><td></td></tr>' for label in ("Name", "Role", "Date", "Signature"))
    return (
        '<h2 id="sign-off">8. Sign-off</h2>'
        f"<p>I have read this pack. I approve the text of version <strong>{_e(pack.version)}</strong> of the "
        f"leaflet “{_e(pack.title)}” for patients, with any changes I have written in this pack. The text I "
        f"approve has the fingerprint <code>{_e(_short(pack.fingerprint))}</code>.</p>"
        f'<table class="sign"><caption>Approval of version {_e(pack.version)}</caption>'
        f'<tbody><tr><th scope="row">Version</th><td>{_e(pack.version)}</td></tr>'
        f'<tr><th scope="row">Fingerprint</th><td><code>{_e(_short(pack.fingerprint))}</code></td></tr>{rows}</tbody></table>'
        "<p class=\"small\">The fingerprint is worked out from every word a patient reads, so any later change "
        "to the words gives a different one. Your approval is recorded with <code>make approve BY=\"Name, "
        "role\"</code>, which records the fingerprint of the text as it is then. If it is not the fingerprint "
        "above, the text has changed since you read it, and it needs your approval again. Until then the site "
        "says it is a draft, and the version cannot be released.</p>"
    )


KIND_NAMES = {"description": "Description (link previews and search results)",
              "search words": "Search words (hidden: they lead a search to the page)",
              "alt text": "Picture description (alt text)"}


def _other_part(pack: Pack) -> str:
    head = ('<h2 id="other">4. Other words patients read</h2>'
            "<p>These words are not in the body of a page, but patients meet them: the description a phone shows "
            "when a page is shared or found by a search, the everyday words (some misspelt on purpose) that lead "
            "a search to a page, the descriptions of pictures that screen readers say, and the cover of the "
            "printed leaflet. Please check them as you check the pages.</p>")
    rows = "".join(f'<tr><th scope="row">{_e(page)}</th><td>{_e(KIND_NAMES.get(kind, kind))}</td><td>{_e(text)}</td></tr>'
                   for page, kind, text in pack.other_words)
    if not rows:
        return head + "<p>There are none.</p>"
    return (head + '<table><caption>Other words patients read, page by page</caption>'
            '<thead><tr><th scope="col">Page</th><th scope="col">Kind</th><th scope="col">Words</th></tr></thead>'
            f"<tbody>{rows}</tbody></table>")


def _approved_part(pack: Pack) -> str:
    head = '<h2 id="approved">5. What changed since the last approved text, in every kind of words</h2>'
    if pack.approved is None:
        return head + ("<p>No approved text of this leaflet, with its record (approvals/VERSION.txt), to compare "
                       "with.</p>")
    version, diffs = pack.approved.version, [d for d in pack.approved.diffs if d.status != "same"]
    parts = [head, f"<p>This compares every word a patient reads now (pages, descriptions, search words, picture "
                   f"descriptions, the print cover, the version and review dates) with the text approved for "
                   f"version {_e(version)} (approvals/{_e(version)}.txt), word by word.</p>"]
    if not diffs:
        return "".join(parts) + f"<p>Nothing changed since the text of version {_e(version)} was approved.</p>"
    parts += [_changes_table(diff, "Changes since approval:", "approved") for diff in diffs]
    return "".join(parts)


def _sources(pack: Pack) -> str:
    """The sources the leaflet was checked against, with the day each was checked."""
    if not pack.sources:
        return "None recorded (extra.leaflet.sources)"
    items = "".join(f'<li>{_e(title)}, <a href="{_e(url)}">{_e(url)}</a>, checked on {_e(checked)}</li>'
                    for title, url, checked in pack.sources)
    return f'<ul class="carried">{items}</ul>'


def render(pack: Pack) -> str:
    """The whole pack: one accessible HTML page (it prints to the PDF)."""
    need = sum(1 for n in pack.new if n.words and n.kind != "heading")
    lost = sum(1 for r in pack.rows if r.lost or not r.checked)
    published = ("no version has been published yet" if pack.published is None
                 else f"compared with published version {pack.published.version}")
    contents = "".join(f'<li><a href="#{i}">{t}</a></li>' for i, t in [
        ("source", "Every sentence of the source, and where the site says it"),
        ("new", "Sentences of the site that the source does not have"),
        ("changes", "What changed since the last published version"),
        ("other", "Other words patients read: descriptions, search words, picture descriptions, the print cover"),
        ("approved", "What changed since the last approved text, in every kind of words"),
        ("readability", "How easy each page is to read"),
        ("questions", "Questions the source leaves open"),
        ("sign-off", "Sign-off")])
    return (
        '<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>Approval pack: {_e(pack.title)}, version {_e(pack.version)}</title>\n"
        f"<style>{STYLE}</style>\n</head>\n<body>\n<main>\n"
        f"<h1>Approval pack: {_e(pack.title)}, version {_e(pack.version)}</h1>"
        f"<p>This pack is for the clinician who approves the leaflet. It was made on {_e(pack.made_on)} from "
        f"{_e(pack.made_from)}. It sets the text of the site beside the approved source text.</p>"
        '<table><caption>Summary</caption><tbody>'
        f'<tr><th scope="row">Version</th><td>{_e(pack.version)}</td></tr>'
        f'<tr><th scope="row">Fingerprint of this text</th><td><code>{_e(_short(pack.fingerprint))}</code></td></tr>'
        + (f'<tr><th scope="row">Source sentences</th><td>{len(pack.rows)} ({lost} need a look)</td></tr>'
           if pack.source_available else
           f'<tr><th scope="row">Source passages</th><td>{len(pack.rows)} quoted in the facts list ({lost} need a look). '
           f'{SOURCE_MISSING}</td></tr>')
        + f'<tr><th scope="row">Sentences marked “{NEEDS_APPROVAL}”</th><td>{need}</td></tr>'
        f'<tr><th scope="row">Changes</th><td>{_e(published)}</td></tr>'
        f'<tr><th scope="row">Owner</th><td>{_e(pack.owner) if pack.owner else "None recorded (extra.leaflet.owner)"}</td></tr>'
        f'<tr><th scope="row">Sources</th><td>{_sources(pack)}</td></tr>'
        "</tbody></table>"
        '<p class="small">The text of each page was read from the site as built from this version, so it is '
        "what a patient reads: with the contact line filled in, and without the hidden search words.</p>"
        f'<nav aria-labelledby="contents"><h2 id="contents">Contents</h2><ol>{contents}</ol></nav>'
        + _source_part(pack) + _new_part(pack) + _published_part(pack) + _other_part(pack) + _approved_part(pack)
        + _readability_part(pack)
        + _questions_part() + _sign_off_part(pack)
        + "\n</main>\n</body>\n</html>\n"
    )


def make_pack(*, title: str, version: str, pages: list[PageText], leaflet_pages: list[str], source_text: str | None,
              facts: list[Fact], published: tuple[str, dict[str, tuple[str, tuple[Block, ...]]]] | None,
              syllables, limits: dict[str, float], made_on: str, made_from: str, records: list | None = None,
              fingerprint: str = "", approved: tuple[str, list] | None = None, owner: str = "",
              sources: tuple = ()) -> Pack:
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
    syllables leaflet_site.check.readability.Syllables; source_text: the
    full approved text, or None when this machine does not have it (the pack
    then sets the facts list's quotes of it beside the site, and says so)."""
    from .check.readability import score

    by_name = {p.name: p for p in pages}
    read = [p for p in pages if p.url in leaflet_pages]
    if source_text is None:  # only the facts list's quotes: each is the source's own words
        sentences = list(dict.fromkeys(f.source for f in facts))
        scores = []
    else:
        sentences = source_sentences(source_text)
        scores = [("The source (the approved text)", score(source_blocks(source_text), syllables))]
    scores += [(p.title, score(prose(p.blocks), syllables)) for p in read]
    other = [(r.title, b.kind, b.text) for r in records or [] for b in r.blocks
             if b.kind in OTHER_KINDS or (r.url == "print-cover")]
    described = [Block("paragraph", text if text.endswith(".") else text + ".")
                 for _, kind, text in other if kind != "search words"]
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
