"""Honest about approval: until a clinician is recorded as approving this
version (docs/changelog.yml), every page, the print page and both PDFs say
"Draft: not yet approved for patients", and no review date is shown as if a
review had happened. A released version (it has an approver) shows none of it."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from lxml import html as lxml_html

from helpers import LEAFLET
from leaflet_site.model import long_date
from leaflet_site.names import PRINT_PAGE, PRINT_PAGE_FILE

NOTICE = "Draft: not yet approved for patients."
PAGES = ["", *(p.url for p in LEAFLET.pages), PRINT_PAGE]


def _doc(site: Path, url: str):
    return lxml_html.fromstring((site / url / "index.html").read_text(encoding="utf-8"))


def _pdf_text(path: Path) -> str:
    return " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split())


@pytest.mark.parametrize("url", PAGES)
def test_a_draft_says_so_first_on_every_page(draft_site: Path, url: str):
    doc = _doc(draft_site, url)
    notice = doc.xpath('//article//*[contains(@class, "leaflet-draft")]')
    assert notice and " ".join(notice[0].text_content().split()).startswith(NOTICE)
    assert notice[0].get("role") == "note"
    # First in the article, before the page's own heading.
    first = doc.xpath('//article/*[not(self::a)][1]')[0]
    assert "leaflet-draft" in (first.get("class") or "")
    assert doc.xpath("//title")[0].text_content().startswith("Draft: ")
    text = " ".join(doc.text_content().split())
    assert "Page last reviewed" not in text and "Next review due: " not in text
    assert f"Last reviewed {long_date(LEAFLET.details.last_reviewed)}" not in text
    for ld in doc.xpath('//script[@type="application/ld+json"]/text()'):
        assert "lastReviewed" not in json.loads(ld)


@pytest.mark.parametrize("kind", ["standard", "large"])
def test_a_drafts_pdfs_say_so(draft_site: Path, kind: str):
    text = _pdf_text(draft_site / LEAFLET.pdf_names[kind])
    assert text.startswith(NOTICE)
    assert f"Last reviewed {long_date(LEAFLET.details.last_reviewed)}" not in text
    assert "Not yet: this version is a draft" in text


def test_a_drafts_about_page_records_no_approval(draft_site: Path):
    text = " ".join(_doc(draft_site, "about/").xpath("//article")[0].text_content().split())
    assert "Approved by Not yet: this version is a draft" in text
    assert "Last reviewed Not yet: this version is a draft" in text


def test_a_released_version_shows_no_draft_notice(published):
    for page in published.latest.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "leaflet-draft" not in html and NOTICE not in html, page
    for kind in ("standard", "large"):
        text = _pdf_text(published.latest / LEAFLET.pdf_names[kind])
        assert "Draft" not in text and f"Last reviewed {long_date(LEAFLET.details.last_reviewed)}" in text


def test_the_organisation_is_named_in_the_footer_on_the_cover_and_in_the_pdfs(draft_site: Path, published):
    from helpers import ORGANISATION

    publisher = f"{LEAFLET.details.department}, {ORGANISATION}"
    footer = _doc(draft_site, LEAFLET.sections[0].url).xpath('//*[contains(@class, "md-copyright")]')[0]
    assert publisher in " ".join(footer.text_content().split())
    cover = _doc(draft_site, PRINT_PAGE).xpath('//*[@class="leaflet-cover-department"]')[0]
    assert cover.text_content().strip() == publisher
    assert publisher in _pdf_text(draft_site / LEAFLET.pdf_names["standard"])
    # Left empty, nothing is made up: the department alone.
    if not LEAFLET.details.organisation:
        html = (published.latest / PRINT_PAGE_FILE).read_text(encoding="utf-8")
        assert f'<p class="leaflet-cover-department">{LEAFLET.details.department}</p>' in html


def test_the_accessibility_statement_says_partially_compliant_until_a_person_checks(tmp_path: Path):
    """The compliance status follows the manual audit detail: none recorded,
    "partially compliant"; both date and who recorded, "fully compliant" with
    them; only one of the two, a build error naming its line."""
    from helpers import build, copy_project, set_detail

    page = next(p for p in LEAFLET.pages if p.file == "accessibility.md")
    project = copy_project(tmp_path / "project")
    assert build(project).returncode == 0
    said = _doc(project / "site", page.url).text_content()
    assert "partially compliant" in said and "fully compliant" not in said
    audit = LEAFLET.details.last_reviewed
    set_detail(project, "manual_audit_date", audit.isoformat())
    set_detail(project, "manual_audit_by", '"a test auditor"')
    assert build(project).returncode == 0
    said = " ".join(_doc(project / "site", page.url).text_content().split())
    assert "fully compliant" in said and f"A test auditor tested it by hand on {long_date(audit)}." in said
    set_detail(project, "manual_audit_by", '""')
    done = build(project)
    assert done.returncode != 0 and "manual_audit_by" in done.stdout + done.stderr
