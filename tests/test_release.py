"""Versioned releases with mike, in a temporary git repository: every
published version stays as it was, latest always points at the newest, and
a release needs a changelog entry and a new number."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from browser import open_page, serve
from helpers import ENV, build, check, copy_project, edit

GIT_ENV = {**ENV, "LEAFLET_PDF": "off", "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org"}


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, env=GIT_ENV, capture_output=True, text=True, check=True).stdout


def release(repo: Path, version: str, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "scripts/release.py", version, *extra], cwd=repo, env=GIT_ENV,
                          capture_output=True, text=True)


def tree(repo: Path, path: str) -> dict[str, str]:
    """File -> blob hash of everything under path on gh-pages."""
    lines = git(repo, "ls-tree", "-r", "gh-pages", "--", path).splitlines()
    return {line.split("\t")[1]: line.split()[2] for line in lines}


def new_version(repo: Path, version: str, changes: str, approved: str = "Dr Test Approver") -> None:
    edit(repo / "mkdocs.yml", f'version: "{_current(repo)}"', f'version: "{version}"')
    log = repo / "docs" / "changelog.yml"
    entry = f'- version: "{version}"\n  date: 2026-12-01\n  changes: {changes}\n  approved_by: "{approved}"\n'
    text = log.read_text()
    log.write_text(text.replace("- version:", entry + "- version:", 1))


def _current(repo: Path) -> str:
    return yaml.safe_load((repo / "mkdocs.yml").read_text())["extra"]["leaflet"]["version"]


class Repo(type(Path())):
    first: dict[str, str]  # gh-pages files of 1.0 right after its release


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Repo:
    """A repository with versions 1.0 and 1.1 released, and what 1.0 was."""
    repo = Repo(copy_project(tmp_path_factory.mktemp("release") / "leaflet"))
    (repo / ".gitignore").write_text("site/\n__pycache__/\n")
    edit(repo / "docs" / "changelog.yml", 'approved_by: ""', 'approved_by: "Dr Test Approver"')
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Leaflet 1.0")
    done = release(repo, "1.0")
    assert done.returncode == 0, done.stdout + done.stderr
    repo.first = tree(repo, "1.0")
    edit(repo / "docs" / "risks.md", "The risks of this injection are low.", "The risks of this injection are low for most people.")
    new_version(repo, "1.1", "We made the risks page clearer.")
    git(repo, "commit", "-qam", "Leaflet 1.1")
    done = release(repo, "1.1")
    assert done.returncode == 0, done.stdout + done.stderr
    return repo


def test_both_versions_are_kept_and_latest_is_the_newest(repo: Path):
    versions = json.loads(git(repo, "show", "gh-pages:versions.json"))
    assert [(v["version"], v["aliases"]) for v in versions] == [("1.1", ["latest"]), ("1.0", [])]
    assert "low for most people" in git(repo, "show", "gh-pages:1.1/risks/index.html")
    assert "low for most people" not in git(repo, "show", "gh-pages:1.0/risks/index.html")
    # /latest/ is the newest version itself (no redirect to wait for).
    within = lambda files: {name.split("/", 1)[1]: blob for name, blob in files.items()}  # noqa: E731
    assert within(tree(repo, "latest")) == within(tree(repo, "1.1"))


def test_releasing_1_1_leaves_every_file_of_1_0_as_it_was(repo: Path):
    assert len(repo.first) > 20
    assert tree(repo, "1.0") == repo.first


def test_the_root_redirect_page_is_accessible(repo: Path):
    page = git(repo, "show", "gh-pages:index.html")
    assert '<html lang="en-GB">' in page
    assert "<title>Opening the latest version of the leaflet</title>" in page
    assert "go to the latest version of the leaflet</a>" in page


def test_every_published_address_opens_under_latest(repo: Path):
    register = [u for u in (repo / "published-urls.txt").read_text().splitlines() if u.startswith("/")]
    files = set(tree(repo, "latest"))
    missing = [u for u in register if f"latest{u}index.html" not in files]
    assert not missing


def test_releasing_a_published_version_again_fails_unless_forced(repo: Path):
    edit(repo / "mkdocs.yml", 'version: "1.1"', 'version: "1.0"')
    try:
        done = release(repo, "1.0")
        assert done.returncode == 1
        assert "Version 1.0 is published already, and published versions never change." in done.stderr
        assert tree(repo, "1.0") == repo.first
    finally:
        edit(repo / "mkdocs.yml", 'version: "1.0"', 'version: "1.1"')


def test_a_release_needs_a_changelog_entry(repo: Path):
    edit(repo / "mkdocs.yml", 'version: "1.1"', 'version: "1.2"')
    try:
        done = release(repo, "1.2")
        assert done.returncode == 1
        assert "docs/changelog.yml has no entry for version 1.2." in done.stderr
    finally:
        edit(repo / "mkdocs.yml", 'version: "1.2"', 'version: "1.1"')


def test_a_release_needs_an_approver(repo: Path):
    new_version(repo, "1.2", "Nothing yet.", approved="")
    try:
        done = release(repo, "1.2")
        assert done.returncode == 1
        assert "version 1.2 has no approved_by (who approved it)" in done.stderr
    finally:
        git(repo, "checkout", "--", "mkdocs.yml", "docs/changelog.yml")


@pytest.mark.browser
def test_old_versions_say_so_and_link_to_the_current_page(repo: Path, browser, tmp_path: Path):
    export = tmp_path / "gh-pages"
    export.mkdir()
    archive = subprocess.run(["git", "archive", "gh-pages"], cwd=repo, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(export)], input=archive, check=True)
    context = browser.new_context(viewport={"width": 375, "height": 812})
    with serve(export) as url:
        old = open_page(context, url + "1.0/risks/")
        banner = old.locator("[data-md-component=outdated]")
        banner.wait_for(state="visible")
        assert "This is an old version of this leaflet (version 1.0, published 28 November 2026)" in " ".join(banner.inner_text().split())
        versions = old.eval_on_selector_all(".md-version__link", "els => els.map(e => e.textContent.trim())")
        assert versions == ["1.1latest", "1.0"], versions  # the selector shows "latest" beside 1.1
        old.get_by_role("link", name="Read the latest version of this page").click()
        old.wait_for_url("**/latest/risks/")
        assert "low for most people" in old.inner_text("article")  # 1.1's text, with no redirect
        for address in ["latest/risks/", "1.1/risks/"]:
            new = open_page(context, url + address)
            new.wait_for_timeout(500)
            assert not new.locator("[data-md-component=outdated]").is_visible()
            assert new.locator(".md-version__current").inner_text() == "1.1latest"  # version, then its alias
        root = context.new_page()  # the root is a redirect page
        root.goto(url)
        root.wait_for_url("**/latest/")
    context.close()


def test_a_past_review_date_fails_the_check(repo: Path):
    assert build(repo).returncode == 0
    late = check(repo, "--today", "2030-01-01")
    assert late.returncode == 1
    assert "ERROR mkdocs.yml:" in late.stdout and "was due for review on 28 November 2029" in late.stdout
    soon = check(repo, "--today", "2029-10-15")
    assert soon.returncode == 0
    assert "WARNING mkdocs.yml:" in soon.stdout and "due for review in 44 days" in soon.stdout
