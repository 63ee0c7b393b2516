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
import re
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from mkdocs.exceptions import PluginError

log = logging.getLogger("mkdocs.hooks.leaflet_print")

QR_FILE = "assets/leaflet-qr.svg"
# Without the background-networking flags Chromium tries to reach Google's
# services; --no-sandbox because CI runs as root.
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run",
                  "--disable-default-apps", "--disable-extensions"]
PDF_SWITCH = "LEAFLET_PDF"  # set to "off" to build without PDFs (quick test builds)


def chromium() -> str | None:
    for name in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


def pdf_wanted(command: str) -> bool:
    """Whether this build makes the PDFs. A build for publishing must: without
    Chromium it stops. `mkdocs serve` goes on without them and says why."""
    if os.environ.get(PDF_SWITCH, "on").lower() in ("off", "0", "no"):
        return False
    if chromium():
        return True
    if command == "serve":
        log.info("The PDFs are skipped: Chromium is not installed (apt-get install chromium).")
        return False
    raise PluginError(
        "Chromium is needed to make the PDF of the leaflet, and it is not installed. "
        f"Fix: apt-get install chromium (or set {PDF_SWITCH}=off for a quick build without PDFs)."
    )


def pdf_names(version: str) -> dict[str, str]:
    base = f"nerve-root-injection-v{version}"
    return {"standard": f"{base}.pdf", "large": f"{base}-large-print.pdf"}


def write_qr(url: str, path: Path) -> None:
    import segno

    path.parent.mkdir(parents=True, exist_ok=True)
    segno.make(url, error="m").save(str(path), kind="svg", scale=4, border=4, xmldecl=False,
                                    title="QR code for the online leaflet")


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
        raise PluginError("The print page has no cover; check add_cover_page in mkdocs.yml (plugins > print-site).")
    return page_html.replace("<body ", '<body class="leaflet-print" ', 1)


@contextlib.contextmanager
def _serve(folder: Path):
    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _fixed_dates(pdf: bytes) -> bytes:
    """Replace Chromium's creation and change dates (the clock) with the
    build's date, keeping every byte offset the same."""
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0"))
    stamp = dt.datetime.fromtimestamp(epoch, dt.timezone.utc).strftime("D:%Y%m%d%H%M%S+00'00'")
    return re.sub(rb"/(CreationDate|ModDate) \(D:\d{14}\+00'00'\)",
                  lambda m: b"/" + m.group(1) + b" (" + stamp.encode() + b")", pdf)


def make_pdfs(site: Path, title: str, names: dict[str, str]) -> dict[str, Path]:
    from playwright.sync_api import sync_playwright

    made = {}
    with _serve(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=CHROMIUM_FLAGS)
        page = browser.new_page()
        page.goto(base + "print_page/", wait_until="load")
        page.evaluate("title => { document.title = title; }", title)
        for kind in ("standard", "large"):
            page.evaluate("large => document.documentElement.classList.toggle('leaflet-large-print', large)",
                          kind == "large")
            pdf = page.pdf(format="A4", tagged=True, outline=True, print_background=True,
                           prefer_css_page_size=True)
            made[kind] = site / names[kind]
            made[kind].write_bytes(_fixed_dates(pdf))
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
