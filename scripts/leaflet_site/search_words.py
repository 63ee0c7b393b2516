"""Each section's everyday words, for the search only."""

from __future__ import annotations

import html as html_lib
import re

from .findings import LeafletError


def add_search_words(page_html: str, words: object, source: str) -> str:
    """Put each section's everyday words (front matter `search_words`) after
    its heading, hidden: the search finds them, nobody sees or hears them.
    `page` means the page's first heading; other keys are heading ids."""
    if words is None:
        return page_html
    if not isinstance(words, dict):
        raise LeafletError(source, None, "search_words must list heading ids, each with its words.", "See CONTRIBUTING.md.")
    ids = re.findall(r'<h[1-6] id="([^"]+)"', page_html)
    for key, value in words.items():
        if isinstance(value, list):
            value = ", ".join(map(str, value))
        text = html_lib.escape(" ".join(str(value).split()))
        target = ids[0] if key == "page" and ids else key
        match = re.search(rf'<h([1-6]) id="{re.escape(target)}"[^>]*>.*?</h\1>', page_html, re.S)
        if not match:
            raise LeafletError(source, None, f"search_words names the heading '{key}', which is not on the page.",
                               f"Use 'page' or one of: {', '.join(ids)}.")
        hidden = f'<div class="leaflet-search-words" hidden>{text}</div>'
        page_html = page_html[: match.end()] + hidden + page_html[match.end() :]
    return page_html
