"""What a page loads, and when: Material's script only for the search,
leaflet.js after the page, print-site's files only on the print page."""

from __future__ import annotations

import re

from .findings import LeafletError


# Material's own script (search, and its extras) is 35 KB compressed: more than
# the rest of a page together. Pages load it only when a patient opens the
# search (leaflet.js, data-material). leaflet.js itself (4 KB) loads once the
# page has loaded, so that it never competes with the text and stylesheet for
# a slow connection (measured: it put 0.3 s on Lighthouse's LCP).
# Whole lines, anchored at their start: a pattern that began with \s* would be
# tried at every space of Material's deep indentation (seconds at 1,000 pages).
_MATERIAL_BUNDLE = re.compile(r'(?m)^[ \t]*<script src="([^"]*assets/javascripts/bundle\.[0-9a-f]+\.min\.js)"></script>\n?')


_LEAFLET_JS = re.compile(r'<script src="([^"]*assets/leaflet\.js)"[^>]*></script>')


LOADER = ('(function(t){addEventListener("load",function(){var s=document.createElement("script");'
          's.src=t.getAttribute("data-src");s.setAttribute("data-material",t.getAttribute("data-material"));'
          'document.body.appendChild(s)})})(document.currentScript)')


def load_scripts_later(page_html: str) -> str:
    """Take Material's script tag out, and load leaflet.js after the page (it
    knows where Material's script is)."""
    bundle = _MATERIAL_BUNDLE.search(page_html)
    ours = _LEAFLET_JS.search(page_html)
    if not bundle or not ours:
        raise LeafletError("mkdocs.yml", None,
            "A built page lacks Material's script or assets/leaflet.js, so they could not be loaded later.",
            "Keep assets/leaflet.js in extra_javascript in mkdocs.yml; if Material was updated, "
            "update load_scripts_later in scripts/leaflet_site/loading.py.")
    loader = f'<script data-src="{ours.group(1)}" data-material="{bundle.group(1)}">{LOADER}</script>'
    page_html = page_html[: ours.start()] + loader + page_html[ours.end() :]
    return _MATERIAL_BUNDLE.sub("", page_html, count=1)


# print-site's styles and script are for the print page only.
_PRINT_SITE_ASSETS = re.compile(
    r'(?m)^[ \t]*(?:<link rel="stylesheet" href="[^"]*css/print-site(?:-material)?\.css">'
    r'|<script src="[^"]*js/print-site\.js"></script>)\n?')


def drop_print_site_assets(page_html: str) -> str:
    return _PRINT_SITE_ASSETS.sub("", page_html)
