"""The check's parts that read a built site and its sources: each returns
findings naming the editor's file and line. scripts/check.py runs them all
(`make check`); `make serve` runs the editor's part after each rebuild."""

from __future__ import annotations

import datetime as dt
import posixpath
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .. import model
from ..findings import Finding, line_of
from ..names import CONFIG_FILE
from ..urls import in_site
from .links import contact_link_problem
from .pages import Page, find_line, line_at, read_site, source_for
from .readability import Score, Syllables, check_page, load_rules, score, split_sentences, words_of
from .review import review_findings, source_date_findings
from .source import check_source
from .spelling import DICTIONARY, load_words, spelling_findings
from .weight import Weight, page_weights, weight_findings

if TYPE_CHECKING:
    from ..patient_text import PageRecord


def sorted_findings(found: list[Finding]) -> list[Finding]:
    """By file, then line (a finding without a line first in its file); the
    same finding twice (a word misspelt twice on one line) is said once."""
    return sorted(dict.fromkeys(found), key=lambda f: (f.file, f.line or 0))


def review_dates(leaflet: model.Leaflet, today: dt.date) -> list[Finding]:
    line = model.detail_line(leaflet.config_file.read_text(encoding="utf-8"), "next_review_due")
    return (review_findings(leaflet.details.next_review_due, today, leaflet.config_file.name, line)
            + source_date_findings(leaflet.details.sources, leaflet.details.last_reviewed, leaflet.config_file.name))


def contact_findings(pages: dict[str, Page], site: Path) -> list[Finding]:
    found = []
    for rel, page in pages.items():
        for link in page.links:
            problem = link.url.startswith(("mailto:", "tel:")) and contact_link_problem(link.url)
            if problem:
                line = line_at((site / rel).read_text(encoding="utf-8"), link.position)
                found.append(Finding(f"site/{rel}", line, *problem))
    return found


def as_written(src: str, page: str, source: Path, site: Path, docs: Path) -> str:
    """A picture's address as the editor wrote it in the Markdown file (the
    built page is one folder deeper: ../scanner.png is scanner.png)."""
    target = in_site(posixpath.dirname(page), src)
    if target is None:
        return src
    return posixpath.relpath(target, posixpath.dirname(source.relative_to(docs).as_posix()) or ".")


def find_image_line(source_text: str, src: str) -> int | None:
    name = Path(src).name
    return line_of(source_text, name) if name else None


def source_findings(docs: Path, root: Path) -> list[Finding]:
    found = []
    for md in sorted(docs.rglob("*.md")):
        found += check_source(md.relative_to(root).as_posix(), md.read_text(encoding="utf-8"))
    return found


def readability(pages: dict[str, Page], site: Path, docs: Path, rules_path: Path,
                root: Path) -> tuple[list[Finding], list[tuple[str, Score]]]:
    rules = load_rules(rules_path)
    syllables = Syllables(rules.syllables)
    words = load_words(DICTIONARY, root / "words.txt")
    found: list[Finding] = []
    table: list[tuple[str, Score]] = []
    for rel, page in pages.items():
        source = source_for(site / rel, site, docs)
        if rel in rules.not_prose or source is None:
            continue  # redirect pages, the print page and theme pages are not prose
        text = source.read_text(encoding="utf-8")
        for src in page.images_without_alt:
            written = as_written(src, rel, source, site, docs)
            found.append(Finding(source.relative_to(root).as_posix(), find_image_line(text, src),
                f"The picture {written!r} has no text description (alt text), so screen reader users miss it.",
                "Describe the picture in the square brackets, for example ![A CT scanner](ct-scanner.png)."))
        blocks = list(page.blocks)
        page_score = score(blocks, syllables)
        name = source.relative_to(root).as_posix()
        found += check_page(blocks, page_score, rules.thresholds, name, text)
        found += spelling_findings([b.text for b in blocks], words, name, text)
        table.append((name, page_score))
    return found, table


OTHER_WORDS = {"description": ("description", "the page's description (front matter)"),
               "alt text": ("alt text", "a picture's description (alt text)")}


def other_words_findings(records: Sequence[PageRecord], leaflet: model.Leaflet, rules_path: Path,
                         root: Path) -> list[Finding]:
    """The words patients read outside a page's body (leaflet_site.patient_text):
    each description and picture description keeps to the sentence limit and
    is spelt in British English, like the pages. (Search words are a list of
    the words people type, misspellings included on purpose: not prose.)"""
    from .. import patient_text

    rules = load_rules(rules_path)
    limit = rules.thresholds.sentence_words_max
    words = load_words(DICTIONARY, root / "words.txt")
    found: list[Finding] = []
    for record in records:
        name = patient_text.source_file(record.url, leaflet)
        path = root / name
        text = path.read_text(encoding="utf-8") if path.is_file() else ""
        for block in record.blocks:
            if block.kind not in OTHER_WORDS:
                continue
            what = ("the site's description (site_description)" if name == CONFIG_FILE
                    else OTHER_WORDS[block.kind][1])
            for sentence in split_sentences(block.text):
                n = len(words_of(sentence))
                if n > limit:
                    found.append(Finding(name, find_line(text, sentence) or line_of(text, f"{block.kind}:"),
                        f'In {what}, this sentence has {n} words: "{sentence}"',
                        f"Say it in {limit:g} words or fewer: patients see it in link previews and search results, "
                        "and screen readers say it."))
            found += spelling_findings([block.text], words, name, text)
    return found


def weight(site: Path, docs: Path, root: Path, prefix: str) -> tuple[list[Finding], list[Weight]]:
    """Each page's download size against the budgets, blamed on its source."""
    weights = page_weights(site, prefix)

    def source_of(rel: str) -> str:
        source = source_for(site / rel, site, docs)
        return source.relative_to(root).as_posix() if source else f"site/{rel}"

    def biggest_line(name: str, file: str) -> int | None:
        path = root / name
        return find_image_line(path.read_text(encoding="utf-8"), file) if path.suffix == ".md" else None

    return weight_findings(weights, source_of, biggest_line), weights


def format_table(table: list[tuple[str, Score]]) -> str:
    head = "| Page | Words | Sentences | Average | Longest | SMOG | FK grade | Reading ease |"
    rows = [head, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for name, s in table:
        rows.append(f"| {name} | {s.words} | {s.sentences} | {s.average:.1f} | {s.longest} | "
                    f"{s.smog:.1f} | {s.fk_grade:.1f} | {s.reading_ease:.0f} |")
    return "\n".join(rows)


def editor_findings(site: Path, root: Path) -> list[Finding]:
    """What an editor can fix in the Markdown (front matter, headings, raw
    HTML, alt text, readability, spelling): fast enough for every rebuild of
    `make serve`."""
    docs = root / "docs"
    pages, _ = read_site(site)
    found, _ = readability(pages, site, docs, root / "readability.yml", root)
    return sorted_findings(source_findings(docs, root) + found)


# --- `make serve`: the same findings, on the page the editor is looking at ---

_ARTICLE = '<article class="md-content__inner md-typeset">'


def serve_notes(site: Path, found: list[Finding]) -> int:
    """Put a note at the top of each served page that has findings (only
    `make serve` calls this: never a built or published site). Returns the
    number of pages noted."""
    import html

    by_page: dict[str, list[Finding]] = {}
    for f in found:
        if f.file.startswith("docs/") and f.file.endswith(".md"):
            by_page.setdefault(model.page_url(f.file[len("docs/"):]), []).append(f)
    noted = 0
    for url, findings in by_page.items():
        page = site / url / "index.html"
        if not page.is_file():
            continue
        text = page.read_text(encoding="utf-8")
        items = "".join(f"<li><strong>{html.escape(f.where)}</strong>: {html.escape(f.problem)} "
                        f"<em>Fix:</em> {html.escape(f.fix)}</li>" for f in findings)
        note = (f'<div class="leaflet-editor-note" role="note"><p><strong>For the editor</strong> (shown only while '
                f"you run make serve): {len(findings)} thing{'s' if len(findings) != 1 else ''} to fix on this "
                f"page.</p><ul>{items}</ul></div>")
        if _ARTICLE in text:
            page.write_text(text.replace(_ARTICLE, _ARTICLE + note, 1), encoding="utf-8")
            noted += 1
    return noted
