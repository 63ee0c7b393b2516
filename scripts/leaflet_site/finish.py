"""The built pages, finished in one pass after the build: each page is read
once, changed in memory by the steps the hook lists (in the order of its
list), and written once.

The steps are the hook's POST_BUILD list (overrides/hooks/leaflet.py). A
step changes a page by splicing the tags it finds (html_tags.py), so every
byte it does not mean to change stays as MkDocs and the theme wrote it.
Some steps need every page (the stylesheet reads every page's class names
before any page can link it; the PDFs' labels go on the pages after the
print page is printed), so the pass holds the pages in memory from the
first step to the write.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .names import PRINT_PAGE_FILE


@dataclass
class BuiltPage:
    """One built HTML file, as the pass has it so far."""

    path: Path       # the file
    folder: str      # its folder inside the site ("" for the root)
    text: str        # its HTML, with the steps' changes so far
    read_as: str = field(repr=False, default="")  # as it was read (to write only what changed)

    @property
    def print_page(self) -> bool:
        return self.relative == PRINT_PAGE_FILE

    @property
    def relative(self) -> str:
        """Its path inside the site."""
        return f"{self.folder}/{self.path.name}" if self.folder else self.path.name


def read_pages(site: Path) -> list[BuiltPage]:
    """Every HTML file of the built site, read once, in path order."""
    pages = []
    for path in sorted(site.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        folder = path.parent.relative_to(site).as_posix()
        pages.append(BuiltPage(path, "" if folder == "." else folder, text, text))
    return pages


def write_pages(pages: Iterable[BuiltPage]) -> int:
    """Write each page the steps changed, once. Returns how many."""
    written = 0
    for page in pages:
        if page.text != page.read_as:
            page.path.write_text(page.text, encoding="utf-8")
            page.read_as = page.text
            written += 1
    return written
