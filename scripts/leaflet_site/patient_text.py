"""Everything a patient reads, as one record: the one definition of "patient
text" for the approval's fingerprint, the approval pack and the readability
check.

The record holds, page by page in reading order, the page's text as the
build writes it (its Markdown converted with the site's own Markdown
settings and the leaflet's placeholders filled in), its description (link
previews, search results, JSON-LD), its search words (which everyday words
lead to it), the alt text of its pictures; then the glossary and the print
cover. It does not hold the look of the site: a change of template, style
sheet or script that leaves the words alone leaves the record alone.

The parts of the text that say whether the version is approved (the review
dates, "Approved by", the draft notices) are always written in their draft
form here, so that recording an approval does not change what was approved.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import cache
from .model import Leaflet, Section
from .names import CONFIG_FILE, DOCS_DIR, RECORD_DIR
from .page_text import Block, article, article_blocks, as_article, parse, pictures

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

    from .approval import Change, PageDiff

FINGERPRINT = re.compile(r"[0-9a-f]{64}")
SHORT = 12  # characters of the fingerprint shown to people (48 bits: no two texts share it by chance)

# The kinds of a part that are not a page's running text.
DESCRIPTION, SEARCH_WORDS, ALT_TEXT = "description", "search words", "alt text"
COVER = ("print-cover", "Print cover")
DETAILS = ("details", "Leaflet details")  # the version and review dates approved with the text


@dataclass(frozen=True)
class PageRecord:
    url: str                      # "risks/", or "print-cover" for the print cover
    title: str
    blocks: tuple[Block, ...]     # kind and text, in reading order (descriptions and alt text included)

    def text(self) -> str:
        return "\n".join(f"{b.kind}: {b.text}" for b in self.blocks)


def _converter(config: MkDocsConfig) -> Callable[[str], str]:
    """Markdown to HTML with the site's settings. One converter for every
    page, reset between them: making one (its extensions) costs more than
    converting a page."""
    import markdown

    md = markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)

    def convert(text: str) -> str:
        return md.reset().convert(text)

    return convert


def _stable(value: object) -> str | None:
    """The settings as text that is the same in every process, or None when
    a value has no such form (then nothing is cached)."""
    if isinstance(value, dict):
        items = [(_stable(k), _stable(v)) for k, v in value.items()]
        return None if any(k is None or v is None for k, v in items) else "{" + ",".join(sorted(f"{k}:{v}" for k, v in items)) + "}"
    if isinstance(value, (list, tuple)):
        parts = [_stable(v) for v in value]
        return None if any(p is None for p in parts) else "[" + ",".join(p for p in parts if p is not None) + "]"
    if isinstance(value, functools.partial):
        return _stable([value.func, list(value.args), value.keywords])
    if callable(value) and hasattr(value, "__module__") and hasattr(value, "__qualname__"):
        return f"{value.__module__}.{value.__qualname__}"
    text = repr(value)
    return None if " at 0x" in text else f"{type(value).__name__}:{text}"


def _search_words(meta: dict[str, Any]) -> list[str]:
    words = meta.get("search_words")
    if not isinstance(words, dict):
        return []
    return [", ".join(map(str, v)) if isinstance(v, list) else " ".join(str(v).split()) for v in words.values()]


def page_record(url: str, title: str, markdown_text: str, parts: dict[str, str], convert: Callable[[str], str],
                source: str) -> PageRecord:
    """One page's patient text, from its Markdown as the build converts it,
    read as the built page is read (leaflet_site.page_text)."""
    from mkdocs.utils.meta import get_data

    from .placeholders import fill_placeholders

    body, meta = get_data(markdown_text)
    page_html = convert(fill_placeholders(body, source, parts))
    found = article(parse(as_article(page_html)))
    blocks = [Block(DESCRIPTION, " ".join(str(meta["description"]).split()))] if meta.get("description") else []
    blocks += [Block(SEARCH_WORDS, w) for w in _search_words(meta)]
    if found is not None:
        blocks += article_blocks(found)
        blocks += [Block(ALT_TEXT, alt) for _, alt in pictures(found) if alt]
    return PageRecord(url, title, tuple(blocks))


def cover_record(leaflet: Leaflet, config: MkDocsConfig) -> PageRecord:
    """The print cover's words, from its template (in its draft form), read
    as a page's text is read (leaflet_site.page_text)."""
    import jinja2

    from .placeholders import review_details

    overrides = Path(config.theme.custom_dir or "overrides")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(overrides)), autoescape=True)
    review = review_details(leaflet, draft=True, pdf=False)
    cover = env.get_template("print-cover.html").render(config={"extra": {"review": review}})
    found = article(parse(as_article(cover)))
    blocks = [] if found is None else article_blocks(found) + [Block(ALT_TEXT, alt) for _, alt in pictures(found)]
    return PageRecord(*COVER, tuple(blocks))


def collect(leaflet: Leaflet, config: MkDocsConfig) -> list[PageRecord]:
    """The version and review dates (approved with the text: moving them
    needs a new approval), every page of the nav in reading order, then the
    print cover."""
    from .placeholders import page_parts

    d = leaflet.details
    parts = page_parts(leaflet, approved=False)
    details = [Block("version", d.version), Block("last reviewed", d.last_reviewed.isoformat()),
               Block("next review due", d.next_review_due.isoformat())]
    if config.site_description:  # the description of a page that has none of its own (the 404 page)
        details.append(Block(DESCRIPTION, " ".join(config.site_description.split())))
    records = [PageRecord(*DETAILS, tuple(details))]
    convert = functools.cache(lambda: _converter(config))  # made at the first page the cache does not have
    settings = _stable([config.markdown_extensions, config.mdx_configs])
    for page in leaflet.pages:
        path = leaflet.docs_dir / page.file
        if not path.is_file():
            continue  # a page in the nav with no file: the build says so, with its own words
        text, source = path.read_text(encoding="utf-8"), f"{DOCS_DIR}/{page.file}"

        def make(page: Section = page, text: str = text, source: str = source) -> list[list[str]]:
            record = page_record(page.url, page.title, text, parts, lambda md: convert()(md), source)
            return [[b.kind, b.text] for b in record.blocks]

        if settings is None:
            made = make()
        else:  # every build converts every page again: kept on disk by its Markdown, settings and words
            made = cache.cached_json("page-record", (settings, page.url, page.title, text, source,
                                                     json.dumps(parts, sort_keys=True)), make)
        records.append(PageRecord(page.url, page.title, tuple(Block(k, v) for k, v in made)))
    records.append(cover_record(leaflet, config))
    return records


# --- the record as a file, and its fingerprint --------------------------------

HEADER = "# The text patients read in {title}, version {version}.\n" \
         "# Written by `make approve`; never edit it by hand: its fingerprint is in docs/changelog.yml.\n"
PAGE_LINE = re.compile(r"^== (\S*) \| (.*)$")
BLOCK_LINE = re.compile(r"^([a-z ]+): (.*)$")


def record_text(leaflet: Leaflet, records: list[PageRecord]) -> str:
    """The record as one text: what the fingerprint is taken of, and what
    approvals/VERSION.txt holds."""
    d = leaflet.details
    out = [HEADER.format(title=d.title, version=d.version)]
    for r in records:
        out.append(f"== {r.url} | {r.title}\n{r.text()}\n")
    return "\n".join(out)


def fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def short(fingerprint_: str) -> str:
    return fingerprint_[:SHORT]


def parse_record(text: str) -> list[PageRecord]:
    """A record file read back, page by page (for word-by-word changes)."""
    records: list[PageRecord] = []
    url: str | None = None
    title = ""
    blocks: list[Block] = []
    for line in text.splitlines():
        page = PAGE_LINE.match(line)
        if page:
            if url is not None:
                records.append(PageRecord(url, title, tuple(blocks)))
            url, title, blocks = page.group(1), page.group(2), []
            continue
        block = BLOCK_LINE.match(line)
        if url is not None and block:
            blocks.append(Block(block.group(1), block.group(2)))
    if url is not None:
        records.append(PageRecord(url, title, tuple(blocks)))
    return records


def record_path(root: Path, version: str) -> Path:
    return Path(root) / RECORD_DIR / f"{version}.txt"


def changed_pages(approved: Sequence[PageRecord], now: Sequence[PageRecord]) -> list[PageDiff]:
    """Each page whose patient text differs from the approved record, with
    its changes word by word (approval.PageDiff), in reading order."""
    from .approval import PageText, page_diffs

    old = {r.url: (r.title, r.blocks) for r in approved}
    return [d for d in page_diffs(old, [PageText(r.url, r.title, r.blocks) for r in now]) if d.status != "same"]


def change_lines(change: Change) -> tuple[str, str]:
    """A change (approval.Change) as two lines of plain text, "was" and "now",
    marked in words, for a terminal or a log."""
    before = f"…{change.before} " if change.before else ""
    after = f" {change.after}…" if change.after else ""
    was = f"[removed: {change.removed}]" if change.removed else "[nothing here]"
    now = f"[added: {change.added}]" if change.added else "[taken out]"
    return before + was + after, before + now + after


def source_file(url: str, leaflet: Leaflet) -> str:
    """The file an editor opens to change a part of the record."""
    if url == COVER[0]:
        return "overrides/print-cover.html"
    if url == DETAILS[0]:
        return CONFIG_FILE
    page = next((p for p in leaflet.pages if p.url == url), None)
    return f"docs/{page.file}" if page else f"docs/{url.strip('/') or 'index'}.md"
