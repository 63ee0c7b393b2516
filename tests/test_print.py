"""The print page, the PDFs and the QR code, read back from the files."""

from __future__ import annotations

import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from lxml import html as lxml_html
from pypdf import PdfReader

from browser import open_page
from helpers import LEAFLET, decode_qr
from leaflet_site.model import long_date

VERSION = LEAFLET.details.version
# Body text at least 12pt, 16pt in large print (RNIB's clear print guidance).
PDFS = {"standard": (LEAFLET.pdf_names["standard"], 12), "large": (LEAFLET.pdf_names["large"], 16)}
# Leaflet pages in navigation order, as printed (pages about the website,
# such as the home page, are left out through print-site's `exclude`).
PRINTED = [(p.title, p.file) for p in LEAFLET.printed]


def heading(site: Path, md: str) -> str:
    page = site / md.removesuffix(".md") / "index.html"
    return " ".join(lxml_html.fromstring(page.read_text()).xpath("//article//h1")[0].text_content().split())


def text_sizes(reader: PdfReader) -> Counter:
    """Characters per font size in points, as the PDF draws them."""
    sizes = Counter()

    def visit(text, cm, tm, font, size):
        if text.strip():
            scale = (tm[2] ** 2 + tm[3] ** 2) ** 0.5 * (cm[2] ** 2 + cm[3] ** 2) ** 0.5
            sizes[round(size * scale, 1)] += len(text.strip())

    for page in reader.pages:
        page.extract_text(visitor_text=visit)
    return sizes


@pytest.fixture(scope="module", params=list(PDFS))
def pdf(request, site: Path):
    name, min_size = PDFS[request.param]
    path = site / name
    assert path.is_file(), f"{name} was not built"
    return path, PdfReader(path), min_size


def test_pdf_is_tagged_titled_and_in_british_english(pdf):
    _, reader, _ = pdf
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog, "The PDF is not tagged"
    assert catalog["/Lang"] == "en-GB"
    assert reader.metadata.title == f"Image guided nerve root injection (version {VERSION})"


def test_pdf_has_a_bookmark_for_every_section(pdf, site: Path):
    _, reader, _ = pdf

    def titles(outline):
        for item in outline:
            yield from titles(item) if isinstance(item, list) else [" ".join(item.title.split())]

    bookmarks = list(titles(reader.outline))
    for _, md in PRINTED:
        assert heading(site, md) in bookmarks
    doc = lxml_html.fromstring((site / "print_page" / "index.html").read_text())
    headings = {" ".join(h.text_content().split()) for h in doc.xpath("//h1 | //h2 | //h3")}
    garbled = [b for b in bookmarks if b not in headings]
    assert not garbled, f"Bookmarks that do not match a heading (words run together?): {garbled}"


def test_pdf_has_every_heading_version_and_review_dates(pdf, site: Path):
    _, reader, _ = pdf
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    for _, md in PRINTED:
        assert heading(site, md) in text
    assert f"Version {VERSION}" in text
    d = LEAFLET.details
    assert f"Last reviewed {long_date(d.last_reviewed)}" in text and f"Next review due {long_date(d.next_review_due)}" in text


def test_pdf_body_text_is_big_enough(pdf):
    """12pt at least (16pt in large print), read back from the PDF itself."""
    _, reader, min_size = pdf
    sizes = text_sizes(reader)
    body = sizes.most_common(1)[0][0]
    assert body >= (14 if min_size == 12 else 18) - 0.1
    assert min(sizes) >= min_size - 0.1, f"Text smaller than {min_size}pt: {sorted(sizes)[:3]}"


def test_pdf_fonts_are_embedded(pdf):
    _, reader, _ = pdf
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts", [font])
            for desc in descendants:
                desc = desc.get_object()
                fd = desc.get("/FontDescriptor")
                if fd is not None:
                    fd = fd.get_object()
                    assert any(k in fd for k in ("/FontFile", "/FontFile2", "/FontFile3")), desc["/BaseFont"]


def test_pdf_links_point_nowhere_private(pdf):
    path, _, _ = pdf
    assert b"127.0.0.1" not in path.read_bytes()


def test_every_page_links_to_both_pdfs_with_pages_and_size(site: Path):
    for page in ["", "risks/", "about/"]:
        text = " ".join(lxml_html.fromstring((site / page / "index.html").read_text()).text_content().split())
        for kind, (name, _) in PDFS.items():
            pages = len(PdfReader(site / name).pages)
            kb = round((site / name).stat().st_size / 1024)
            label = "Download this leaflet" if kind == "standard" else "Download the large print leaflet"
            assert f"{label} (PDF, {pages} pages, {kb} KB)" in text


def test_qr_code_on_the_printed_cover_opens_the_leaflet(site: Path, tmp_path: Path):
    """Decoded with zbarimg from the first page of the PDF, as a phone would."""
    assert shutil.which("zbarimg") and shutil.which("pdftoppm"), "apt-get install zbar-tools poppler-utils"
    name = PDFS["standard"][0]
    subprocess.run(["pdftoppm", "-r", "150", "-f", "1", "-l", "1", "-png", str(site / name), str(tmp_path / "cover")], check=True)
    image = next(tmp_path.glob("cover*.png"))
    assert decode_qr([image]) == [LEAFLET.addresses.latest]


def test_print_page_has_every_section_in_order_and_a_contents_list(site: Path):
    doc = lxml_html.fromstring((site / "print_page" / "index.html").read_text())
    sections = [s.get("id") for s in doc.xpath('//section[contains(@class, "print-page")]')]
    assert sections == [md.removesuffix(".md") for _, md in PRINTED]
    contents = [" ".join(a.text_content().split()) for a in doc.xpath('//nav[@class="leaflet-toc"]//a')]
    assert contents == [heading(site, md) for _, md in PRINTED]
    ids = set(doc.xpath("//@id"))
    assert all(a.get("href")[1:] in ids for a in doc.xpath('//nav[@class="leaflet-toc"]//a'))


@pytest.mark.browser
@pytest.mark.parametrize("path", ["risks/", "print_page/"])
def test_printing_shows_no_navigation(browser, base_url: str, path: str, tmp_path: Path):
    context = browser.new_context(viewport={"width": 794, "height": 1123})
    page = open_page(context, base_url + path)
    page.emulate_media(media="print")
    page.screenshot(path=str(tmp_path / "print.png"), full_page=True)
    shown = page.evaluate("""() => ['.md-header', '.md-sidebar--primary', '.md-footer', '.md-search', '.md-skip',
        '.leaflet-print-links'].filter(sel => [...document.querySelectorAll(sel)].some(el => {
          const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; }))""")
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('article p')).fontSize)")
    context.close()
    assert shown == [], f"Printed with screen furniture: {shown}"
    assert size >= 14 * 96 / 72 - 0.1, f"Body text prints at {size * 72 / 96:.1f}pt"


def test_printed_links_show_their_short_address(site: Path):
    doc = lxml_html.fromstring((site / "before" / "index.html").read_text())
    link = doc.xpath('//article//a[text()="questions you may want to ask"]')[0]
    assert link.get("data-print-url") == LEAFLET.addresses.short(LEAFLET.addresses.page("questions/"))


def test_pdf_clock_and_node_numbers_do_not_change_the_bytes():
    from leaflet_site.printing import _reproducible

    one = b"/CreationDate (D:20261128134655+00'00') /ID (node00000187) /Headers [(node00000187)] /ID (node00000190)"
    two = b"/CreationDate (D:20270101000000+00'00') /ID (node00000186) /Headers [(node00000186)] /ID (node00000189)"
    assert _reproducible(one) == _reproducible(two)
    assert len(_reproducible(one)) == len(one)
    assert b"(node00000001)" in _reproducible(one) and b"(node00000002)" in _reproducible(one)
