"""For GP practices and patients on the go: QR codes, copy and share, link
previews, listen, and reading offline. Tested in Chromium."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from leaflet_site.names import PRINT_PAGE
from lxml import html as lxml_html

from browser import open_page, site_pages
from helpers import LEAFLET, SECTIONS, decode_qr

LATEST = LEAFLET.addresses.latest


@pytest.mark.parametrize("name, url", [("leaflet", LATEST)] + [(s, LATEST + s + "/") for s in SECTIONS])
def test_poster_qr_codes_decode_to_the_permanent_addresses(site: Path, name: str, url: str):
    assert decode_qr([site / "assets" / "qr" / f"{name}.png"]) == [url]


def test_gp_page_lists_every_section_with_its_address_and_qr_code(site: Path):
    doc = lxml_html.fromstring((site / "gp-practices" / "index.html").read_text())
    copies = doc.xpath('//button[contains(@class, "leaflet-copy")]/@data-copy')
    assert copies == [LATEST] + [LATEST + s + "/" for s in SECTIONS]
    assert len(doc.xpath('//article//img[contains(@src, "assets/qr/")][@alt]')) == len(copies)
    assert len(doc.xpath('//article//a[contains(@href, "assets/qr/")][@download]')) == len(copies)


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 375, "height": 812}, permissions=["clipboard-read", "clipboard-write"])
    yield context
    context.close()


@pytest.mark.browser
def test_copy_puts_the_address_on_the_clipboard_and_says_so(phone, base_url: str):
    page = open_page(phone, base_url + "gp-practices/")
    page.get_by_role("button", name="Copy the address of Risks and side effects").click()
    status = page.locator(".leaflet-status")
    status.filter(has_text="Address copied").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == LATEST + "risks/"


@pytest.mark.browser
def test_share_offers_the_link_to_the_current_version(phone, base_url: str):
    page = open_page(phone, base_url + "risks/")
    share = page.get_by_role("button", name="Share this page")
    share.focus()
    page.keyboard.press("Enter")
    if page.evaluate("!!navigator.share"):
        pytest.skip("This Chromium has the system share sheet, which a test cannot drive")  # pragma: no cover
    page.locator(".leaflet-status").filter(has_text="Link to this page copied").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == LATEST + "risks/"


def test_link_previews_are_present_and_valid_on_every_page(site: Path):
    for path in [p for p in site_pages(site) if p not in ("404.html", PRINT_PAGE)]:
        _check_preview(site, path)


def _check_preview(site: Path, path: str):
    doc = lxml_html.fromstring((site / path / "index.html").read_text())
    meta = {m.get("property") or m.get("name"): m.get("content") for m in doc.xpath("//meta[@content]")}
    assert meta["og:title"] and meta["og:description"] and meta["twitter:description"], path
    assert meta["og:url"] == doc.xpath('//link[@rel="canonical"]/@href')[0]
    assert meta["og:image"] == LATEST + "assets/preview.png" and meta["twitter:card"] == "summary_large_image"
    png = (site / "assets" / "preview.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", png[16:24]) == (1200, 630)


@pytest.mark.browser
def test_listen_controls_have_names_and_work_by_keyboard(phone, base_url: str):
    page = open_page(phone, base_url + "risks/")
    if not page.evaluate("'speechSynthesis' in window"):
        pytest.skip("This Chromium cannot speak")  # pragma: no cover
    play = page.get_by_role("button", name="Listen to this page")
    for _ in range(200):  # skip link, header controls, the page (its glossary words), then its tools
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Listen to this page":
            break
    assert page.evaluate("document.activeElement.textContent.trim()") == "Listen to this page"
    page.keyboard.press("Enter")
    stop = page.get_by_role("button", name="Stop")
    if stop.is_visible():  # speaking (a device without voices ends at once)
        stop.focus()
        page.keyboard.press("Enter")
    assert play.is_visible() and play.get_attribute("type") == "button"


@pytest.mark.browser
def test_every_section_opens_offline_after_one_visit(browser, site: Path, base_url: str):
    context = browser.new_context(viewport={"width": 375, "height": 812})
    page = open_page(context, base_url + "risks/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("navigator.serviceWorker.controller !== null || caches.keys().then(k => k.length > 0)")
    page.wait_for_function("""caches.keys().then(keys => Promise.all(keys.map(k => caches.open(k).then(c => c.keys()))))
                              .then(lists => lists.flat().length > 20)""")
    context.set_offline(True)
    for path in [p for p in site_pages(site) if p != "404.html"]:
        page.goto(base_url + path)
        assert page.locator("article h1").count() >= 1, f"/{path} did not open offline"
    # leaflet.js shows the note once the page has loaded (it runs after the
    # page): wait for it, rather than race it on a busy machine.
    page.locator(".leaflet-offline").wait_for(state="visible", timeout=10_000)
    assert "You are offline" in page.locator(".leaflet-offline").inner_text()
    context.close()
