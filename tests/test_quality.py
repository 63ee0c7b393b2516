"""What the PIF TICK asks, built in: feedback after the visit, other
languages and formats, sources and an owner, user testing, and the quality
report. Each new detail is shown when filled in and left out when empty;
bad values stop the build at their line of mkdocs.yml or docs/changelog.yml;
the check's new notice is shown failing on bad input."""

from __future__ import annotations

import dataclasses
import datetime as dt
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, unquote, urljoin, urlsplit

import pytest
import yaml
from lxml import html as lxml_html
from mkdocs.exceptions import PluginError

from helpers import ENV, LEAFLET, ROOT, _write_changelog, article_text, build, copy_project, once_a_run, set_detail
from leaflet_site import approval, model, placeholders, quality
from leaflet_site.check.readability import Syllables
from leaflet_site.check.review import source_date_findings

VERSION = LEAFLET.details.version
REVIEWED = LEAFLET.details.last_reviewed
DAY = dt.timedelta(days=1)
SOURCE = {"title": "Example guidance on nerve root injections", "url": "https://guidance.example.org/nerve-root",
          "checked": REVIEWED}
COMPANION = {"name": "Polish", "url": "https://leaflets.example.org/pl/nerve-root", "approved_by": "Translation team",
             "approved_on": REVIEWED}
TESTING = {"date": REVIEWED - DAY, "people": 5, "what_changed": "We made the risks page shorter."}


def config_text(**leaflet) -> str:
    """mkdocs.yml's leaflet details as YAML text, with these ones added."""
    raw = {"title": "Image guided nerve root injection", "department": "Radiology department", "version": VERSION,
           "first_published": LEAFLET.details.first_published, "last_reviewed": REVIEWED,
           "next_review_due": LEAFLET.details.next_review_due, **leaflet}
    return yaml.safe_dump({"site_name": "x", "extra": {"leaflet": raw}}, sort_keys=False)


def parse(**leaflet) -> model.Details:
    text = config_text(**leaflet)
    return model.parse_details(yaml.safe_load(text)["extra"]["leaflet"], text)


def line_of_key(text: str, key: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if line.strip().startswith(f"{key}:"))


# --- the details: read when good, refused with file and line when bad --------

def test_good_details_are_read():
    d = parse(feedback_email="radiology@example.nhs.uk", owner="Consultant interventional radiologist",
              sources=[SOURCE], companions=[COMPANION, {"name": "Easy Read", "url": "https://x.example.org/easy"}])
    assert d.feedback_email == "radiology@example.nhs.uk" and d.owner.startswith("Consultant")
    assert d.sources[0].checked == REVIEWED and d.sources[0].line
    assert [c.approved for c in d.companions] == [True, False]
    empty = parse()
    assert (empty.feedback_email, empty.feedback_url, empty.owner, empty.sources, empty.companions) == ("", "", "", (), ())


@pytest.mark.parametrize("leaflet, key, message", [
    ({"feedback_email": "a@example.nhs.uk", "feedback_url": "https://example.nhs.uk/form"}, "feedback_url",
     "feedback_url and feedback_email are both filled in"),
    ({"feedback_email": "radiology at example.nhs.uk"}, "feedback_email", "which is not an email address"),
    ({"feedback_email": "a@example.nhs.uk?subject=hi"}, "feedback_email", "which is not an email address"),
    ({"feedback_url": "http://example.nhs.uk/form"}, "feedback_url", "which is not a full https:// address"),
    ({"feedback_url": "www.example.nhs.uk/form"}, "feedback_url", "which is not a full https:// address"),
    ({"sources": "NHS website"}, "sources", "sources must be a list"),
    ({"sources": [{**SOURCE, "checked": "last week"}]}, "- title", "entry 1 has checked 'last week', which is not a date"),
    ({"sources": [{**SOURCE, "url": "guidance.example.org"}]}, "- title", "which is not a full https:// address"),
    ({"sources": [{"title": "Guidance", "url": SOURCE["url"]}]}, "- title", "entry 1 has no checked"),
    ({"companions": [{**COMPANION, "approved_on": ""}]}, "- name", "has only one of approved_by and approved_on"),
    ({"companions": [{"name": "Polish"}]}, "- name", "entry 1 has no url"),
])
def test_bad_details_stop_the_build_at_their_line(leaflet, key, message):
    text = config_text(**leaflet)
    with pytest.raises(PluginError) as err:
        model.parse_details(yaml.safe_load(text)["extra"]["leaflet"], text)
    said = str(err.value)
    assert message in said and "Fix:" in said, said
    assert said.startswith(f"mkdocs.yml:{line_of_key(text, key)}: "), (said, text)


@pytest.mark.parametrize("testing, message", [
    ({**TESTING, "people": 0}, "The number of people in the user testing of version"),
    ({**TESTING, "people": "five"}, "The number of people in the user testing of version"),
    ({**TESTING, "date": "November"}, "The user testing date of version"),
    ({**TESTING, "what_changed": ""}, "does not say what changed as a result"),
    ("5 people", "must give date, people and what_changed"),
])
def test_bad_user_testing_is_refused_at_its_line(testing, message):
    entries = [{"version": VERSION, "date": REVIEWED, "changes": "First.", "user_testing": testing}]
    text = yaml.safe_dump(entries, sort_keys=False)
    with pytest.raises(PluginError) as err:
        model.parse_changelog(yaml.safe_load(text), "docs/changelog.yml", text)
    assert str(err.value).startswith(f"docs/changelog.yml:{line_of_key(text, 'user_testing')}: ") and message in str(err.value)
    good = yaml.safe_dump([{**entries[0], "user_testing": TESTING}], sort_keys=False)
    assert model.parse_changelog(yaml.safe_load(good), "x", good)[0].user_testing.people == 5


# --- the words: shown when filled in, nothing when empty -----------------------

def test_each_detail_is_shown_when_filled_in_and_left_out_when_empty():
    empty = parse()
    assert placeholders.how_we_wrote_it(empty) == ""
    assert placeholders.user_testing_text([model.Release(VERSION, REVIEWED, "First.", "")]) == ""
    assert "do not have this leaflet in other languages" in placeholders.companions_text(empty)
    assert "appointment letter" in placeholders.feedback_text(empty)
    assert "01234 567890" in placeholders.feedback_text(parse(phone="01234 567890"))
    # With neither an email nor a form: the footer goes to About's section, the cover says to ask.
    assert placeholders.review_details(LEAFLET, True, False)["feedback_page"] == placeholders.FEEDBACK_ANCHOR
    assert "## Tell us what you think" in (ROOT / "docs" / "about.md").read_text(encoding="utf-8")
    assert placeholders.cover_feedback(empty) == {
        "href": "", "label": "", "text": "tell the staff, or phone the number on your appointment letter"}
    assert "01234 567890" in placeholders.cover_feedback(parse(phone="01234 567890"))["text"]

    full = parse(owner="Consultant interventional radiologist", sources=[SOURCE],
                 companions=[COMPANION, {"name": "Braille", "url": "https://x.example.org/braille"}])
    wrote = placeholders.how_we_wrote_it(full)
    assert "Consultant interventional radiologist" in wrote and f"]({SOURCE['url']})" in wrote
    assert model.long_date(REVIEWED) in wrote
    # Only an approved companion is linked.
    companions = placeholders.companions_text(full)
    assert "[Polish](" in companions and "Translation team" in companions and "Braille" not in companions
    tested = model.Release(VERSION, REVIEWED, "First.", "", user_testing=model.UserTesting(**TESTING))
    said = placeholders.user_testing_text([tested])
    assert "5 people read it" in said and TESTING["what_changed"] in said


def test_feedback_names_the_page_and_the_version():
    d = parse(feedback_email="radiology@example.nhs.uk")
    link = urlsplit(placeholders.feedback_mailto(d, "Risks and side effects"))
    query = parse_qs(link.query)
    assert link.scheme == "mailto" and link.path == "radiology@example.nhs.uk"
    assert query["subject"] == [f"Feedback: {d.title}, version {VERSION}, page: Risks and side effects"]
    assert "What was hard to follow" in query["body"][0]
    form = placeholders.feedback_form(parse(feedback_url="https://example.nhs.uk/form?leaflet=nri"), "risks/")
    assert form == f"https://example.nhs.uk/form?leaflet=nri&version={VERSION}&page=risks/"


def test_the_approval_pack_shows_the_owner_and_the_sources():
    def pack(**extra) -> str:
        return approval.render(approval.make_pack(
            title="T", version=VERSION, pages=[], leaflet_pages=[], source_text=None, facts=[], published=None,
            syllables=Syllables({}), limits={"sentence_words_max": 20, "smog_max": 9}, made_on="today", made_from="a commit", **extra))

    filled = pack(owner="Consultant interventional radiologist",
                  sources=((SOURCE["title"], SOURCE["url"], model.long_date(REVIEWED)),))
    assert "Consultant interventional radiologist" in filled and SOURCE["title"] in filled
    assert f'href="{SOURCE["url"]}"' in filled
    empty = pack()
    assert "None recorded (extra.leaflet.owner)" in empty and "None recorded (extra.leaflet.sources)" in empty


def test_a_source_checked_before_the_last_review_is_noted():
    old = model.Source("Old guidance", "https://x.example.org", REVIEWED - DAY, line=7)
    fresh = model.Source("New guidance", "https://y.example.org", REVIEWED, line=9)
    found = source_date_findings([old, fresh], REVIEWED, "mkdocs.yml")
    assert [(f.where, f.level) for f in found] == [("mkdocs.yml:7", "notice")]
    assert "'Old guidance' was last checked on" in found[0].problem
    assert source_date_findings([fresh], REVIEWED, "mkdocs.yml") == []


# --- the quality report: only what the data supports ---------------------------

def evidence(leaflet: model.Leaflet) -> quality.Evidence:
    return quality.Evidence(leaflet=leaflet, today=REVIEWED, scores=(quality.PageScore("docs/risks.md", 8.8, 10.2, 20),),
                            limits={"smog_max": 9, "sentence_words_max": 20}, files=frozenset({"CONTRIBUTING.md"}))


def test_the_quality_report_claims_nothing_the_data_does_not_support():
    bare = dataclasses.replace(LEAFLET, details=dataclasses.replace(
        LEAFLET.details, owner="", sources=(), companions=(), feedback_email="", feedback_url=""),
        releases=[dataclasses.replace(r, user_testing=None) for r in LEAFLET.releases])
    found = {c.number: c for c in quality.criteria(evidence(bare))}
    assert len(found) == 10
    assert found[5].status == quality.NOT_SHOWN and found[10].status == quality.NOT_SHOWN
    assert any("No owner is named" in m for m in found[4].missing)
    assert any("No record that patients read or tested" in m for m in found[5].missing)
    assert any("No way to send feedback in writing" in m for m in found[8].missing)
    text = quality.markdown(evidence(bare), list(found.values()))
    assert "meets the PIF TICK" not in text.replace(quality.NOT_A_CLAIM, "")

    tested = [dataclasses.replace(r, user_testing=model.UserTesting(**TESTING)) if r.version == VERSION else r
              for r in LEAFLET.releases]
    filled = dataclasses.replace(bare, releases=tested, details=dataclasses.replace(
        bare.details, owner="Consultant interventional radiologist",
        sources=(model.Source(SOURCE["title"], SOURCE["url"], REVIEWED - DAY),), feedback_email="a@example.nhs.uk"))
    found = {c.number: c for c in quality.criteria(evidence(filled))}
    assert found[5].status == quality.SHOWN and "5 people" in found[5].shown[0]
    assert any("Consultant interventional radiologist" in s for s in found[4].shown)
    assert any("Checked before the last review" in m for m in found[4].missing)
    assert any("a@example.nhs.uk" in s for s in found[8].shown)
    page = quality.html(evidence(filled), list(found.values()))
    assert page.startswith("<!DOCTYPE html>") and 'lang="en-GB"' in page and "<script" not in page


# --- a copy of the leaflet with every detail filled in, built -----------------

def footer_links(page: Path) -> dict[str, str]:
    doc = lxml_html.fromstring(page.read_text(encoding="utf-8"))
    return {" ".join(a.text_content().split()): a.get("href") for a in doc.xpath('//div[@class="leaflet-review"]//a')}


@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> Path:
    """The leaflet with a feedback email, an owner, two sources (one checked
    before the last review), an approved and an unapproved companion, and
    user testing for this version: built without PDFs."""
    return Path(once_a_run(tmp_path_factory, "quality-filled", _filled))


def _filled(folder: Path) -> str:
    project = copy_project(folder / "project")
    set_detail(project, "feedback_email", '"radiology.feedback@example.nhs.uk"')
    set_detail(project, "owner", '"Consultant interventional radiologist"')
    old = {**SOURCE, "title": "Older example guidance", "checked": (REVIEWED - DAY).isoformat()}
    set_detail(project, "sources", yaml.safe_dump([{**SOURCE, "checked": REVIEWED.isoformat()}, old],
                                                  default_flow_style=True, width=1000).strip().replace("'", ""))
    set_detail(project, "companions", yaml.safe_dump(
        [{**COMPANION, "approved_on": REVIEWED.isoformat()}, {"name": "Braille", "url": "https://x.example.org/braille"}],
        default_flow_style=True, width=1000).strip().replace("'", ""))
    _write_changelog(project, lambda entries: [{**e, "user_testing": TESTING} if str(e["version"]) == VERSION else e
                                               for e in entries])
    done = build(project)
    assert done.returncode == 0, done.stderr
    return str(project)


def test_every_page_and_the_print_page_link_to_feedback_by_email_and_other_formats(filled: Path):
    site = filled / "site"
    for page in LEAFLET.pages:
        links = footer_links(site / page.url / "index.html")
        mail = urlsplit(links["Tell us what you think about this page"])
        assert mail.scheme == "mailto" and mail.path == "radiology.feedback@example.nhs.uk"
        subject = unquote(parse_qs(mail.query)["subject"][0])
        assert subject.endswith(f"version {VERSION}, page: {page.title}"), subject
        assert urljoin(f"https://site.test/{page.url}", links["Other languages and formats"]) == (
            f"https://site.test/{placeholders.OTHER_FORMATS_PAGE}")
    # The print page hides the footer (it is not printed): its cover, on
    # screen, on paper and in the PDFs, gives both with their addresses.
    cover = lxml_html.fromstring((site / model.PRINT_PAGE / "index.html").read_text(encoding="utf-8"))
    [line] = cover.xpath('//p[@class="leaflet-cover-feedback"]')
    assert " ".join(line.text_content().split()) == (
        "Tell us what you think about this leaflet: email radiology.feedback@example.nhs.uk. Other languages and "
        f"formats: {LEAFLET.addresses.short(LEAFLET.addresses.page(placeholders.OTHER_FORMATS_PAGE))}")
    mail, formats = line.xpath(".//a/@href")
    assert unquote(parse_qs(urlsplit(mail).query)["subject"][0]).endswith("page: Print this leaflet")
    assert formats == LEAFLET.addresses.page(placeholders.OTHER_FORMATS_PAGE)


def test_filled_details_are_shown_to_patients(filled: Path):
    site = filled / "site"
    about = article_text(site / "about" / "index.html")
    assert "This leaflet belongs to our Consultant interventional radiologist." in about
    assert SOURCE["title"] in about and f"we checked it on {model.long_date(REVIEWED)}" in about
    assert f"5 people read it and told us what they thought. {TESTING['what_changed']}" in about
    assert "Email us at radiology.feedback@example.nhs.uk" in about
    assert "5 people read it" in article_text(site / "accessibility" / "index.html")
    formats = lxml_html.fromstring((site / "other-formats" / "index.html").read_text(encoding="utf-8"))
    linked = {" ".join(a.text_content().split()): a.get("href") for a in formats.xpath("//article//a")}
    assert linked.get("Polish") == COMPANION["url"] and "Braille" not in linked  # never linked without an approver


def test_the_check_notes_the_source_checked_before_the_last_review(filled: Path):
    done = subprocess.run([sys.executable, str(filled / "scripts" / "check.py"), "--root", str(filled)],
                          capture_output=True, text=True, env=ENV, cwd=filled)
    config = (filled / "mkdocs.yml").read_text(encoding="utf-8")
    line = next(n for n, text in enumerate(config.splitlines(), start=1) if "Older example guidance" in text)
    assert f"NOTICE mkdocs.yml:{line}: The source 'Older example guidance' was last checked on" in done.stdout, done.stdout
    assert "Example guidance on nerve root injections' was" not in done.stdout


def test_the_quality_report_of_the_filled_copy(filled: Path, tmp_path: Path):
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "quality_report.py"), "--root", str(filled),
                           "--out", str(tmp_path), "--today", REVIEWED.isoformat()],
                          capture_output=True, text=True, env=ENV, cwd=filled)
    assert done.returncode == 0, done.stderr
    text = (tmp_path / "quality-report.md").read_text(encoding="utf-8")
    assert "| 5. Involving users | Evidence in the repository |" in text
    assert "Consultant interventional radiologist" in text and "Polish (approved by Translation team" in text
    assert "pages scored for readability" in text  # from the built site
    assert (tmp_path / "quality-report.html").is_file()


def test_a_feedback_form_gets_the_page_and_the_version(tmp_path: Path):
    project = copy_project(tmp_path / "project")
    set_detail(project, "feedback_url", '"https://www.example.nhs.uk/feedback"')
    done = build(project)
    assert done.returncode == 0, done.stderr
    links = footer_links(project / "site" / "risks" / "index.html")
    assert links["Tell us what you think about this page"] == (
        f"https://www.example.nhs.uk/feedback?version={VERSION}&page=risks/")
    about = article_text(project / "site" / "about" / "index.html")
    assert "Use our feedback form" in about
    cover = (project / "site" / model.PRINT_PAGE / "index.html").read_text(encoding="utf-8")
    assert "use our form at <a href=\"https://www.example.nhs.uk/feedback?version=" in cover
    # Empty lists say nothing to patients.
    assert "We checked this leaflet against" not in about and "belongs to our" not in about
    assert "people read it" not in about
