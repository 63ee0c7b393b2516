"""Page weight: what a phone downloads for each page, worked out from the built
files (not timed, so it gives the same answer on any machine).

First visit: the page's HTML and every file it loads before the patient does
anything: stylesheets (the print one too: browsers fetch it), scripts loaded
with the page (leaflet.js; Material's script loads only when the search is
opened), icons, and pictures (those marked loading="lazy" load only when
scrolled to, and are left out). Text files count compressed as a host sends
them (gzip), pictures as they are, each with its response headers.
Next page: the page's HTML and whatever it loads that the page before it did
not (the rest is in the browser's cache), from the worst page before it.
Before the first paint: the page's HTML and the stylesheets that hold up a
phone's first paint (those linked for wide screens, paper or no media do not:
paint.blocks_a_phone), and any script in the head that is neither async nor
deferred.
`make bench-web` measures the same in Chromium, through nginx.
"""

from __future__ import annotations

import gzip
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ..findings import Finding
from ..names import PRINT_PAGE_FILE
from ..paint import blocks_a_phone
from ..urls import in_site, page_loads

# Issue 9's budgets, made tighter by issue 29. 30 KB is about 0.6 s on a slow
# 3G connection (400 kbit/s): a patient in a waiting room sees text at once
# (every page needs 26-29 KB, the print page included). 8 KB: a page after
# the first is only its own text.
FIRST_VISIT_BUDGET = 30 * 1024
NEXT_PAGE_BUDGET = 8 * 1024
# Issue 29: a new connection brings about 14 KB in its first round trip (TCP's
# first 10 segments of 1,460 bytes: 14.6 KB); a page whose HTML and what holds
# up its painting fit in it shows its text after one round trip, not two.
FIRST_PAINT_BUDGET = 14 * 1024
# What a file costs on the wire beyond its compressed bytes, so these figures
# agree with the ones measured in Chromium by `make bench-web`: nginx's
# response headers (270-282 bytes) and the framing of its chunked, compressed
# answer. Measured (issue 29): with 250 here, the accessibility page and its
# first-paint stylesheet came to 164 bytes fewer than Chromium counted.
HEADER_BYTES = 330
COMPRESSED = (".html", ".css", ".js", ".svg", ".json", ".xml", ".txt")  # what a host gzips

_CSS_URL = re.compile(r"url\(\s*[\"']?(?!data:)([^\"')]+)")
_TAG = re.compile(r"<(link|script)\b([^>]*)>", re.I)
_NOSCRIPT = re.compile(r"<noscript>.*?</noscript>", re.S | re.I)
_ATTR = re.compile(r'([\w-]+)(?:\s*=\s*"([^"]*)")?')


@dataclass(frozen=True)
class Weight:
    page: str                       # the built page, e.g. risks/index.html
    html: int                       # compressed bytes, with headers
    files: dict[str, int]           # what it loads on a first visit: path in the site -> bytes
    next_page: int = 0              # bytes as the second page of a visit (worst case)
    blocking: list[str] = field(default_factory=list)  # files that hold up a phone's first paint

    @property
    def first_paint(self) -> int:
        """The HTML and what holds up a phone's first paint, compressed, with headers."""
        return self.html + sum(self.files.get(f, 0) for f in self.blocking)

    @property
    def first_visit(self) -> int:
        return self.html + sum(self.files.values())


@cache
def _sent(path: Path) -> int:
    """Bytes on the wire for one file: compressed if a host would, plus headers."""
    data = path.read_bytes()
    if path.suffix in COMPRESSED:
        data = gzip.compress(data, compresslevel=6, mtime=0)  # nginx's gzip_comp_level 6
    return len(data) + HEADER_BYTES


def loads(page_html: str, folder: str, base_path: str = "/") -> list[str]:
    """The files a page loads on a first visit, as paths in the site."""
    paths = [in_site(folder, f.url.split("#")[0].split("?")[0], base_path)
             for f in page_loads(page_html) if f.when == "now"]
    return list(dict.fromkeys(p for p in paths if p))


def holds_up_painting(page_html: str, folder: str, base_path: str = "/") -> list[str]:
    """The files, as paths in the site, a phone waits for before it paints the
    page: stylesheets for its screen, and scripts in the head that are neither
    async nor deferred."""
    page_html = _NOSCRIPT.sub("", page_html)   # what a browser with scripts reads
    head = page_html.split("</head>", 1)[0]
    found = []
    for tag, attrs in _TAG.findall(page_html):
        a = {name.lower(): value for name, value in _ATTR.findall(attrs)}
        if tag.lower() == "link" and "stylesheet" in a.get("rel", "").split() and blocks_a_phone(a.get("media")):
            found.append(a.get("href", ""))
        elif tag.lower() == "script" and a.get("src") and not {"async", "defer"} & set(a) \
                and a.get("type") != "module" and f"<script{attrs}>" in head:
            found.append(a["src"])
    return [p for p in (in_site(folder, url.split("#")[0].split("?")[0], base_path) for url in found) if p]


def page_weights(site: Path, base_path: str = "/") -> list[Weight]:
    """The weight of every page of the built site."""
    base_path = base_path.rstrip("/") + "/"
    weights = []
    for page in sorted(site.rglob("*.html")):
        rel = page.relative_to(site).as_posix()
        folder = posixpath.dirname(rel) or "."
        text = page.read_text(encoding="utf-8")
        if 'http-equiv="refresh"' in text:
            continue  # a redirect page (renamed page): patients pass through it
        files = {}
        for path in loads(text, folder, base_path):
            if (site / path).is_file():
                files[path] = _sent(site / path)
                if path.endswith(".css"):  # pictures and fonts a stylesheet loads
                    css = (site / path).read_text(encoding="utf-8")
                    for url in _CSS_URL.findall(css):
                        inner = in_site(posixpath.dirname(path), url, base_path)
                        if inner and (site / inner).is_file():
                            files[inner] = _sent(site / inner)
        weights.append(Weight(rel, _sent(page), files, blocking=holds_up_painting(text, folder, base_path)))
    # Pages load few different sets of files: compare with each set once.
    sets: dict[frozenset[str], int] = {}
    for w in weights:
        sets[frozenset(w.files)] = sets.get(frozenset(w.files), 0) + 1

    def next_page(w: Weight) -> int:
        own = frozenset(w.files)
        before = [s for s, n in sets.items() if s != own or n > 1]
        return w.html + max((sum(size for f, size in w.files.items() if f not in s) for s in before),
                            default=sum(w.files.values()))

    return [Weight(w.page, w.html, w.files, next_page(w), w.blocking) for w in weights]


# The print page holds all seven sections (its text alone is about 5 KB
# compressed), so it is held to the first-visit budget, not the one for a
# single section opened next.
WHOLE_LEAFLET = (PRINT_PAGE_FILE,)


def first_paint_findings(weights: list[Weight], source_of: Callable[[str], str]) -> list[Finding]:
    """A finding for each page whose first paint needs more than a new
    connection's first round trip brings (FIRST_PAINT_BUDGET)."""
    return [Finding(source_of(w.page), None,
                    f"Before it shows anything, this page needs {w.first_paint / 1024:.1f} KB (its HTML and "
                    f"{', '.join(w.blocking) or 'nothing else'}), over the {FIRST_PAINT_BUDGET // 1024} KB a new "
                    "connection brings in its first round trip, so a patient waits a second round trip for any text.",
                    "Make the page shorter (move a part of it to a page of its own), or make what holds up its "
                    "painting smaller (scripts/leaflet_site/paint.py says which stylesheet rules a phone waits for).")
            for w in weights if w.first_paint > FIRST_PAINT_BUDGET]


def weight_findings(weights: list[Weight], source_of: Callable[[str], str],
                    biggest_line: Callable[[str, str], int | None]) -> list[Finding]:
    """A finding for each page over a budget, naming its source file and, where
    a picture is the biggest thing it loads, the line of that picture.
    `source_of(page)` -> the editor's file; `biggest_line(source, file)` -> line."""
    found = first_paint_findings(weights, source_of)
    for w in weights:
        source = source_of(w.page)
        biggest = max(w.files, key=lambda f: w.files[f], default=None)
        line = biggest_line(source, biggest) if biggest else None
        fix = ("Make pictures smaller (an SVG drawing, or a compressed JPEG at most 1000 pixels wide), "
               "link to big files instead of showing them, or put a picture in a block that opens on a tap "
               "(??? \"Show the picture\") and add {loading=lazy} after it.")
        if w.first_visit > FIRST_VISIT_BUDGET:
            found.append(Finding(source, line,
                f"A first visit to this page downloads {w.first_visit / 1024:.1f} KB, over the budget of "
                f"{FIRST_VISIT_BUDGET // 1024} KB (the biggest file is {biggest}), which is slow on a weak signal.", fix))
        if w.next_page > NEXT_PAGE_BUDGET and w.page not in WHOLE_LEAFLET:
            found.append(Finding(source, line,
                f"Opening this page after another one downloads {w.next_page / 1024:.1f} KB, over the budget of "
                f"{NEXT_PAGE_BUDGET // 1024} KB, which is slow on a weak signal.", fix))
    return found


def format_weights(weights: list[Weight]) -> str:
    rows = ["| Page | HTML KB | Before first paint KB | First visit KB | Files | Next page KB |",
            "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for w in weights:
        rows.append(f"| {w.page} | {w.html / 1024:.1f} | {w.first_paint / 1024:.1f} | {w.first_visit / 1024:.1f} | "
                    f"{len(w.files) + 1} | {w.next_page / 1024:.1f} |")
    rows.append(f"\nBudgets: before first paint {FIRST_PAINT_BUDGET // 1024} KB (a phone), "
                f"first visit {FIRST_VISIT_BUDGET // 1024} KB, next page {NEXT_PAGE_BUDGET // 1024} KB "
                f"(compressed, with headers; the next-page budget is for single pages, not {', '.join(WHOLE_LEAFLET)}).")
    return "\n".join(rows)
