"""Each section's everyday words, for the search only."""

from __future__ import annotations

import html as html_lib

from .findings import LeafletError
from .html_tags import Tag, in_order, splice

_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def _headings(page_html: str) -> list[Tag]:
    """The page's headings that carry an id, as the Markdown writes them:
    `<hN id="...">`."""
    return [t for t in in_order(page_html, _HEADINGS) if t.attrs[:1] and t.attrs[0][0] == "id"
            and page_html.startswith(f'<{t.name} id="', t.start)]


def add_search_words(page_html: str, words: object, source: str) -> str:
    """Put each section's everyday words (front matter `search_words`) after
    its heading, hidden: the search finds them, nobody sees or hears them.
    `page` means the page's first heading; other keys are heading ids."""
    if words is None:
        return page_html
    if not isinstance(words, dict):
        raise LeafletError(source, None, "search_words must list heading ids, each with its words.", "See CONTRIBUTING.md.")
    headings = _headings(page_html)
    ids = [h.get("id") for h in headings]
    edits = []
    for key, value in words.items():
        if isinstance(value, list):
            value = ", ".join(map(str, value))
        text = html_lib.escape(" ".join(str(value).split()))
        target = ids[0] if key == "page" and ids else key
        heading = next((h for h in headings if h.get("id") == target), None)
        end = page_html.find(f"</{heading.name}>", heading.end) if heading else -1
        if heading is None or end == -1:
            raise LeafletError(source, None, f"search_words names the heading '{key}', which is not on the page.",
                               f"Use 'page' or one of: {', '.join(ids)}.")
        at = end + len(f"</{heading.name}>")
        edits.append((at, at, f'<div class="leaflet-search-words" hidden>{text}</div>'))
    # Two keys for one heading: the later one first, as the words have
    # always been put in (each straight after the heading).
    return splice(page_html, reversed(edits))
