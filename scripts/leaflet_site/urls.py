"""A link in a built page, as a file of the built site; and the files a page
loads. One resolver and one scanner for the stylesheet bundle, the page
weight, the link check and the offline copy."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit


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

_TAG = re.compile(r"<(/?)(details|link|script|img)\b([^>]*)>", re.I)
_ATTR = re.compile(r'([\w-]+)(?:="([^"]*)")?')
_SEARCH_WORKER = re.compile(r'"search": "([^"]+)"')


@dataclass(frozen=True)
class Load:
    url: str    # as written on the page
    when: str   # "now": with the page; "tap": a lazy picture in a closed block;
                # "later": only when asked for (Material's script, for the search)


def page_loads(page_html: str) -> list[Load]:
    """Every file a page loads, and when. One pass over the tags that matter
    (a full HTML parse of every page doubled the check's time at 1,000 pages)."""
    found, closed = [], []  # closed: for each <details> we are inside, is it shut?
    for end, tag, attrs in _TAG.findall(page_html):
        tag = tag.lower()
        a = {name.lower(): value for name, value in _ATTR.findall(attrs)}
        if tag == "details":
            if end and closed:
                closed.pop()
            elif not end:
                closed.append("open" not in a)
        elif tag == "link" and set(a.get("rel", "").split()) & {"stylesheet", "icon", "preload", "modulepreload"}:
            found.append(Load(a.get("href", ""), "now"))
        elif tag == "script" and not end:
            # data-src: leaflet.js, loaded once the page has loaded;
            # data-material: Material's script, loaded when the search opens.
            found.append(Load(a.get("src") or a.get("data-src", ""), "now"))
            if a.get("data-material"):
                found.append(Load(a["data-material"], "later"))
        elif tag == "img":
            # A lazy picture in a closed <details> is fetched only when opened;
            # any other picture counts (browsers fetch lazy ones near the screen too).
            found.append(Load(a.get("src", ""), "tap" if a.get("loading") == "lazy" and any(closed) else "now"))
    found += [Load(url, "later") for url in _SEARCH_WORKER.findall(page_html)]
    return [f for f in found if f.url]
