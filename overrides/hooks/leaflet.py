"""Build-time hook: leaflet details, glossary pop-ups and page placeholders.

Each concern is one small function that takes data and returns text, so it
can be tested without building a site. The MkDocs events at the bottom only
hand data to them. Bad input raises a PluginError that names the file and
says how to fix it.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html as html_lib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from mkdocs.exceptions import PluginError

import leaflet_css
import leaflet_print

GLOSSARY_FILE = "glossary.yml"  # inside docs/
CHANGELOG_FILE = "changelog.yml"  # inside docs/
GLOSSARY_PAGE = "glossary.md"
PLACEHOLDER = re.compile(r"<!--\s*leaflet:([a-z-]+)\s*-->")
# NHS guidance: review patient information at least every 3 years.
MAX_REVIEW_YEARS = 3


@dataclass(frozen=True)
class Details:
    title: str
    department: str
    version: str
    first_published: dt.date
    last_reviewed: dt.date
    next_review_due: dt.date
    reference: str
    approved_by: str
    phone: str


def long_date(day: dt.date) -> str:
    """28 November 2026: the date style of the NHS style guide."""
    return f"{day.day} {day:%B %Y}"


def _date(raw: dict, key: str) -> dt.date:
    value = raw.get(key)
    if isinstance(value, dt.date):
        return value
    raise PluginError(
        f"mkdocs.yml: extra.leaflet.{key} is {value!r}, which is not a date. "
        f"Fix: write it as YYYY-MM-DD, for example {key}: 2026-11-28"
    )


def parse_details(raw: dict | None) -> Details:
    """Check the leaflet details in mkdocs.yml (extra.leaflet) and return them."""
    if not isinstance(raw, dict):
        raise PluginError(
            "mkdocs.yml: extra.leaflet is missing. "
            "Fix: add the leaflet details block (see CONTRIBUTING.md)."
        )
    text = {}
    for key in ("title", "department", "version"):
        value = raw.get(key)
        if value is None or not str(value).strip():
            raise PluginError(
                f"mkdocs.yml: extra.leaflet.{key} is empty. Fix: fill it in."
            )
        text[key] = str(value).strip()
    if not re.fullmatch(r"\d+\.\d+", text["version"]):
        raise PluginError(
            f"mkdocs.yml: extra.leaflet.version is {text['version']!r}. "
            'Fix: write it as two numbers with a dot, in quotes, for example "1.2".'
        )
    details = Details(
        **text,
        first_published=_date(raw, "first_published"),
        last_reviewed=_date(raw, "last_reviewed"),
        next_review_due=_date(raw, "next_review_due"),
        reference=str(raw.get("reference") or "").strip(),
        approved_by=str(raw.get("approved_by") or "").strip(),
        phone=str(raw.get("phone") or "").strip(),
    )
    if details.last_reviewed < details.first_published:
        raise PluginError(
            "mkdocs.yml: extra.leaflet.last_reviewed is before first_published. "
            "Fix: check both dates."
        )
    if not details.last_reviewed < details.next_review_due:
        raise PluginError(
            "mkdocs.yml: extra.leaflet.next_review_due must be after last_reviewed. "
            "Fix: set it to a later date."
        )
    latest = details.last_reviewed.replace(year=details.last_reviewed.year + MAX_REVIEW_YEARS)
    if details.next_review_due > latest:
        raise PluginError(
            f"mkdocs.yml: extra.leaflet.next_review_due is more than {MAX_REVIEW_YEARS} years "
            f"after last_reviewed. Fix: set it to {latest.isoformat()} or earlier."
        )
    return details


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


@dataclass(frozen=True)
class Term:
    term: str
    meaning: str
    forms: tuple[str, ...]


def parse_glossary(raw: object, source: str) -> list[Term]:
    """Check the glossary list and return its terms, sorted A to Z."""
    if not isinstance(raw, list) or not raw:
        raise PluginError(f"{source}: expected a list of words. Fix: see the comment at the top of the file.")
    terms = []
    for n, item in enumerate(raw, start=1):
        if not isinstance(item, dict) or not item.get("term") or not item.get("meaning"):
            raise PluginError(
                f"{source}: entry {n} needs both 'term' and 'meaning'. Fix: add the missing one."
            )
        forms = item.get("forms") or []
        if not isinstance(forms, list):
            raise PluginError(f"{source}: 'forms' of {item['term']!r} must be a list, like [dose, doses].")
        terms.append(Term(str(item["term"]), " ".join(str(item["meaning"]).split()), tuple(map(str, forms))))
    return sorted(terms, key=lambda t: t.term.lower())


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


@dataclass(frozen=True)
class Release:
    version: str
    date: dt.date
    changes: str
    approved_by: str


def parse_changelog(raw: object, source: str) -> list[Release]:
    """Check the changelog: a list of versions, newest first, each with a date
    and a plain description of what changed."""
    if not isinstance(raw, list) or not raw:
        raise PluginError(f"{source}: expected a list of versions. Fix: see the comment at the top of the file.")
    releases = []
    for n, item in enumerate(raw, start=1):
        if not isinstance(item, dict) or not item.get("version") or not item.get("changes"):
            raise PluginError(f"{source}: entry {n} needs a version and what changed (changes). Fix: add them.")
        if not isinstance(item.get("date"), dt.date):
            raise PluginError(
                f"{source}: the date of version {item['version']} is {item.get('date')!r}. "
                "Fix: write it as YYYY-MM-DD, for example date: 2026-11-28"
            )
        releases.append(Release(str(item["version"]), item["date"], " ".join(str(item["changes"]).split()),
                                str(item.get("approved_by") or "").strip()))
    return releases


def history_text(releases: list[Release]) -> str:
    """The "What changed" page body, newest version first."""
    parts = []
    for r in releases:
        parts.append(f"## Version {r.version}\n\nPublished on {long_date(r.date)}.\n\n{r.changes}\n\n"
                     f"Approved by: {r.approved_by or 'not recorded on this site yet'}.")
    return "\n\n".join(parts)


def gp_links(site_url: str, sections: list[tuple[str, str]]) -> str:
    """The GP page's list: for the leaflet and each section, its permanent
    address (always the latest version), a copy button, and its QR code."""
    latest = site_url.rstrip("/") + "/latest/"
    blocks = []
    for n, (title, url) in enumerate([("", ""), *sections]):
        address = site_url if not url else latest + url
        slug = leaflet_print.qr_slug(url)
        name = title or "the whole leaflet"
        heading = f"### {title}\n\n" if title else ""
        if n == 1:
            heading = "## Each section\n\n" + heading
        # Raw HTML: the QR files are made after the pages, so MkDocs cannot
        # see them; the site check follows these links in the built site.
        lazy = ' loading="lazy"' if title else ""
        qr = (f'<img src="../{leaflet_print.QR_DIR}/{slug}.svg" width="132" height="132" alt="QR code that opens {name}"'
              f'{lazy}>\n\n'
              f'<a href="../{leaflet_print.QR_DIR}/{slug}.png" download>Download the QR code for {name} (PNG, for posters)</a>')
        if title:
            # A section's QR code shows when asked for, so the page does not
            # download eight pictures first (a closed lazy picture is not fetched).
            qr = f'<details class="leaflet-qr" markdown>\n<summary>QR code for {name}</summary>\n\n{qr}\n\n</details>'
        blocks.append(
            f"{heading}Address: `{address}`"
            f' <button type="button" class="leaflet-copy md-button" data-copy="{address}">Copy the address of {name}</button>\n\n'
            + qr
        )
    return "\n\n".join(blocks)


def fill_placeholders(markdown: str, source: str, parts: dict[str, str]) -> str:
    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name not in parts:
            line = markdown.count("\n", 0, match.start()) + 1
            raise PluginError(
                f"{source}:{line}: unknown placeholder 'leaflet:{name}'. "
                f"Fix: use one of {', '.join(sorted(parts))}."
            )
        return parts[name]

    return PLACEHOLDER.sub(replace, markdown)




def content_security_policy(page_html: str) -> str:
    """A policy that lets the page load only from its own site: the inline
    scripts the theme writes are allowed by their hashes, nothing else."""
    hashes = sorted({
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode() + "'"
        for body in leaflet_css.INLINE_SCRIPT.findall(page_html)
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
        raise PluginError("A built page has no <head>; cannot add the Content-Security-Policy.")
    at = head + len("<head>")
    return page_html[:at] + "\n    " + meta + page_html[at:]


def add_search_words(page_html: str, words: object, source: str) -> str:
    """Put each section's everyday words (front matter `search_words`) after
    its heading, hidden: the search finds them, nobody sees or hears them.
    `page` means the page's first heading; other keys are heading ids."""
    if words is None:
        return page_html
    if not isinstance(words, dict):
        raise PluginError(f"{source}: search_words must list heading ids, each with its words. Fix: see CONTRIBUTING.md.")
    ids = re.findall(r'<h[1-6] id="([^"]+)"', page_html)
    for key, value in words.items():
        if isinstance(value, list):
            value = ", ".join(map(str, value))
        text = html_lib.escape(" ".join(str(value).split()))
        target = ids[0] if key == "page" and ids else key
        match = re.search(rf'<h([1-6]) id="{re.escape(target)}"[^>]*>.*?</h\1>', page_html, re.S)
        if not match:
            raise PluginError(
                f"{source}: search_words names the heading '{key}', which is not on the page. "
                f"Fix: use 'page' or one of: {', '.join(ids)}."
            )
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
        raise PluginError(
            "A built page lacks Material's script or assets/leaflet.js, so they could not be "
            "loaded later. Fix: keep assets/leaflet.js in extra_javascript in mkdocs.yml; "
            "if Material was updated, update load_scripts_later in overrides/hooks/leaflet.py."
        )
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


# --- MkDocs events ---------------------------------------------------------

_state: dict = {}


def _read_yaml(path: Path) -> object:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PluginError(f"docs/{path.name} is missing. Fix: restore it from git.") from None
    except yaml.YAMLError as err:
        raise PluginError(f"docs/{path.name} is not valid YAML ({err}). Fix: check the indentation.") from None


def on_config(config):
    details = parse_details(config.extra.get("leaflet"))
    _state["pdf"] = leaflet_print.pdf_wanted(_state.get("command", "build"))
    terms = parse_glossary(_read_yaml(Path(config.docs_dir) / GLOSSARY_FILE), f"docs/{GLOSSARY_FILE}")
    releases = parse_changelog(_read_yaml(Path(config.docs_dir) / CHANGELOG_FILE), f"docs/{CHANGELOG_FILE}")
    this = next((r for r in releases if r.version == details.version), None)
    _state.update(
        abbr=abbreviations(terms),
        parts={
            "details": details_table(details),
            "contact": contact_text(details),
            "glossary": glossary_list(terms),
            "history": history_text(releases),
        },
    )
    # Dates in the built files (sitemap) come from the leaflet, not the clock,
    # so two builds of one commit are byte for byte the same.
    reviewed = dt.datetime.combine(details.last_reviewed, dt.time(), dt.timezone.utc)
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(int(reviewed.timestamp())))
    config.extra["review"] = {
        "title": details.title,
        "department": details.department,
        "reference": details.reference or "Not given yet",
        "short_url": short_url(config.site_url),
        "pdf": leaflet_print.pdf_names(details.version) if _state["pdf"] else None,
        # The link-preview picture is drawn by Chromium with the PDFs.
        "preview": (config.site_url or "").rstrip("/") + "/latest/" + leaflet_print.PREVIEW_FILE if _state["pdf"] else None,
        # Before its release a version has no date yet; it is "not yet published".
        "published": long_date(this.date) if this else "not yet published",
        "version": details.version,
        "last_reviewed": long_date(details.last_reviewed),
        "last_reviewed_iso": details.last_reviewed.isoformat(),
        "next_review_due": long_date(details.next_review_due),
        "next_review_due_iso": details.next_review_due.isoformat(),
    }
    return config


def short_url(url: str | None) -> str:
    """The site's address as people write it: no https://, no trailing slash."""
    return re.sub(r"^https?://", "", url or "").rstrip("/")


def on_nav(nav, config, files):
    # The leaflet's sections, in reading order, for the GP page's addresses.
    _state["sections"] = [(p.title, p.url) for p in nav.pages
                          if p.url and p.file.src_uri in leaflet_print.SECTION_FILES]
    _state["parts"]["gp-links"] = gp_links(config.site_url or "", _state["sections"])
    return nav


def on_startup(command, dirty):
    _state["command"] = command


_INTERNAL_LINK = re.compile(r'<a href="((?:\.\./|\./)*[a-z0-9/-]*/?(?:#[^"]*)?)"')


def print_urls(page_html: str, page_url: str, site_url: str) -> str:
    """Give each link to another page its short address (data-print-url), which
    the print styles show after the link text on paper."""
    import posixpath

    base = short_url(site_url) + "/latest/"

    def add(match: re.Match) -> str:
        href = match.group(1)
        path = href.split("#")[0]
        if not path:
            return match.group(0)  # a link within the page
        target = posixpath.normpath(posixpath.join(page_url or ".", path))
        target = "" if target == "." else target.strip("/") + "/"
        return f'{match.group(0)} data-print-url="{base}{target}"'

    return _INTERNAL_LINK.sub(add, page_html)


def on_page_content(html, page, config, files):
    html = add_search_words(html, page.meta.get("search_words"), f"docs/{page.file.src_uri}")
    return print_urls(html, page.url, config.site_url or "")


def on_page_context(context, page, config, nav):
    # Search engines and shared links should point at the current version.
    if config.site_url:
        page.canonical_url = config.site_url.rstrip("/") + "/latest/" + page.url
    return context


def on_page_markdown(markdown, page, config, files):
    source = f"docs/{page.file.src_uri}"
    if markdown.startswith("---"):
        # MkDocs could not read the front matter, so it would print it as text.
        raise PluginError(
            f"{source}:1: the front matter (between the --- lines at the top) is not valid YAML. "
            "Fix: write each setting as 'name: value' on its own line; put text with a colon in quotes."
        )
    # MkDocs makes a Markdown converter for each page from these settings:
    # every page but the glossary itself gets the glossary words.
    abbr = config.mdx_configs.setdefault("abbr", {})
    abbr["glossary"] = {} if page.file.src_uri == GLOSSARY_PAGE else _state["abbr"]
    return fill_placeholders(markdown, source, _state["parts"])


def on_post_page(output, page, config):
    # print-site fills the print page in later (on_post_build), from this output.
    return finish_page(output, print_page=page.url == "print_page/")


def on_post_template(output_content, template_name, config):
    return finish_page(output_content) if template_name.endswith(".html") else output_content


def on_post_build(config):
    # print-site writes the print page in its own on_post_build, which runs
    # before this hook's (hooks come after plugins).
    site = Path(config.site_dir)
    leaflet_print.write_qr(config.site_url or "", site / leaflet_print.QR_FILE)
    leaflet_print.write_section_qrs(config.site_url or "", [url for _, url in _state["sections"]], site)
    page = site / "print_page" / "index.html"
    if page.exists():
        html = leaflet_print.finish_print_page(page.read_text(encoding="utf-8"))
        page.write_text(finish_page(html, print_page=True), encoding="utf-8")
    # One small stylesheet instead of the theme's and ours: before the PDFs,
    # so they are printed with what the site serves, and before the offline
    # copy's list of files, which reads the pages' links.
    leaflet_css.bundle_styles(site, [str(c) for c in config.extra_css],
                              sorted(site.glob("assets/javascripts/**/*.js")),
                              [site / str(js) for js in config.extra_javascript],
                              urlsplit(config.site_url or "/").path, print_only=("assets/print.css",))
    if page.exists():
        if _state["pdf"]:
            review = config.extra["review"]
            leaflet_print.make_pdfs(site, f"{review['title']} (version {review['version']})", review["pdf"])
            leaflet_print.make_preview(site, review["title"], review["department"])
        leaflet_print.write_service_worker(site, config.extra["review"]["version"])
