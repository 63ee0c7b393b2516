"""The contents list of the leaflet's sections, put under each section
page's heading (overrides/partials/leaflet-contents.html)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .findings import LeafletError
from .html_tags import close_of, first_tag
from .model import Leaflet

TEMPLATE = "partials/leaflet-contents.html"


def contents_list(leaflet: Leaflet, page_url: str, render: Callable[..., str]) -> str | None:
    """The list for the page at `page_url` (None if it is not a section).
    `render(**values)`: the template, rendered."""
    urls = [s.url for s in leaflet.sections]
    if page_url not in urls:
        return None
    sections: list[dict[str, Any]] = [{"title": s.title, "href": relative(s.url, page_url) + "/"} for s in leaflet.sections]
    return render(title=leaflet.details.title, publisher=leaflet.details.publisher, sections=sections,
                  number=urls.index(page_url) + 1)


def relative(url: str, base: str) -> str:
    """`url` as a link from the page at `base` (both site paths, such as
    "risks/"), as posixpath.relpath gives it without reading the working
    folder each time: every section page lists every section, so a site of
    n sections asks n times n (at 100 pages it was a quarter of the hook's
    time)."""
    to, at = [p for p in url.split("/") if p], [p for p in base.split("/") if p]
    same = 0
    while same < min(len(to), len(at)) and to[same] == at[same]:
        same += 1
    return "/".join([".."] * (len(at) - same) + to[same:]) or "."


def after_heading(page_html: str, insert: str, source: str) -> str:
    """`insert` just after the page's main heading (every page starts with
    one: the check makes sure)."""
    heading = first_tag(page_html, "h1")
    end = close_of(page_html, heading) if heading else -1
    if end == -1:
        raise LeafletError(source, 1, "The page does not start with a main heading.",
                           "Make the first line of the page a level 1 heading: one # then a space.")
    end += len("</h1>")
    return page_html[:end] + "\n" + insert + page_html[end:]
