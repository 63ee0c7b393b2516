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
import logging
import os
import posixpath
import re
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .chromium import executable as chromium, launched
from .findings import LeafletError
from .addresses import Addresses
from .model import Leaflet
from .names import PDF_SWITCH, PREVIEW_FILE, PRINT_PAGE, QR_DIR, QR_FILE

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
        log.info("The PDFs are skipped: Chromium is not installed (apt-get install chromium).")
        return False
    raise LeafletError("mkdocs.yml", None, "Chromium is needed to make the PDF of the leaflet, and it is not installed.",
                       f"Run apt-get install chromium (or set {PDF_SWITCH}=off for a quick build without PDFs).")


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


@functools.lru_cache(maxsize=64)
def _qr(address: str, kind: str, title: str | None = None) -> bytes:
    """A QR code's picture: SVG for the screen, PNG at 10 pixels a module for
    posters. Remembered, so a rebuild of `make serve` draws none again."""
    import io

    import segno

    out = io.BytesIO()
    code = segno.make(address, error="m")
    if kind == "svg":
        code.save(out, kind="svg", scale=4, border=4, xmldecl=False, **({"title": title} if title else {}))
    else:
        code.save(out, kind="png", scale=10, border=4)
    return out.getvalue()


_SECTION = re.compile(r'<section class="print-page" id="([^"]+)"[^>]*>\s*<h1 id="([^"]+)"[^>]*>(.*?)</h1>', re.S)
_COVER_END = re.compile(r'(<section id="print-site-cover-page">.*?</section>)', re.S)


def static_toc(page_html: str) -> str:
    items = "".join(
        f'<li><a href="#{heading}">{html_lib.escape(html_lib.unescape(re.sub(r"<[^>]+>", "", title)).strip())}</a></li>'
        for _, heading, title in _SECTION.findall(page_html)
    )
    return (f'<nav class="leaflet-toc" aria-labelledby="leaflet-toc-title">'
            f'<h2 id="leaflet-toc-title">Contents</h2><ol>{items}</ol></nav>')


def finish_print_page(page_html: str) -> str:
    """Add the table of contents after the cover, and a class for print styles."""
    if "leaflet-toc" in page_html:
        return page_html
    toc = static_toc(page_html)
    page_html, found = _COVER_END.subn(lambda m: m.group(1) + toc, page_html, count=1)
    if not found:
        raise LeafletError("mkdocs.yml", None, "The print page has no cover.",
                           "Set add_cover_page: true under plugins > print-site.")
    return _valid_print_page(page_html.replace("<body ", '<body class="leaflet-print" ', 1))


_HEADING_STYLES = re.compile(r"(</div>)(<style>\.print-site-enumerate-headings.*?</style>)", re.S)
_TOC_TITLE = re.compile(r'<label class="md-nav__title" for="__toc">(.*?)</label>', re.S)


def _valid_print_page(page_html: str) -> str:
    """print-site's page as valid HTML (the Nu HTML checker, issue 18):
    its heading-number attribute becomes a data- attribute, its heading
    styles move from the body to the head, and the contents' title is not a
    label for a checkbox the page does not have (the page is not in the
    navigation, where Material writes that checkbox)."""
    page_html = page_html.replace(" heading-number=", " data-heading-number=")
    styles = _HEADING_STYLES.search(page_html)
    if styles:
        page_html = _HEADING_STYLES.sub(r"\1", page_html, count=1)
        page_html = page_html.replace("</head>", styles.group(2) + "</head>", 1)
    # Links to a section (print-site's #page) go to its heading, as the
    # contents list does: one place, one address (WCAG 2.4.4).
    for section, heading, _ in _SECTION.findall(page_html):
        page_html = page_html.replace(f'href="#{section}"', f'href="#{heading}"')
    if 'id="__toc"' not in page_html:
        page_html = _TOC_TITLE.sub(r'<div class="md-nav__title">\1</div>', page_html, count=1)
    return page_html


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # no line for every file served
        pass


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # A browser that stops a download it no longer needs is not an error.
        import sys

        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def _serve(folder: Path):
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

    def renumber(m: re.Match) -> bytes:
        digits = m.group(1)
        new = numbers.setdefault(digits, str(len(numbers) + 1).zfill(len(digits)).encode())
        return b"(node" + new + b")"

    return re.sub(rb"\(node(\d+)\)", renumber, pdf)


def make_pdfs(site: Path, title: str, names: dict[str, str]) -> dict[str, Path]:
    made = {}
    with _serve(site) as base, launched(needed_for="to print the PDFs") as browser:
        # Without JavaScript: the print page is complete as HTML (our contents
        # list, print styles), and the theme's scripts, which change the page
        # after it loads, would make the PDF depend on timing.
        page = browser.new_page(java_script_enabled=False)
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
        browser.close()
    _label_downloads(site, made)
    return made


def describe_pdf(path: Path) -> str:
    from pypdf import PdfReader

    pages = len(PdfReader(path).pages)
    return f"PDF, {pages} page{'s' if pages != 1 else ''}, {round(path.stat().st_size / 1024)} KB"


def _label_downloads(site: Path, made: dict[str, Path]) -> None:
    """Fill in each download link's size: "PDF, 8 pages, 160 KB"."""
    labels = {kind: describe_pdf(path) for kind, path in made.items()}
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if "data-leaflet-pdf" not in text:
            continue
        for kind, label in labels.items():
            text = text.replace(f'<span data-leaflet-pdf="{kind}">PDF</span>',
                                f'<span data-leaflet-pdf="{kind}">{label}</span>')
        page.write_text(text, encoding="utf-8")


PREVIEW_HTML = """<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><style>
body {{ margin: 0; width: 1200px; height: 630px; display: flex; flex-direction: column; justify-content: center;
       padding: 0 90px; box-sizing: border-box; background: #005eb8; color: #fff;
       font-family: Arial, "Liberation Sans", sans-serif; }}
p {{ font-size: 40px; margin: 0 0 24px; font-weight: 700; }}
h1 {{ font-size: 84px; line-height: 1.1; margin: 0 0 36px; }}
</style></head><body><p>{department}</p><h1>{title}</h1><p>Information for patients</p></body></html>"""


def make_preview(site: Path, title: str, department: str) -> Path:
    """The 1200 x 630 picture that link previews show, drawn by Chromium."""
    target = site / PREVIEW_FILE
    with launched(needed_for="to draw the link preview") as browser:
        page = browser.new_page(viewport={"width": 1200, "height": 630})
        page.set_content(PREVIEW_HTML.format(title=html_lib.escape(title), department=html_lib.escape(department)))
        page.screenshot(path=str(target))
        browser.close()
    return target


# --- addresses printed after links on paper ---------------------------------

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
