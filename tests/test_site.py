"""The real site: it builds strictly, every section has its address, nothing
is loaded from another host, and two builds give the same files."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from lxml import html as lxml_html

from helpers import APPROVER, LEAFLET, SECTIONS, article_text, build
from leaflet_site.model import long_date
from leaflet_site.placeholders import DATA_CLASS

D = LEAFLET.details
SITE_HOST = urlsplit(LEAFLET.addresses.base).hostname
# Elements and attributes through which a browser fetches something.
FETCHING = {"link": "href", "script": "src", "img": "src", "source": "src", "iframe": "src",
            "video": "src", "audio": "src", "embed": "src", "object": "data"}


@pytest.mark.parametrize("section", SECTIONS + ["glossary"])
def test_every_section_has_its_own_address(site: Path, section: str):
    page = site / section / "index.html"
    assert page.is_file(), f"/{section}/ was not built"
    assert len(article_text(page).split()) > 30


def test_home_page_links_to_every_section_in_reading_order(site: Path):
    doc = lxml_html.fromstring((site / "index.html").read_text())
    hrefs = doc.xpath('//article//ol/li/a/@href')
    assert [h.strip("./") for h in hrefs] == SECTIONS


def test_sections_have_previous_and_next_links(site: Path):
    before, here, after = SECTIONS[1:4]
    doc = lxml_html.fromstring((site / here / "index.html").read_text())
    assert doc.xpath('//a[contains(@class,"md-footer__link--prev")]/@href') == [f"../{before}/"]
    assert doc.xpath('//a[contains(@class,"md-footer__link--next")]/@href') == [f"../{after}/"]


@pytest.mark.parametrize("section", SECTIONS)
def test_every_page_shows_review_dates_and_print_link(site: Path, section: str):
    text = " ".join(lxml_html.fromstring((site / section / "index.html").read_text()).text_content().split())
    assert f"Page last reviewed: {long_date(D.last_reviewed)} Next review due: {long_date(D.next_review_due)}" in text
    assert "Print this leaflet" in text


def test_page_language_is_british_english_and_no_generator_link(site: Path):
    page = (site / "index.html").read_text()
    assert '<html lang="en-GB"' in page or '<html lang="en"' in page
    assert "Made with" not in page and "github.com" not in page


def test_glossary_words_explained_where_they_stand(site: Path):
    doc = lxml_html.fromstring((site / "what-it-is" / "index.html").read_text())
    titles = {a.text_content().lower(): a.get("title") for a in doc.xpath("//article//abbr")}
    for word in ["radiologist", "steroid", "local anaesthetic", "ct scanner", "nerve root"]:
        assert titles.get(word), f"{word!r} has no pop-up meaning"


def test_glossary_page_lists_every_word(site: Path):
    text = article_text(site / "glossary" / "index.html").lower()
    for term in LEAFLET.terms:
        assert term.term.lower() in text and term.meaning.split(".")[0].lower() in text


def explanations(text: str, term) -> list[str]:
    """Where a text explains a glossary word itself ("A radiologist is ...",
    "a local anaesthetic, which ...", "Doctors call this inflamed"): the text
    from the word on, one sentence or more."""
    forms = "|".join(re.escape(f) for f in sorted((term.term, *term.forms), key=len, reverse=True))
    said = re.compile(rf"\b(?:{forms})\b(?:,? which| means| (?:is|are) (?:a|an|the|when|where|what)\b)"
                      rf"|\bcall(?:s|ed)? (?:this|it|them|these) (?:{forms})\b", re.IGNORECASE)
    return [text[m.start():] for m in said.finditer(text)]


def explained_otherwise(text: str, terms) -> list[str]:
    """The words a text explains in other words than the glossary's meaning."""
    found = []
    for term in terms:
        meaning = " ".join(term.meaning.split()).rstrip(".").lower()
        found += [f"{term.term}: {e[:80]!r}" for e in explanations(text, term)
                  if meaning not in " ".join(e.split()).lower()]
    return found


@pytest.mark.parametrize("section", SECTIONS)
def test_a_page_that_explains_a_word_uses_the_glossary_words(site: Path, section: str):
    """The glossary (docs/glossary.yml) is the one home of a word's meaning."""
    from leaflet_site.approval import prose, read_article

    blocks = prose(read_article((site / section / "index.html").read_text(encoding="utf-8")))
    assert [f for b in blocks for f in explained_otherwise(b.text, LEAFLET.terms)] == []


def test_a_word_explained_in_other_words_is_found():
    radiologist = next(t for t in LEAFLET.terms if t.term == "radiologist")
    inflamed = next(t for t in LEAFLET.terms if t.term == "inflamed")
    assert explained_otherwise("A radiologist is a doctor who reads scans.", [radiologist])
    assert explained_otherwise("Sometimes it gets sore. Doctors call this inflamed.", [inflamed])
    assert not explained_otherwise(f"A radiologist is {radiologist.meaning[:1].lower()}{radiologist.meaning[1:]}", [radiologist])
    assert not explained_otherwise("Ask the radiologist. An inflamed nerve root can hurt.", [radiologist, inflamed])


def test_about_page_shows_every_leaflet_detail(site: Path):
    text = article_text(site / "about" / "index.html")
    for expected in [f"Version {D.version}", f"First published {long_date(D.first_published)}",
                     f"Last reviewed {long_date(D.last_reviewed)}", f"Next review due {long_date(D.next_review_due)}",
                     f"Reference number {D.reference or 'Not given yet'}", f"Written by {D.publisher}",
                     f"Approved by {LEAFLET.approver or APPROVER}"]:
        assert expected in text


@pytest.mark.parametrize("page", ["about", "history"])
def test_names_and_dates_are_shown_as_typed(site: Path, page: str):
    """Who approved a version, who wrote it, its number and dates are data:
    no glossary pop-up inside them (a role such as "Consultant radiologist"
    is a title, not a word to explain)."""
    doc = lxml_html.fromstring((site / page / "index.html").read_bytes())
    shown = doc.xpath(f'//article//span[@class="{DATA_CLASS}"]')
    assert shown, f"/{page}/ shows no leaflet details"
    assert [s.text_content() for s in shown if s.xpath(".//abbr | .//button")] == []
    if page == "about":
        assert (LEAFLET.approver or APPROVER) in [s.text_content() for s in shown]


def test_contact_wording_stays_true_without_a_phone_number(site: Path):
    assert "use the phone number on your appointment letter" in article_text(site / "before" / "index.html")


def _third_party(url: str) -> bool:
    parts = urlsplit(url.strip())
    return bool(parts.scheme in ("http", "https", "") and parts.netloc) and parts.hostname != SITE_HOST


def test_no_file_loads_anything_from_another_host(site: Path):
    """HTML resource attributes and CSS url()/@import must stay on this site.
    (Requests made by scripts are caught by the browser test's network log.)"""
    found = []
    for page in site.rglob("*.html"):
        doc = lxml_html.fromstring(page.read_text(encoding="utf-8"))
        for tag, attr in FETCHING.items():
            for url in doc.xpath(f"//{tag}/@{attr}"):
                if _third_party(url):
                    found.append(f"{page.relative_to(site)}: <{tag} {attr}={url}>")
    for css in site.rglob("*.css"):
        for url in re.findall(r"(?:url\(\s*['\"]?|@import\s+['\"])([^'\")\s]+)", css.read_text(encoding="utf-8")):
            if _third_party(url):
                found.append(f"{css.relative_to(site)}: {url}")
    assert not found, "Files load from other hosts:\n" + "\n".join(found)


def test_third_party_detector_catches_a_google_font():
    assert _third_party("https://fonts.googleapis.com/css?family=Roboto")
    assert _third_party("//cdn.example.com/x.js")
    assert not _third_party("../assets/leaflet.css")
    assert not _third_party(LEAFLET.addresses.latest)


@pytest.mark.slow
def test_two_builds_of_one_commit_are_identical(draft_site: Path, tmp_path: Path):
    site = draft_site
    again = tmp_path / "again"
    done = build(draft_site.parent, again, pdf=True)
    assert done.returncode == 0, done.stderr
    first = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    assert [str(name) for name in first if first[name] != second[name]] == []


@pytest.mark.parametrize("section", SECTIONS + ["glossary", "history", "accessibility", ""])
def test_every_page_is_described_for_machines(site: Path, section: str):
    import json

    doc = lxml_html.fromstring((site / section / "index.html").read_text())
    assert doc.xpath('//meta[@name="description"]/@content')[0].strip()
    canonical = doc.xpath('//link[@rel="canonical"]/@href')[0]
    assert canonical == LEAFLET.addresses.page(section + "/" if section else "")
    data = json.loads(doc.xpath('//script[@type="application/ld+json"]/text()')[0])
    assert data["@type"] == "MedicalWebPage" and data["lastReviewed"] == D.last_reviewed.isoformat() and data["version"] == D.version

