"""Versioned releases with mike, in a throwaway git repository (the shared
`published` fixture: the version before this one, then this one): every
published version stays as it was, latest is always the newest, and a
release needs a changelog entry, an approver and a new number. Versions,
dates and approvers come from the configuration, so a new version changes
no test."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from browser import open_page
from leaflet_site.names import BRANCH, LATEST
from helpers import (CHANGED_PAGE_NOTE, CHANGED_SECTION, LEAFLET, build, check, git, other_version, release, set_detail,
                     set_release)
from leaflet_site.model import long_date


def tree(repo: Path, path: str, ref: str = BRANCH) -> dict[str, str]:
    """File -> blob hash of everything under path on a gh-pages commit."""
    lines = git(repo, "ls-tree", "-r", ref, "--", path).splitlines()
    return {line.split("\t")[1]: line.split()[2] for line in lines}


@pytest.fixture
def clone(published, tmp_path: Path) -> Path:
    """A clone of the published repository for a test that changes it."""
    repo = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(published.repo), str(repo))
    git(repo, "branch", "-q", BRANCH, f"origin/{BRANCH}")
    return repo


def test_both_versions_are_kept_and_latest_is_the_newest(published):
    earlier, current = published.versions
    versions = json.loads(git(published.repo, "show", "gh-pages:versions.json"))
    assert [(v["version"], v["aliases"]) for v in versions] == [(current, [LATEST]), (earlier, [])]
    page = CHANGED_SECTION.url
    assert CHANGED_PAGE_NOTE in git(published.repo, "show", f"gh-pages:{earlier}/{page}index.html")
    assert CHANGED_PAGE_NOTE not in git(published.repo, "show", f"gh-pages:{current}/{page}index.html")
    # /latest/ is the newest version itself (no redirect to wait for).
    # Only its "page not found" page differs: it loads /latest/'s own files.
    within = lambda files: {name.split("/", 1)[1]: blob for name, blob in files.items()}  # noqa: E731
    latest, newest = within(tree(published.repo, LATEST)), within(tree(published.repo, current))
    assert {f for f in latest if latest[f] != newest.get(f)} == {"404.html"} and latest.keys() == newest.keys()
    path = LEAFLET.addresses.path
    page = (published.tree / current / "404.html").read_text()
    assert f'"{path}{current}/' in page
    assert (published.latest / "404.html").read_text() == page.replace(f'"{path}{current}/', f'"{path}latest/')
    assert (published.tree / "404.html").read_text() == (published.latest / "404.html").read_text()


def test_releasing_a_version_leaves_every_file_of_the_one_before_as_it_was(published):
    earlier = published.versions[0]
    first = git(published.repo, "rev-parse", f"gh-pages^{{/^Release {earlier}:}}").strip()
    assert len(tree(published.repo, earlier, first)) > 20
    assert tree(published.repo, earlier) == tree(published.repo, earlier, first)


def test_the_root_redirect_page_is_accessible(published):
    page = (published.tree / "index.html").read_text()
    assert '<html lang="en-GB">' in page
    assert "<title>Opening the latest version of the leaflet</title>" in page
    assert "go to the latest version of the leaflet</a>" in page


def test_every_published_address_opens_under_latest(published):
    register = [u for u in (published.repo / "published-urls.txt").read_text().splitlines() if u.startswith("/")]
    missing = [u for u in register if not (published.latest / u.lstrip("/") / "index.html").is_file()]
    assert not missing


def test_releasing_a_published_version_again_fails_unless_forced(clone: Path):
    current = LEAFLET.details.version
    before = tree(clone, current)
    done = release(clone, current, pdf=False)
    assert done.returncode == 1
    assert f"Version {current} is published already, and published versions never change." in done.stderr
    assert tree(clone, current) == before


def test_a_release_needs_a_changelog_entry(clone: Path):
    new = other_version(LEAFLET.details.version, 1)
    set_detail(clone, "version", f'"{new}"')
    done = release(clone, new, pdf=False)
    assert done.returncode == 1
    assert f"docs/changelog.yml has no entry for version {new}." in done.stderr


def next_version(clone: Path, approver: str) -> str:
    """An editor's next version, not committed: its number and its changelog entry."""
    new = other_version(LEAFLET.details.version, 1)
    set_detail(clone, "version", f'"{new}"')
    set_release(clone, new, LEAFLET.details.last_reviewed, "Nothing yet.", approver)
    return new


def test_a_release_needs_an_approver(clone: Path):
    new = next_version(clone, approver="")
    done = release(clone, new, pdf=False)
    assert done.returncode == 1
    assert f"Version {new} has not been approved: no clinician has approved its text." in done.stderr
    assert 'make approve BY="Name, role"' in done.stderr


@pytest.mark.browser
def test_old_versions_say_so_and_link_to_the_current_page(published, browser, tree_url: str):
    earlier, current = published.versions
    page = CHANGED_SECTION.url
    context = browser.new_context(viewport={"width": 375, "height": 812})
    old = open_page(context, f"{tree_url}{earlier}/{page}")
    banner = old.locator("[data-md-component=outdated]")
    banner.wait_for(state="visible")
    said = " ".join(banner.inner_text().split())
    assert f"This is an old version of this leaflet (version {earlier}, published " \
           f"{long_date(LEAFLET.details.first_published)})" in said
    versions = old.eval_on_selector_all(".md-version__link", "els => els.map(e => e.textContent.trim())")
    assert versions == [f"{current} {LATEST}", earlier], versions  # the selector shows "latest" beside the newest
    old.get_by_role("link", name="Read the latest version of this page").click()
    old.wait_for_url(f"**/latest/{page}")
    assert CHANGED_PAGE_NOTE not in old.inner_text("article")  # the current text, with no redirect
    for address in [f"latest/{page}", f"{current}/{page}"]:
        new = open_page(context, tree_url + address)
        new.wait_for_timeout(500)
        assert not new.locator("[data-md-component=outdated]").is_visible()
        assert new.locator(".md-version__current").inner_text() == f"{current} {LATEST}"  # version, then its alias
    root = context.new_page()  # the root is a redirect page
    root.goto(tree_url)
    root.wait_for_url("**/latest/")
    context.close()


def test_a_past_review_date_fails_the_check(clone: Path):
    assert build(clone).returncode == 0
    due = LEAFLET.details.next_review_due
    late = check(clone, "--today", (due.replace(year=due.year + 1)).isoformat())
    assert late.returncode == 1
    assert "ERROR mkdocs.yml:" in late.stdout and f"was due for review on {long_date(due)}" in late.stdout
    import datetime as dt

    soon = check(clone, "--today", (due - dt.timedelta(days=44)).isoformat())
    assert soon.returncode == 0
    assert "WARNING mkdocs.yml:" in soon.stdout and "due for review in 44 days" in soon.stdout


def test_a_release_refuses_changes_that_are_not_committed(clone: Path):
    new = next_version(clone, approver="Dr Test Approver")
    done = release(clone, new, pdf=False)
    assert done.returncode == 1
    assert f"Some changes are not committed yet (docs/changelog.yml, mkdocs.yml, approvals/{new}.txt)" in done.stderr
    assert "Fix: commit them (git add, then git commit), then run the release again." in done.stderr


def test_asking_for_the_wrong_version_never_advises_going_back(clone: Path):
    current, new = LEAFLET.details.version, other_version(LEAFLET.details.version, 1)
    done = release(clone, new, pdf=False)
    assert done.returncode == 1
    assert f"You asked to publish version {new}, but mkdocs.yml says this is version {current}." in done.stderr
    assert f"run make release VERSION={current}" in done.stderr and f'first set version: "{new}"' in done.stderr


@pytest.mark.parametrize("mistake, said", [
    # The build stops (a link to no page): said as the check says it, with the file and the fix.
    ("See [the old page](nowhere.md).", "The build failed:\nERROR docs/"),
    # The build passes but the check does not (a sentence of 30 words).
    (" ".join(["word"] * 29) + " end.", "The check failed:\n"),
], ids=["the build stops", "the check finds a mistake"])
def test_a_release_that_fails_its_build_or_its_check_publishes_nothing(clone: Path, mistake: str, said: str):
    """A release builds once, and mike publishes that build only once the
    check has read it: a mistake in it leaves gh-pages as it was."""
    from helpers import add_to_page

    before = git(clone, "rev-parse", BRANCH).strip()
    add_to_page(clone, mistake, f"docs/{LEAFLET.sections[0].file}")
    new = next_version(clone, approver="Dr Test Approver")
    git(clone, "add", "-A")
    git(clone, "commit", "-qm", "A mistake, approved")
    done = release(clone, new, pdf=False)
    assert done.returncode == 1, done.stdout + done.stderr
    assert said in done.stderr, done.stderr
    assert git(clone, "rev-parse", BRANCH).strip() == before
