"""The built pages, finished in one pass after the build: each page is read
once, changed in memory by the steps the hook lists (in the order of its
list), and written once.

A step changes a page by splicing the tags it finds (html_tags.py), so
every byte it does not mean to change stays as MkDocs and the theme wrote
it. Steps that need every page (the stylesheet reads every page's class
names) run between steps that change one page at a time; that is why the
pass holds the pages in memory until the last step has run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .names import PRINT_PAGE_FILE

# What reads and writes the pages' files: one place, so a test can count.
def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


@dataclass
class BuiltPage:
    """One built HTML file, as the pass has it so far."""

    path: Path       # the file
    folder: str      # its folder inside the site ("" for the root)
    text: str        # its HTML, with the steps' changes so far
    read_as: str = field(repr=False, default="")  # as it was read (to write only what changed)

    @property
    def print_page(self) -> bool:
        return self.folder + "/index.html" == PRINT_PAGE_FILE and self.path.name == "index.html"

    @property
    def relative(self) -> str:
        """Its path inside the site."""
        return f"{self.folder}/{self.path.name}" if self.folder else self.path.name


def read_pages(site: Path) -> list[BuiltPage]:
    """Every HTML file of the built site, read once, in path order."""
    pages = []
    for path in sorted(site.rglob("*.html")):
        text = _read(path)
        folder = path.parent.relative_to(site).as_posix()
        pages.append(BuiltPage(path, "" if folder == "." else folder, text, text))
    return pages


PageStep = Callable[[BuiltPage], None]


def each_page(pages: Iterable[BuiltPage], *steps: PageStep) -> None:
    """Run the steps on every page, in the order given."""
    for page in pages:
        for step in steps:
            step(page)


def write_pages(pages: Iterable[BuiltPage]) -> int:
    """Write each page the steps changed, once. Returns how many."""
    written = 0
    for page in pages:
        if page.text != page.read_as:
            _write(page.path, page.text)
            page.read_as = page.text
            written += 1
    return written
