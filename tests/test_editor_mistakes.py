"""Eleven mistakes editors make, each on a copy of the real site. Every message
must name the file (and line where there is one), say what is wrong in one
sentence, and say how to fix it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import ENV, copy_project, edit, make_check


def broken_link(p: Path):
    edit(p / "docs/after.md", "## Going home", "Read [the risks](risk.md).\n\n## Going home")


def long_sentence(p: Path):
    edit(p / "docs/after.md", "## Going home",
         "You should rest at home for the rest of the day and ask a friend or a member of your family to stay with you tonight.\n\n## Going home")


def spelling(p: Path):
    edit(p / "docs/after.md", "Ask someone to collect you.", "Ask someone to colect you.")


def missing_alt_text(p: Path):
    (p / "docs/needle.png").write_bytes((Path(__file__).parent / "pixel.png").read_bytes())
    edit(p / "docs/on-the-day.md", "## How long it takes", "![](needle.png)\n\n## How long it takes")


def heading_skipped(p: Path):
    edit(p / "docs/after.md", "## Going home", "#### Going home")


def raw_html(p: Path):
    edit(p / "docs/after.md", "We advise you not to drive home.", "<b>We advise you not to drive home.</b>")


def bad_front_matter(p: Path):
    edit(p / "docs/after.md", "description: What to expect", "description: [What to expect")


def missing_from_navigation(p: Path):
    (p / "docs/parking.md").write_text("---\ndescription: Parking.\n---\n\n# Parking\n\nYou can park next to the main door of the hospital.\n")


def past_review_date(p: Path):
    edit(p / "mkdocs.yml", "next_review_due: 2029-11-28", "next_review_due: 2026-11-27")
    edit(p / "mkdocs.yml", "last_reviewed: 2026-11-28", "last_reviewed: 2026-11-01")
    edit(p / "mkdocs.yml", "first_published: 2026-11-28", "first_published: 2026-11-01")


def heavy_picture(p: Path):
    (p / "docs/scan.png").write_bytes(b"\x89PNG" + bytes(range(256)) * 300)  # a 75 KB photo
    edit(p / "docs/on-the-day.md", "## How long it takes", "![A CT scan of the lower back](scan.png)\n\n## How long it takes")


MISTAKES = [
    # (what the editor did, where the message must point, words it must say)
    (broken_link, r"docs/after\.md:\d+", "The link to 'risk.md' points at a page or file that does not exist."),
    (long_sentence, r"docs/after\.md:\d+", "This sentence has 26 words"),
    (spelling, r"docs/after\.md:\d+", "'colect' is not in the British English dictionary."),
    (missing_alt_text, r"docs/on-the-day\.md:\d+", "has no text description (alt text)"),
    (heading_skipped, r"docs/after\.md:\d+", "This heading jumps from level 2 to level 4"),
    (raw_html, r"docs/after\.md:\d+", "This line has raw HTML (<b>)."),
    (bad_front_matter, r"docs/after\.md:1", "the front matter (between the --- lines at the top) is not valid YAML."),
    (missing_from_navigation, r"docs/parking\.md", "This page is not in the site's menu"),
    (past_review_date, r"mkdocs\.yml:\d+", "The leaflet was due for review on 27 November 2026"),
    (heavy_picture, r"docs/on-the-day\.md:\d+", "over the budget of 60 KB"),
]


# Mistakes the build gets past are found by the check; several sit in one copy
# of the site, so one build serves them (each still needs its own message).
# Mistakes that stop the build get a copy each.
STOPS_THE_BUILD = {broken_link, bad_front_matter, missing_from_navigation}


@pytest.fixture(scope="module")
def together(tmp_path_factory) -> tuple[int, str]:
    project = copy_project(tmp_path_factory.mktemp("together") / "project")
    for mistake, _, _ in MISTAKES:
        if mistake not in STOPS_THE_BUILD:
            mistake(project)
    return make_check(project)


@pytest.mark.parametrize("mistake, where, says", MISTAKES, ids=[m[0].__name__ for m in MISTAKES])
def test_mistake_gets_a_clear_message(tmp_path: Path, request, mistake, where: str, says: str):
    if mistake in STOPS_THE_BUILD:
        project = copy_project(tmp_path / "project")
        mistake(project)
        code, output = make_check(project)
    else:
        code, output = request.getfixturevalue("together")
    assert code == 1, output
    message = next((line for line in output.splitlines() if says in line), None)
    assert message, f"No message saying {says!r} in:\n{output}"
    assert re.match(rf"ERROR {where}: ", message), message
    fix = output.splitlines()[output.splitlines().index(message) + 1]
    assert fix.startswith("    Fix: ") and len(fix) > 20, fix


def test_missing_changelog_entry_stops_a_release(tmp_path: Path):
    """The tenth mistake: releasing a version with no changelog entry."""
    project = copy_project(tmp_path / "project")
    edit(project / "mkdocs.yml", 'version: "1.0"', 'version: "1.1"')
    done = subprocess.run([sys.executable, "scripts/release.py", "1.1"], cwd=project, env=ENV,
                          capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stderr.startswith("Release stopped: docs/changelog.yml has no entry for version 1.1. Fix: ")
