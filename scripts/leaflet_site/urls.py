"""A link in a built page, as a file of the built site; and the files a page
loads. One resolver and one scanner for the stylesheet bundle, the page
weight, the link check and the offline copy."""

from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from .html_tags import Tag, find_all, in_order, scripts


def in_site(folder: str, url: str, base_path: str = "/") -> str | None:
    """The path inside the site that `url`, written on a page in `folder`
    (its path inside the site, "" or "." for the root), opens; None when it
    leads elsewhere (another site, above the site's root, nothing).
    `base_path`: the path of the site's own address, for absolute links
    (the 404 page's)."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = unquote(parts.path)
    if path.startswith("/"):
        base = "/" + base_path.strip("/") + "/" if base_path.strip("/") else "/"
        if not (path + "/").startswith(base):
            return None
        path = path[len(base):]
    else:
        path = posixpath.join("" if folder in ("", ".") else folder, path)
    target = posixpath.normpath(path) if path else "."
    if target == ".." or target.startswith("../"):
        return None
    return "" if target == "." else target


# --- what a page loads -------------------------------------------------------

@dataclass(frozen=True)
class Load:
    url: str    # as written on the page
    when: str   # "now": with the page; "tap": a lazy picture in a closed block;
                # "later": only when asked for (Material's script, for the search)


def page_loads(page_html: str) -> list[Load]:
    """Every file a page loads, and when. The few tags that matter are found
    and read one by one (a full HTML parse of every page doubled the check's
    time at 1,000 pages)."""
    found: list[Load] = []
    closed: list[bool] = []  # for each <details> we are inside, is it shut?
    ends: list[tuple[int, Tag | str]] = [(at, "/details") for at in find_all(page_html, "</details>")]
    tags = sorted([(t.start, t) for t in in_order(page_html, ("details", "link", "script", "img"))] + ends,
                  key=lambda item: item[0])
    for _, tag in tags:
        if isinstance(tag, str):
            if closed:
                closed.pop()
        elif tag.name == "details":
            closed.append(not tag.has("open"))
        elif tag.name == "link" and set(tag.get("rel").split()) & {"stylesheet", "icon", "preload", "modulepreload"}:
            found.append(Load(tag.get("href"), "now"))
        elif tag.name == "script":
            # data-src: leaflet.js, loaded once the page has loaded;
            # data-material: Material's script, loaded when the search opens.
            found.append(Load(tag.get("src") or tag.get("data-src"), "now"))
            if tag.get("data-material"):
                found.append(Load(tag.get("data-material"), "later"))
        elif tag.name == "img":
            # A lazy picture in a closed <details> is fetched only when opened;
            # any other picture counts (browsers fetch lazy ones near the screen too).
            found.append(Load(tag.get("src"), "tap" if tag.get("loading") == "lazy" and any(closed) else "now"))
    found += [Load(url, "later") for url in _search_worker(page_html)]
    return [f for f in found if f.url]


def _search_worker(page_html: str) -> list[str]:
    """The search's worker script, named in Material's settings (the
    `__config` script, JSON)."""
    for script in scripts(page_html):
        if script.tag.get("id") == "__config":
            worker = json.loads(script.body(page_html)).get("search")
            return [worker] if isinstance(worker, str) else []
    return []
