"""The published tree, as patients and GP practices get it: after two
releases (the `published` fixture), every address the site gives out, in
every page, sitemap, PDF and QR code, opens a file of the tree; QR codes
open /latest/; only the GP page and "What changed" name a version on
purpose, and each version's link there opens it; links, page weight and the
old version's pages pass the same checks as the new."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

import pytest
from lxml import html as lxml_html

from helpers import LEAFLET, decode_qr, once_a_run, qr_codes_printed, tool
from leaflet_site import model
from leaflet_site.addresses import LATEST
from leaflet_site.check.addresses import addresses_in, unresolved_in_tree
from leaflet_site.check.links import broken_links
from leaflet_site.check.pages import read_site
from leaflet_site.check.weight import page_weights, weight_findings

ADDRESSES = LEAFLET.addresses
GP_PAGE = next(p.url for p in LEAFLET.pages if p.file == "gp-practices.md")
HISTORY_PAGE = next(p.url for p in LEAFLET.pages if p.file == "history.md")


def version_key(version: str) -> tuple[int, ...]:
    return tuple(map(int, version.split(".")))


def approved_versions(published) -> list[str]:
    """The approved versions in the published commit's changelog, oldest
    first: the tree holds the last ones, and a leaflet with a longer history
    lists earlier ones too, at their own addresses."""
    releases = model.load(published.repo).releases
    return sorted((r.version for r in releases if r.approved_by), key=version_key)


def _unique(paths: list[Path]) -> list[Path]:
    """One file of each content (/latest/ is a copy of the newest version)."""
    seen: dict[str, Path] = {}
    for p in sorted(paths):
        seen.setdefault(hashlib.sha256(p.read_bytes()).hexdigest(), p)
    return list(seen.values())


@pytest.fixture(scope="module")
def given_out(published, browser, tmp_path_factory) -> dict[str, str]:
    """Every text the published tree gives out, by where it is: each HTML,
    XML and JSON file, the text of each PDF, and what each QR code says
    (PNG and SVG files, and the codes printed on the PDFs' pages). Read
    once a test run, whichever worker needs it first."""
    return once_a_run(tmp_path_factory, "given-out", lambda work: _given_out(published.tree, work, browser))


def _given_out(tree: Path, work: Path, browser) -> dict[str, str]:
    texts = {f.relative_to(tree).as_posix(): f.read_text(encoding="utf-8")
             for f in sorted(tree.rglob("*")) if f.suffix in (".html", ".xml", ".json") and f.is_file()}
    for pdf in _unique(list(tree.rglob("*.pdf"))):
        name = pdf.relative_to(tree).as_posix()
        texts[name] = subprocess.run([tool("pdftotext", "poppler-utils"), str(pdf), "-"],
                                     capture_output=True, text=True, check=True).stdout
        pages = work / hashlib.sha256(name.encode()).hexdigest()[:8]
        texts[f"QR codes printed in {name}"] = "\n".join(qr_codes_printed(pdf, pages))
    for png in _unique(list(tree.rglob("assets/qr/*.png"))):
        texts[f"QR code {png.relative_to(tree).as_posix()}"] = "\n".join(decode_qr([png]))
    page = browser.new_page(viewport={"width": 400, "height": 400})
    for svg in _unique([*tree.rglob("assets/qr/*.svg"), *tree.rglob("assets/leaflet-qr.svg")]):
        page.set_content(f'<body style="margin:0;background:#fff"><img src="data:image/svg+xml;base64,'
                         f'{__import__("base64").b64encode(svg.read_bytes()).decode()}" width="300" height="300"></body>')
        shot = work / (hashlib.sha256(str(svg).encode()).hexdigest()[:8] + ".png")
        page.screenshot(path=str(shot))
        texts[f"QR code {svg.relative_to(tree).as_posix()}"] = "\n".join(decode_qr([shot]))
    page.close()
    return texts


def test_every_address_and_qr_code_opens_a_published_file(published, given_out: dict[str, str]):
    found = {a for text in given_out.values() for _, a in addresses_in(text, ADDRESSES)}
    qr_codes = [c for w, t in given_out.items() if w.startswith("QR code") for c in t.split()]
    print(f"\n{len(found)} distinct addresses of the site, in {len(given_out)} files, PDF texts and QR "
          f"pictures; {len(qr_codes)} QR codes decoded ({len(set(qr_codes))} distinct); all checked against the tree")
    assert len(found) > len(LEAFLET.pages)  # every page has at least its permanent address
    problems = unresolved_in_tree(published.tree, ADDRESSES, given_out)
    # A leaflet with a longer history links (on What changed) to versions
    # published before the two this throwaway tree holds; the real gh-pages
    # branch holds them, as it keeps every version.
    earlier = {ADDRESSES.page("", v) for v in approved_versions(published)
               if version_key(v) < version_key(published.versions[0])}
    assert all(where.endswith(f"{HISTORY_PAGE}index.html") or where.startswith("search/")
               or "search_index" in where for where, address in problems if address in earlier)
    problems = [(where, address) for where, address in problems if address not in earlier]
    assert not problems, "\n".join(f"{where}: {address}" for where, address in problems)


def test_every_qr_code_opens_the_latest_version(given_out: dict[str, str]):
    decoded = {w: t.split() for w, t in given_out.items() if w.startswith("QR code")}
    assert all(decoded.values()), [w for w, codes in decoded.items() if not codes]  # every picture has its code
    wrong = {w: c for w, codes in decoded.items() for c in codes if not c.startswith(ADDRESSES.latest)}
    assert not wrong, wrong
    posters = {c for w, codes in decoded.items() if "/assets/qr/" in w for c in codes}
    assert posters == {ADDRESSES.latest} | {ADDRESSES.page(s.url) for s in LEAFLET.sections}


def test_only_the_gp_page_and_what_changed_name_a_version(published, given_out: dict[str, str]):
    named = {(where, address) for where, text in given_out.items() for _, address in addresses_in(text, ADDRESSES)
             if (ADDRESSES.local_path(address) or "").split("/")[0] not in (LATEST, "index.html")}
    # The GP page, "What changed", and the search index that holds their text.
    allowed = {f"{v}/{page}" for v in [LATEST, *published.versions]
               for page in (f"{GP_PAGE}index.html", f"{HISTORY_PAGE}index.html", "search/search_index.json")}
    assert {where for where, _ in named} <= allowed
    # ... and there each version names its own folder (the GP page) or an
    # earlier version's (What changed): never one that was not out yet.
    out = approved_versions(published)
    for where, address in named:
        own = where.split("/")[0].replace(LATEST, published.versions[-1])
        up_to_own = [v for v in out if version_key(v) <= version_key(own)]
        if where.endswith(f"{GP_PAGE}index.html"):
            assert address == ADDRESSES.page("", own), where
        else:
            assert address in {ADDRESSES.page("", v) for v in up_to_own}, (where, address)


def test_what_changed_links_each_published_version_to_its_own_pages(published):
    """On /latest/'s "What changed", each published version's heading is
    followed by a link that opens that version: this one at /latest/, the
    earlier ones in their own folders."""
    page = lxml_html.fromstring((published.latest / HISTORY_PAGE / "index.html").read_bytes())
    links: dict[str, list[str]] = {}
    for heading in page.xpath("//article/h2"):
        version = " ".join(heading.text_content().split()).removeprefix("Version ")
        after = heading.xpath("following-sibling::*[not(self::h2) and count(preceding-sibling::h2) = $n]",
                              n=len(heading.xpath("preceding-sibling::h2")) + 1)
        links[version] = [href for block in after for href in block.xpath(".//a/@href") if href.startswith("http")]
    current = published.versions[-1]
    # Every approved version of the changelog, the ones this tree holds and
    # any published before it (in the project's real history).
    expected = {v: [ADDRESSES.latest if v == current else ADDRESSES.page("", v)] for v in approved_versions(published)}
    assert links == expected
    held = {version: address for version, (address,) in links.items() if version in published.versions}
    assert set(held) == set(published.versions)
    older = [v for v in links if v not in held]
    assert all(version_key(v) < version_key(published.versions[0]) for v in older), older
    for version, address in held.items():
        opened = published.tree / ADDRESSES.local_path(address)
        assert opened.is_file(), address
        shown = lxml_html.fromstring(opened.read_bytes())
        data = json.loads(shown.xpath('//script[@type="application/ld+json"]/text()')[0])
        assert data["version"] == version, (address, data["version"])


def test_an_old_versions_pages_point_at_the_same_page_under_latest(published):
    earlier = published.versions[0]
    for page in LEAFLET.pages:
        html = (published.tree / earlier / page.url / "index.html").read_text(encoding="utf-8")
        assert f'<link rel="canonical" href="{ADDRESSES.page(page.url)}">' in html, page.url


def test_a_wrong_base_address_is_found_naming_the_page_and_the_address(published, tmp_path: Path):
    """The address bug GP practices met (/X.Y/latest/...) is caught."""
    page = f"{LATEST}/{LEAFLET.sections[0].url}index.html"
    broken = (published.tree / page).read_text(encoding="utf-8").replace(
        ADDRESSES.latest, ADDRESSES.page(LATEST + "/", published.versions[-1]))
    problems = unresolved_in_tree(published.tree, ADDRESSES, {page: broken})
    assert (page, ADDRESSES.page(f"{LATEST}/{LEAFLET.sections[0].url}", published.versions[-1])) in problems


def test_links_resolve_in_every_version_of_the_tree(published):
    pages, files = read_site(published.tree)
    assert {p.split("/")[0] for p in pages} >= {LATEST, *published.versions}
    broken = broken_links(pages, files, ADDRESSES.path)
    assert not broken, "\n".join(f"{p}: {url} ({what})" for p, _, url, what in broken)


@pytest.mark.parametrize("folder", [LATEST, "earlier"])
def test_every_page_of_a_version_is_within_the_page_weight_budget(published, folder: str):
    """A visit stays within one version's folder (its files are its own)."""
    folder = published.versions[0] if folder == "earlier" else folder
    weights = page_weights(published.tree / folder, ADDRESSES.path + folder + "/")
    assert len(weights) > len(LEAFLET.pages)
    over = weight_findings(weights, lambda page: f"{folder}/{page}", lambda source, file: None)
    assert not over, "\n".join(map(str, over))
