"""An approval binds to the exact text the clinician read (`make approve`):
approve, change one sentence, and the release refuses, naming the page and
the sentence; change only the style sheet and it publishes; approve again
and it publishes; the draft notice comes back after a text change. Versions,
names and pages come from the configuration, never from the test."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from lxml import html as lxml_html

from leaflet_site.names import BRANCH
from helpers import (ENV, LEAFLET, ROOT, add_to_page, approve, build, check, copy_project, git, release, set_detail,
                     set_release)
from leaflet_site import model, patient_text
from leaflet_site.approve import set_entry_keys
from leaflet_site.model import long_date

BY = "Dr Test Approver, Consultant radiologist"
SECTION = LEAFLET.sections[0]
CHANGED = "You will get a letter with the date of your injection."  # a new sentence, in a throwaway copy only


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project in a new git repository, with this version's
    changelog entry and no approval yet."""
    repo = copy_project(tmp_path / "project")
    (repo / ".gitignore").write_text("site/\n__pycache__/\n")
    this = LEAFLET.release
    set_release(repo, LEAFLET.details.version, this.date if this else LEAFLET.details.last_reviewed,
                this.changes if this else "This version.")
    set_detail(repo, "organisation", '"Test Hospitals NHS Trust"')
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Draft")
    return repo


def entry(repo: Path) -> dict:
    entries = yaml.safe_load((repo / "docs" / "changelog.yml").read_text(encoding="utf-8"))
    return next(e for e in entries if str(e["version"]) == LEAFLET.details.version)


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", message)


def page(site: Path, url: str):
    return lxml_html.fromstring((site / url / "index.html").read_bytes())


def text(el) -> str:
    return " ".join(el.text_content().split())


def test_approve_records_who_when_and_the_fingerprint_of_the_text(project: Path):
    done = approve(project, BY)
    recorded = entry(project)
    assert recorded["approved_by"] == BY and recorded["approved_on"] == dt.date.today()
    assert re.fullmatch(r"[0-9a-f]{64}", recorded["fingerprint"])
    assert f"fingerprint {recorded['fingerprint'][:patient_text.SHORT]}" in done.stdout
    # The record holds every page's text, the descriptions and the print cover, and is what the fingerprint is of.
    record = patient_text.record_path(project, LEAFLET.details.version).read_text(encoding="utf-8")
    assert patient_text.fingerprint(record) == recorded["fingerprint"]
    titles = [r.title for r in patient_text.parse_record(record)]
    assert titles == [patient_text.DETAILS[1], *(p.title for p in LEAFLET.pages), patient_text.COVER[1]]
    assert [r.title for r in LEAFLET.records] == titles
    assert "\ndescription: " in record and "\nsearch words: " in record and "\nalt text: " in record
    assert model.load(project).approval == "approved"
    # The comments at the top of the changelog stay.
    assert (project / "docs" / "changelog.yml").read_text().startswith("#")


def test_approved_text_is_not_a_draft_and_a_changed_text_is(project: Path, tmp_path: Path):
    approve(project, BY)
    site = tmp_path / "site"
    assert build(project, site).returncode == 0
    about = text(page(site, "about/"))
    assert f"Approved by {BY} on {long_date(dt.date.today())}" in about
    assert f"Last reviewed {long_date(LEAFLET.details.last_reviewed)}" in about
    assert not page(site, SECTION.url).xpath('//*[contains(@class, "leaflet-draft")]')
    assert not page(site, SECTION.url).findtext(".//title").startswith("Draft:")

    add_to_page(project, CHANGED, f"docs/{SECTION.file}")
    assert build(project, site).returncode == 0
    changed = page(site, SECTION.url)
    assert changed.findtext(".//title").startswith("Draft:")
    assert changed.xpath('//*[contains(@class, "leaflet-draft")]')
    about = text(page(site, "about/"))
    assert f"Approved by {BY}" not in about and "Last reviewed Not yet" in about
    assert model.load(project).approval == "changed"


def test_a_changed_sentence_stops_the_release_naming_the_page_and_the_sentence(project: Path):
    approve(project, BY)
    add_to_page(project, CHANGED, f"docs/{SECTION.file}")
    commit(project, "Approved, then one sentence added")
    done = release(project, LEAFLET.details.version, pdf=False)
    assert done.returncode == 1
    said = done.stderr
    print(said)  # what the editor sees, for the closing note
    assert f"The text patients read has changed since {BY} approved version {LEAFLET.details.version}" in said
    assert f"{SECTION.title} (docs/{SECTION.file}): changed" in said
    assert re.search(rf"now: .*\[added: [^]]*{re.escape(CHANGED)}\]", said)
    assert 'make approve BY="Name, role"' in said
    assert BRANCH not in git(project, "branch", "--list", BRANCH)


def test_a_style_change_publishes_and_a_new_approval_publishes_again(project: Path):
    approve(project, BY)
    css = project / "docs" / "assets" / "leaflet.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n.leaflet-test-rule { color: inherit; }\n", encoding="utf-8")
    commit(project, "Approved; the style sheet changed")
    done = release(project, LEAFLET.details.version, pdf=False)
    assert done.returncode == 0, done.stdout + done.stderr

    # The next version: new text, approved again, publishes.
    new = f"{LEAFLET.details.version.split('.')[0]}.{int(LEAFLET.details.version.split('.')[1]) + 1}"
    set_detail(project, "version", f'"{new}"')
    add_to_page(project, CHANGED, f"docs/{SECTION.file}")
    set_release(project, new, LEAFLET.details.last_reviewed, "A new sentence.", BY)
    commit(project, f"Version {new}, approved")
    done = release(project, new, pdf=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert CHANGED in git(project, "show", f"gh-pages:latest/{SECTION.url}index.html")


def test_the_check_gives_a_notice_per_changed_page(project: Path):
    approve(project, BY)
    add_to_page(project, CHANGED, f"docs/{SECTION.file}")
    assert build(project).returncode == 0
    done = check(project)
    assert done.returncode == 0, done.stdout  # a notice: a draft may change
    assert (f"NOTICE docs/{SECTION.file}: Patient text changed since version {LEAFLET.details.version} "
            "was approved") in done.stdout
    assert done.stdout.count("NOTICE ") == 1


def test_the_job_summary_shows_the_notice_first(project: Path, tmp_path: Path):
    approve(project, BY)
    add_to_page(project, CHANGED, f"docs/{SECTION.file}")
    assert build(project).returncode == 0
    summary = tmp_path / "summary.md"
    env = {**ENV, "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_ACTIONS": "true"}
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "check.py"), "--root", str(project)], env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert summary.read_text().startswith("## Patient text changed since its approval")
    assert f"::notice file=docs/{SECTION.file},title=Leaflet check::" in done.stdout


@pytest.mark.parametrize("keys, problem, key", [
    ({"approved_by": '"Dr Typed By Hand"', "approved_on": "2026-12-01"}, "names who approved it, but not the text",
     "approved_by"),
    ({"approved_by": '"Dr A"', "approved_on": "2026-12-01", "fingerprint": '"abc123"'},
     "is not one that `make approve` writes", "fingerprint"),
    ({"fingerprint": f'"{"0" * 64}"'}, "has a fingerprint but no approved_by", "fingerprint"),
])
def test_an_approval_typed_by_hand_stops_the_build_naming_the_line(project: Path, keys: dict, problem: str, key: str):
    changelog = project / "docs" / "changelog.yml"
    changelog.write_text(set_entry_keys(changelog.read_text(encoding="utf-8"), LEAFLET.details.version, keys))
    done = check(project, "--build")
    assert done.returncode == 1
    line = model.entry_line(changelog.read_text(encoding="utf-8"), LEAFLET.details.version, key)
    assert f"docs/changelog.yml:{line}: " in done.stdout and f"ersion {LEAFLET.details.version} " in done.stdout
    assert problem in done.stdout and "make approve" in done.stdout


def test_approve_refuses_another_version_and_a_version_without_an_entry(project: Path):
    script = [sys.executable, str(project / "scripts" / "approve.py"), "--root", str(project), "--by", BY]
    other = f"{LEAFLET.details.version}.9"
    done = subprocess.run([*script, "--version", other], env=ENV, capture_output=True, text=True)
    assert done.returncode == 1 and f"mkdocs.yml is at version {LEAFLET.details.version}, not {other}" in done.stderr
    set_detail(project, "version", '"9.9"')
    done = subprocess.run(script, env=ENV, capture_output=True, text=True)
    assert done.returncode == 1 and "docs/changelog.yml has no entry for version 9.9" in done.stderr
    entries = yaml.safe_load((project / "docs" / "changelog.yml").read_text(encoding="utf-8"))
    assert not any(e.get("approved_by") or e.get("fingerprint") for e in entries)


def test_a_record_edited_by_hand_stops_the_release(project: Path):
    approve(project, BY)
    record = patient_text.record_path(project, LEAFLET.details.version)
    record.write_text(record.read_text(encoding="utf-8").replace("paragraph: ", "paragraph: Edited. ", 1))
    commit(project, "Approved, then the record edited by hand")
    assert model.load(project).approval == "approved"  # the text itself is still the text approved
    done = release(project, LEAFLET.details.version, pdf=False)
    assert done.returncode == 1
    assert f"approvals/{LEAFLET.details.version}.txt" in done.stderr and "edited by hand" in done.stderr


def test_the_fingerprint_ignores_templates_and_style_sheets(project: Path):
    before = model.load(project).fingerprint
    main = project / "overrides" / "main.html"
    main.write_text(main.read_text(encoding="utf-8") + "\n{#- a comment: the words are the same -#}\n")
    (project / "docs" / "assets" / "leaflet.css").write_text("/* nothing */\n")
    assert model.load(project).fingerprint == before
    add_to_page(project, CHANGED, f"docs/{SECTION.file}")
    assert model.load(project).fingerprint != before


def test_the_record_reads_what_the_built_pages_say(site: Path):
    """The fingerprint's text is the built text: each page's record is the
    text the approval pack reads from the published page. (About, What
    changed and the accessibility statement say whether the version is
    approved, and the record always has their draft form.)"""
    from leaflet_site import approval

    records = {r.url: r for r in LEAFLET.records}
    assert set(records) == {patient_text.DETAILS[0], *(p.url for p in LEAFLET.pages), patient_text.COVER[0]}
    said_by_approval = {"about.md", "history.md", "accessibility.md"}
    for p in LEAFLET.pages:
        if p.file in said_by_approval:
            continue
        built = approval.read_article((site / p.url / "index.html").read_text(encoding="utf-8"))
        mine = [b for b in records[p.url].blocks
                if b.kind not in (patient_text.DESCRIPTION, patient_text.SEARCH_WORDS, patient_text.ALT_TEXT)]
        assert built == mine, p.file
