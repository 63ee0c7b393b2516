"""An editor's routine update passes the tests unchanged: a new version
number, the review dates moved on, a changelog entry with its approver (whose
title holds a glossary word), one sentence reworded and one added, in a copy
of a project that already has two approved versions. The tests that read the
leaflet's details (site, print, release, published tree) run on that copy
as they are: nothing in them names a version or a date."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import APPROVER, ENV, LEAFLET, ROOT, add_to_page, copy_project, other_version, set_detail, set_release

# The tests whose expectations come from the configuration.
TESTS = ["tests/test_site.py", "tests/test_print.py", "tests/test_release.py", "tests/test_published.py"]
MOVED_ON = dt.timedelta(days=3)


# An approver's title that holds a glossary word: names and roles are data,
# shown as typed, never a glossary pop-up (or a Tab stop) on About or What changed.
ROLE_WORD = "radiologist"
APPROVED_BY = f"Dr Test Approver, Consultant {ROLE_WORD}"
ABOUT = next(p.file for p in LEAFLET.pages if p.file == "about.md")


def reword_first_sentence(path: Path) -> str:
    """Reword the first prose line of a page, whatever it says today (by
    value, never by matching exact text); returns the new line."""
    lines = path.read_text(encoding="utf-8").splitlines()
    body = lines.index("---", 1) + 1
    at = next(i for i in range(body, len(lines)) if re.match(r"[A-Z][a-z]+ .*\.$", lines[i]))
    lines[at] = lines[at][:-1] + ", and we keep it that way."
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return lines[at]


def with_two_approved_versions(project: Path) -> str:
    """The leaflet as it stands after a second approved version: the one
    before this, and this one, each approved (make approve) while it was the
    leaflet's version. Returns this version."""
    d = LEAFLET.details
    this = LEAFLET.release
    earlier = other_version(d.version, -1)
    set_detail(project, "version", f'"{earlier}"')
    set_release(project, earlier, d.first_published, "The first version.", APPROVER)
    set_detail(project, "version", f'"{d.version}"')
    set_release(project, d.version, this.date if this else d.last_reviewed,
                this.changes if this else "This version.", (this and this.approved_by) or APPROVER)
    return d.version


def routine_update(project: Path) -> str:
    """What an editor does for the next version: a new number, the review
    dates moved on, a changelog entry with its approver, a sentence reworded
    and one added."""
    d = LEAFLET.details
    new = other_version(d.version, 1)
    set_detail(project, "version", f'"{new}"')
    set_detail(project, "last_reviewed", (d.last_reviewed + MOVED_ON).isoformat())
    set_detail(project, "next_review_due", (d.next_review_due + MOVED_ON).isoformat())
    reword_first_sentence(project / "docs" / ABOUT)
    add_to_page(project, "We read it again for every new version.", f"docs/{ABOUT}")
    # The clinician approves the new text, last, as in real life.
    set_release(project, new, d.last_reviewed + MOVED_ON, "We made the About page clearer.", APPROVED_BY)
    return new


def test_the_update_is_a_real_one(tmp_path: Path):
    """The approver's role holds a glossary word, and a sentence is
    reworded, so the update below tests what it says it does."""
    assert ROLE_WORD in {f.lower() for t in LEAFLET.terms for f in (t.term, *t.forms)}
    page = tmp_path / ABOUT
    shutil.copy2(ROOT / "docs" / ABOUT, page)
    assert reword_first_sentence(page) not in (ROOT / "docs" / ABOUT).read_text(encoding="utf-8")


@pytest.mark.slow
# It runs four test files in a copy, two releases with their PDFs among them:
# about 90 s alone on 2 cores, and it must not be cut off when the machine is busy.
@pytest.mark.timeout(900)
def test_a_routine_update_passes_the_tests_unchanged(tmp_path: Path):
    """On top of a leaflet that already has two approved versions, so the
    changelog lists a version older than the two the published-tree tests
    release."""
    project = copy_project(tmp_path / "project")
    shutil.copytree(ROOT / "tests", project / "tests", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(ROOT / "pyproject.toml", project / "pyproject.toml")
    with_two_approved_versions(project)
    new = routine_update(project)
    assert f'version: "{new}"' in (project / "mkdocs.yml").read_text()
    # Browser tests and the second build for reproducibility add time, not
    # coverage of the leaflet's details.
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "not browser",
                           "-k", "not two_builds",
                           f"--basetemp={tmp_path / 'inner'}", *TESTS],
                          cwd=project, env=ENV, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert " passed" in done.stdout and " failed" not in done.stdout
