"""Print page, QR code and PDFs, made at build time from the built site.

- The print page gets a table of contents written into its HTML (print-site
  only fills one in with JavaScript) and a class for its own styles.
- The QR code (SVG, made offline with segno) opens the site's own address.
- The PDFs (standard and large print) are printed from the print page by the
  system Chromium through Playwright, over HTTP on 127.0.0.1: tagged, with a
  bookmark for every heading. Their dates come from SOURCE_DATE_EPOCH so two
  builds give the same bytes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import html as html_lib
import itertools
import logging
import os
import posixpath
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import cache
from .addresses import Addresses
from .chromium import INSTALL, executable as chromium, launched
from .findings import LeafletError
from .html_tags import Edit, Tag, close_of, parse_tags, splice, start_tags, text_of
from .model import Leaflet
from .names import CONFIG_FILE, PDF_SWITCH, PREVIEW_FILE, PRINT_PAGE, QR_DIR, QR_FILE

if TYPE_CHECKING:  # segno is imported only when a QR code is drawn.
    import segno
    from playwright.sync_api import Browser

log = logging.getLogger("mkdocs.hooks.leaflet_print")

_said: dict[str, bool] = {}  # what serve has said once already


def pdf_wanted(command: str) -> bool:
    """Whether this build makes the PDFs. A build for publishing must: without
    Chromium it stops. `mkdocs serve` never does: printing them took 3 to 4 s
    of every rebuild, and an editor sees a saved sentence sooner without them
    (issue 32); `make build`, `make check` and `make release` make them, and
    serve says so once. LEAFLET_PDF=on makes them while serving too."""
    switch = os.environ.get(PDF_SWITCH, "").lower()
    if switch in ("off", "0", "no"):
        return False
    if command == "serve" and switch not in ("on", "1", "yes"):
        if not _said.get("serve"):
            log.info("The PDFs are not made while serving (make build makes them; LEAFLET_PDF=on makes them here).")
            _said["serve"] = True
        return False
    if chromium():
        return True
    if command == "serve":
        log.info(f"The PDFs are skipped: Chromium is not installed (apt-get install {INSTALL}).")
        return False
    raise LeafletError(CONFIG_FILE, None, "Chromium is needed to make the PDF of the leaflet, and it is not installed.",
                       f"Run apt-get install {INSTALL} (or set {PDF_SWITCH}=off for a quick build without PDFs).")


def write_qr_codes(leaflet: Leaflet, site: Path, for_gp_page: bool = True) -> None:
    """QR codes, each opening its permanent address under /latest/: the
    print cover's (SVG), and, when a page lists them (the GP page), the whole
    leaflet's and each section's, as SVG (on screen) and PNG (for posters)."""
    a = leaflet.addresses
    (site / QR_FILE).write_bytes(_qr(a.latest, "svg", title="QR code for the online leaflet"))
    if not for_gp_page:
        return
    folder = site / QR_DIR
    folder.mkdir(parents=True, exist_ok=True)
    for slug, url in [("leaflet", ""), *((s.slug, s.url) for s in leaflet.sections)]:
        (folder / f"{slug}.svg").write_bytes(_qr(a.page(url), "svg"))
        (folder / f"{slug}.png").write_bytes(_qr(a.page(url), "png"))


@functools.lru_cache(maxsize=32)
def _code(address: str) -> segno.QRCode:
    """An address's QR code, worked out once for all its pictures (each
    address has an SVG and a PNG: working it out is most of the time)."""
    import segno

    return segno.make(address, error="m")


@functools.lru_cache(maxsize=64)
def _qr(address: str, kind: str, title: str | None = None) -> bytes:
    """A QR code's picture: SVG for the screen, PNG at 10 pixels a module for
    posters. Remembered, so a rebuild of `make serve` draws none again, and
    kept in the build cache (leaflet_site.cache), so the next build of the
    same addresses draws none either: working out and drawing the 17
    pictures was a sixth of a build's own time (issue 29)."""
    def draw() -> bytes:
        import io

        out = io.BytesIO()
        code = _code(address)
        if kind == "svg":
            code.save(out, kind="svg", scale=4, border=4, xmldecl=False, **({"title": title} if title else {}))
        else:
            code.save(out, kind="png", scale=10, border=4)
        return out.getvalue()

    return cache.cached("qr", (address, kind, title or ""), draw)


@dataclass(frozen=True)
class _Section:
    """A section of the print page: print-site's <section> and the main
    heading it starts with."""
    id: str
    heading: str
    title: str  # the heading's text


def _sections(page_html: str, tags: list[Tag]) -> list[_Section]:
    found = []
    for tag, after in itertools.pairwise(tags):
        if (tag.name == "section" and tag.attrs[:1] == (("class", "print-page"),) and tag.attrs[1:2]
                and tag.attrs[1][0] == "id" and after.name == "h1" and after.attrs[:1] and after.attrs[0][0] == "id"
                and not page_html[tag.end:after.start].strip()):
            end = close_of(page_html, after)
            found.append(_Section(tag.get("id"), after.get("id"), text_of(page_html[after.end:end]).strip()))
    return found


def static_toc(sections: list[_Section]) -> str:
    items = "".join(f'<li><a href="#{s.heading}">{html_lib.escape(s.title)}</a></li>' for s in sections)
    return (f'<nav class="leaflet-toc" aria-labelledby="leaflet-toc-title">'
            f'<h2 id="leaflet-toc-title">Contents</h2><ol>{items}</ol></nav>')


def finish_print_page(page_html: str) -> str:
    """print-site's page, finished: the table of contents after the cover, a
    class for the print styles, and valid HTML (`_valid_print_page`). One
    parse of the page; every change is spliced into it."""
    tags = parse_tags(page_html)
    if any("leaflet-toc" in t.get("class").split() for t in tags):
        return page_html
    sections = _sections(page_html, tags)
    cover = next((t for t in tags if t.name == "section" and t.attrs == (("id", "print-site-cover-page"),)), None)
    cover_end = close_of(page_html, cover) if cover else -1
    if cover_end == -1:
        raise LeafletError(CONFIG_FILE, None, "The print page has no cover.",
                           "Set add_cover_page: true under plugins > print-site.")
    at = cover_end + len("</section>")
    edits = [(at, at, static_toc(sections))]
    body = next(t for t in tags if t.name == "body")
    if body.attrs:
        edits.append((body.start + len("<body"), body.start + len("<body"), ' class="leaflet-print"'))
    return splice(page_html, edits + _valid_print_page(page_html, tags, sections))


_NUMBERED = "print-site-enumerate-headings"  # print-site's class for numbered headings


def _valid_print_page(page_html: str, tags: list[Tag], sections: list[_Section]) -> list[Edit]:
    """print-site's page as valid HTML (the Nu HTML checker, issue 18):
    its heading-number attribute becomes a data- attribute, its heading
    styles move from the body to the head (or go, when no heading is numbered), and the contents' title is not a
    label for a checkbox the page does not have (the page is not in the
    navigation, where Material writes that checkbox)."""
    edits: list[Edit] = []
    # Links to a section (print-site's #page) go to its heading, as the
    # contents list does: one place, one address (WCAG 2.4.4).
    to_heading = {f"#{s.id}": f"#{s.heading}" for s in sections}
    for tag in tags:
        written = page_html[tag.start:tag.end]
        at = written.find(" heading-number=")
        if at != -1:
            edits.append((tag.start + at, tag.start + at + 1, " data-"))
        href = tag.get("href")
        if href in to_heading:
            at = written.find(f'href="{href}"')
            if at != -1:
                start = tag.start + at + len('href="')
                edits.append((start, start + len(href), to_heading[href]))
    style = next((t for t in tags if t.name == "style" and not t.attrs and page_html.startswith("." + _NUMBERED, t.end)
                  and page_html.endswith("</div>", 0, t.start)), None)
    if style is not None:
        end = close_of(page_html, style) + len("</style>")
        edits.append((style.start, end, ""))
        # Its rules number headings inside an element of that class, which
        # print-site writes only with enumerate_headings: without it they
        # style nothing (and cost the print page 0.6 KB before its first paint).
        if any(_NUMBERED in t.get("class").split() for t in tags):
            head_end = page_html.find("</head>")
            edits.append((head_end, head_end, page_html[style.start:end]))
    # print-site's call to hide the menu and search with its script: the page
    # has neither (overrides/main.html leaves them out), so neither the call
    # nor print-site's script is needed (the template does not link it).
    for tag in tags:
        if tag.name == "script" and not tag.get("src"):
            end = close_of(page_html, tag)
            code = page_html[tag.end:end]
            if "remove_material_navigation()" in code:
                if "generate_toc()" in code:
                    raise LeafletError(CONFIG_FILE, None, "print-site is set to add its own table of contents, "
                                       "which needs its script.", "Set add_table_of_contents: false under "
                                       "plugins > print-site (the print page has its own contents list).")
                edits.append((tag.start, end + len("</script>"), ""))
    if not any(t.get("id") == "__toc" for t in tags):
        label = next((t for t in tags if t.name == "label" and t.attrs == (("class", "md-nav__title"), ("for", "__toc"))), None)
        if label is not None:
            end = close_of(page_html, label)
            edits += [(label.start, label.end, '<div class="md-nav__title">'), (end, end + len("</label>"), "</div>")]
    return edits


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # no line for every file served
        pass


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        # A browser that stops a download it no longer needs is not an error.
        import sys

        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def _serve(folder: Path) -> Iterator[str]:
    server = QuietServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _reproducible(pdf: bytes) -> bytes:
    """Two builds, one PDF: replace Chromium's creation and change dates (the
    clock) with the build's date, and number the tagged structure's element
    IDs (Chromium's count of page nodes, which drifts by one now and then) in
    the order they appear. Every replacement has the same length, so every
    byte offset in the file stays right."""
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0"))
    stamp = dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("D:%Y%m%d%H%M%S+00'00'")
    pdf = re.sub(rb"/(CreationDate|ModDate) \(D:\d{14}\+00'00'\)",
                 lambda m: b"/" + m.group(1) + b" (" + stamp.encode() + b")", pdf)
    numbers: dict[bytes, bytes] = {}

    def renumber(m: re.Match[bytes]) -> bytes:
        digits = m.group(1)
        new = numbers.setdefault(digits, str(len(numbers) + 1).zfill(len(digits)).encode())
        return b"(node" + new + b")"

    return re.sub(rb"\(node(\d+)\)", renumber, pdf)


def printer() -> contextlib.AbstractContextManager[Browser]:
    """The one Chromium a build prints its PDFs and draws its link preview
    with: a second start cost a build about 0.6 processor-seconds (issue 29)."""
    return launched(needed_for="to print the PDFs and draw the link preview")


def make_pdfs(browser: Browser, site: Path, title: str, names: dict[str, str],
              print_page: str | None = None) -> dict[str, Path]:
    """The PDFs (standard and large print) of the print page, with the files
    the site serves, printed by `browser` (printer()). `print_page`: the
    page's finished HTML, when it is not written yet (the pages are written
    once, after their download labels, which need the PDFs)."""
    from playwright.sync_api import Route

    made = {}
    with _serve(site) as base:
        # Without JavaScript: the print page is complete as HTML (our contents
        # list, print styles), and the theme's scripts, which change the page
        # after it loads, would make the PDF depend on timing.
        page = browser.new_page(java_script_enabled=False)
        if print_page is not None:
            def finished(route: Route) -> None:
                route.fulfill(status=200, content_type="text/html; charset=utf-8", body=print_page.encode())

            page.route(base + PRINT_PAGE, finished)
        page.goto(base + PRINT_PAGE, wait_until="load")
        title_js = "title => { document.title = title; }"
        large_js = "large => document.documentElement.classList.toggle('leaflet-large-print', large)"
        page.evaluate(title_js, title)  # evaluate runs even with the page's JavaScript off
        for kind in ("standard", "large"):
            page.evaluate(large_js, kind == "large")
            pdf = page.pdf(format="A4", tagged=True, outline=True, print_background=True,
                           prefer_css_page_size=True)
            made[kind] = site / names[kind]
            made[kind].write_bytes(_reproducible(pdf))
        page.close()
    return made


def describe_pdf(path: Path) -> str:
    from pypdf import PdfReader

    pages = len(PdfReader(path).pages)
    return f"PDF, {pages} page{'s' if pages != 1 else ''}, {round(path.stat().st_size / 1024)} KB"


def download_labels(made: dict[str, Path]) -> dict[str, str]:
    """Each PDF's label: "PDF, 8 pages, 160 KB"."""
    return {kind: describe_pdf(path) for kind, path in made.items()}


_LABEL = "data-leaflet-pdf"


def label_downloads(page_html: str, labels: dict[str, str]) -> str:
    """Fill in each download link's size (`<span data-leaflet-pdf="standard">PDF</span>`,
    overrides/main.html): "PDF, 8 pages, 160 KB"."""
    edits = []
    for tag in start_tags(page_html, "span"):
        if tag.attrs[:1] and tag.attrs[0][0] == _LABEL and tag.get(_LABEL) in labels and page_html.startswith("PDF</span>", tag.end):
            edits.append((tag.end, tag.end + len("PDF"), labels[tag.get(_LABEL)]))
    return splice(page_html, edits) if edits else page_html


PREVIEW_HTML = """<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><style>
body {{ margin: 0; width: 1200px; height: 630px; display: flex; flex-direction: column; justify-content: center;
       padding: 0 90px; box-sizing: border-box; background: #005eb8; color: #fff;
       font-family: Arial, "Liberation Sans", sans-serif; }}
p {{ font-size: 40px; margin: 0 0 24px; font-weight: 700; }}
h1 {{ font-size: 84px; line-height: 1.1; margin: 0 0 36px; }}
</style></head><body><p>{department}</p><h1>{title}</h1><p>Information for patients</p></body></html>"""


def make_preview(browser: Browser, site: Path, title: str, department: str) -> Path:
    """The 1200 x 630 picture that link previews show, drawn by `browser` (printer())."""
    target = site / PREVIEW_FILE
    page = browser.new_page(viewport={"width": 1200, "height": 630})
    page.set_content(PREVIEW_HTML.format(title=html_lib.escape(title), department=html_lib.escape(department)))
    page.screenshot(path=str(target))
    page.close()
    return target


# --- addresses printed after links on paper ---------------------------------

_LINK = '<a href="'
_PATH_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789/-")


def _to_a_page(href: str) -> bool:
    """A link to a page of this site as MkDocs writes it: ../ and ./ steps,
    then a path of lower-case letters, digits, - and /, and a fragment."""
    path = href.partition("#")[0]
    while path.startswith(("../", "./")):
        path = path[3:] if path.startswith("../") else path[2:]
    return all(c in _PATH_CHARACTERS for c in path)


def print_urls(page_html: str, page_url: str, addresses: Addresses) -> str:
    """Give each link to another page its short address (data-print-url), which
    the print styles show after the link text on paper."""
    edits = []
    for tag in start_tags(page_html, "a"):
        written = page_html[tag.start:tag.end]
        end = written.find('"', len(_LINK))
        if not written.startswith(_LINK) or end == -1:
            continue
        href = written[len(_LINK):end]
        path = href.split("#")[0]
        if not path or not _to_a_page(href):
            continue  # a link within the page, or to a file
        target = posixpath.normpath(posixpath.join(page_url or ".", path))
        target = "" if target == "." else target.strip("/") + "/"
        at = tag.start + end + 1
        edits.append((at, at, f' data-print-url="{addresses.short(addresses.page(target))}"'))
    return splice(page_html, edits) if edits else page_html
