"""How the build shapes the leaflet's pages: the text the hook puts in
place of placeholders (details, contact, glossary, history, GP addresses),
the glossary pop-ups, the words only search sees, the printed addresses of
links, scripts loaded later and the security policy.

Each job is a function that takes data and returns text, so it can be tested
without building a site; overrides/hooks/leaflet.py calls them.
"""

from __future__ import annotations

import base64
import hashlib
import html as html_lib
import posixpath
import re

from .addresses import Addresses
from .findings import LeafletError
from .model import Details, Leaflet, Release, Term, long_date
from .styles import INLINE_SCRIPT

PLACEHOLDER = re.compile(r"<!--\s*leaflet:([a-z-]+)\s*-->")


def details_table(d: Details) -> str:
    """The 'Leaflet details' table of the About page, in Markdown."""
    rows = [
        ("Version", d.version),
        ("First published", long_date(d.first_published)),
        ("Last reviewed", long_date(d.last_reviewed)),
        ("Next review due", long_date(d.next_review_due)),
        ("Reference number", d.reference or "Not given yet"),
        ("Written by", d.department),
        ("Approved by", d.approved_by or "Not recorded on this site yet"),
    ]
    lines = ["| Detail | Value |", "| --- | --- |"]
    lines += [f"| {name} | {value} |" for name, value in rows]
    return "\n".join(lines)


def contact_text(d: Details) -> str:
    if d.phone:
        return f"If you have a question, phone the {d.department.lower()} on {d.phone}."
    return "If you have a question, use the phone number on your appointment letter."


def abbreviations(terms: list[Term]) -> dict[str, str]:
    """The abbr extension's glossary: each form as written and with a capital
    letter, and its meaning. (Given to the extension, not written into every
    page: Markdown re-reads a block of definitions once for each line, which
    cost 10 ms a page.)"""
    glossary = {}
    for t in terms:
        for form in (t.term, *t.forms):
            for variant in dict.fromkeys((form, form[:1].upper() + form[1:])):
                glossary[variant] = t.meaning
    return glossary


def glossary_list(terms: list[Term]) -> str:
    """The 'Words we use' page body: a definition list."""
    return "\n\n".join(f"{t.term[:1].upper() + t.term[1:]}\n:   {t.meaning}" for t in terms)


def history_text(releases: list[Release]) -> str:
    """The "What changed" page body, newest version first."""
    parts = []
    for r in releases:
        parts.append(f"## Version {r.version}\n\nPublished on {long_date(r.date)}.\n\n{r.changes}\n\n"
                     f"Approved by: {r.approved_by or 'not recorded on this site yet'}.")
    return "\n\n".join(parts)


def fill_placeholders(markdown: str, source: str, parts: dict[str, str]) -> str:
    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name not in parts:
            line = markdown.count("\n", 0, match.start()) + 1
            raise LeafletError(source, line, f"Unknown placeholder 'leaflet:{name}'.",
                               f"Use one of {', '.join(sorted(parts))}.")
        return parts[name]

    return PLACEHOLDER.sub(replace, markdown)




def content_security_policy(page_html: str) -> str:
    """A policy that lets the page load only from its own site: the inline
    scripts the theme writes are allowed by their hashes, nothing else."""
    hashes = sorted({
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode() + "'"
        for body in INLINE_SCRIPT.findall(page_html)
    })
    return "; ".join([
        "default-src 'self'",
        " ".join(["script-src 'self'", *hashes]),
        "style-src 'self' 'unsafe-inline'",  # the theme sets style attributes
        "img-src 'self' data:",               # the theme's icons are data: URLs
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ])


def add_csp(page_html: str) -> str:
    meta = f'<meta http-equiv="Content-Security-Policy" content="{content_security_policy(page_html)}">'
    head = page_html.find("<head>")
    if head == -1:
        raise LeafletError("overrides/main.html", None, "A built page has no <head>, so it cannot get its security policy.",
                           "Keep the theme's base.html as the page's template.")
    at = head + len("<head>")
    return page_html[:at] + "\n    " + meta + page_html[at:]


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
            "update load_scripts_later in scripts/leaflet_site/shaping.py.")
    loader = f'<script data-src="{ours.group(1)}" data-material="{bundle.group(1)}">{LOADER}</script>'
    page_html = page_html[: ours.start()] + loader + page_html[ours.end() :]
    return _MATERIAL_BUNDLE.sub("", page_html, count=1)


# print-site's styles and script are for the print page only.
_PRINT_SITE_ASSETS = re.compile(
    r'(?m)^[ \t]*(?:<link rel="stylesheet" href="[^"]*css/print-site(?:-material)?\.css">'
    r'|<script src="[^"]*js/print-site\.js"></script>)\n?')


def drop_print_site_assets(page_html: str) -> str:
    return _PRINT_SITE_ASSETS.sub("", page_html)


def finish_page(page_html: str, print_page: bool = False) -> str:
    """Every built page: scripts on demand, then the security policy."""
    if not print_page:
        page_html = drop_print_site_assets(page_html)
    return add_csp(load_scripts_later(page_html))




def gp_links(leaflet: Leaflet, qr_dir: str) -> str:
    """The GP page's list: for the leaflet and each section, its permanent
    address (under /latest/), a copy button, and its QR code; and the address
    of this version, which never changes."""
    a = leaflet.addresses
    blocks = []
    for n, section in enumerate([None, *leaflet.sections]):
        address = a.page(section.url if section else "")
        slug = section.slug if section else "leaflet"
        name = section.title if section else "the whole leaflet"
        heading = f"### {section.title}\n\n" if section else ""
        if n == 1:
            heading = "## Each section\n\n" + heading
        # Raw HTML: the QR files are made after the pages, so MkDocs cannot
        # see them; the site check follows these links in the built site.
        lazy = ' loading="lazy"' if section else ""
        qr = (f'<img src="../{qr_dir}/{slug}.svg" width="132" height="132" alt="QR code that opens {name}"'
              f'{lazy}>\n\n'
              f'<a href="../{qr_dir}/{slug}.png" download>Download the QR code for {name} (PNG, for posters)</a>')
        if section:
            # A section's QR code shows when asked for, so the page does not
            # download eight pictures first (a closed lazy picture is not fetched).
            qr = f'<details class="leaflet-qr" markdown>\n<summary>QR code for {name}</summary>\n\n{qr}\n\n</details>'
        blocks.append(
            f"{heading}Address: `{address}`"
            f' <button type="button" class="leaflet-copy md-button" data-copy="{address}">Copy the address of {name}</button>\n\n'
            + qr
        )
    return "\n\n".join(blocks)


def version_address(addresses: Addresses) -> str:
    """The GP page's one version-specific address: this version's own."""
    return (f"Each version also keeps its own address: this one, version {addresses.version}, stays at "
            f"`{addresses.this_version}`. Use that only when you need the exact version a patient was given.")


_INTERNAL_LINK = re.compile(r'<a href="((?:\.\./|\./)*[a-z0-9/-]*/?(?:#[^"]*)?)"')


def print_urls(page_html: str, page_url: str, addresses: Addresses) -> str:
    """Give each link to another page its short address (data-print-url), which
    the print styles show after the link text on paper."""

    def add(match: re.Match) -> str:
        href = match.group(1)
        path = href.split("#")[0]
        if not path:
            return match.group(0)  # a link within the page
        target = posixpath.normpath(posixpath.join(page_url or ".", path))
        target = "" if target == "." else target.strip("/") + "/"
        return f'{match.group(0)} data-print-url="{addresses.short(addresses.page(target))}"'

    return _INTERNAL_LINK.sub(add, page_html)
