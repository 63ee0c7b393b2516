"""What a page loads, and when: Material's script only for the search,
leaflet.js after the page, print-site's files only on the print page.

The scripts are written by the `scripts` block of overrides/main.html; what
the block needs comes from here (`script_plan`), checked once at config time.
print-site's stylesheets are linked outside any block of Material's
base.html, so they are taken off other pages after the build of each page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .findings import LeafletError
from .html_tags import splice, stylesheet_lines
from .material import BUNDLE, PRINT_SITE_FILES, PRINT_SITE_STYLES
from .names import CONFIG_FILE, LEAFLET_JS

# Material's own script (search, and its extras) is 35 KB compressed: more than
# the rest of a page together. Pages load it only when a patient opens the
# search (leaflet.js, data-material). leaflet.js itself (4 KB) loads once the
# page has loaded, so that it never competes with the text and stylesheet for
# a slow connection (measured: it put 0.3 s on Lighthouse's LCP).


def shrink_script(site: Path) -> None:
    """leaflet.js as the site serves it: without its comments and spaces
    (rjsmin; 5.3 KB compressed becomes about 3 KB on every first visit).
    The file in docs/ keeps them for people to read."""
    import rjsmin

    path = site / LEAFLET_JS
    path.write_text(rjsmin.jsmin(path.read_text(encoding="utf-8")), encoding="utf-8")


def script_plan(extra_javascript: list[Any]) -> dict[str, Any]:
    """For the scripts block: Material's script, ours, and the other scripts
    to link as usual (print-site's only on the print page)."""
    paths = [getattr(s, "path", s) for s in extra_javascript]
    if LEAFLET_JS not in paths:
        raise LeafletError(CONFIG_FILE, None, f"extra_javascript does not list {LEAFLET_JS}, which every page needs.",
                           f"Put {LEAFLET_JS} back under extra_javascript.")
    return {"material": BUNDLE, "leaflet": LEAFLET_JS, "print_site": [p for p in paths if p in PRINT_SITE_FILES]}


def drop_print_site_assets(page_html: str) -> str:
    """The page without print-site's stylesheets: each is linked on a line
    of its own, outside any block of Material's base.html."""
    edits = [(*line, "") for _, href, line in stylesheet_lines(page_html) if href.endswith(PRINT_SITE_STYLES)]
    return splice(page_html, edits) if edits else page_html

