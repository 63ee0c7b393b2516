"""An editor's routine update passes the tests unchanged: a new version
number, the review dates moved on, a changelog entry with its approver and
one sentence added, in a copy of the project. The tests that read the
leaflet's details (site, print, release, published tree) run on that copy
as they are: nothing in them names a version or a date."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import ENV, LEAFLET, ROOT, add_to_page, copy_project, other_version, set_detail, set_release

# The tests whose expectations come from the configuration.
TESTS = ["tests/test_site.py", "tests/test_print.py", "tests/test_release.py", "tests/test_published.py"]
MOVED_ON = dt.timedelta(days=3)


def routine_update(project: Path) -> str:
    d = LEAFLET.details
    new = other_version(d.version, 1)
    set_detail(project, "version", f'"{new}"')
    set_detail(project, "last_reviewed", (d.last_reviewed + MOVED_ON).isoformat())
    set_detail(project, "next_review_due", (d.next_review_due + MOVED_ON).isoformat())
    set_release(project, new, d.last_reviewed + MOVED_ON, "We made the About page clearer.", "Dr Test Approver")
    about = next(p.file for p in LEAFLET.pages if p.file == "about.md")
    add_to_page(project, "We read it again for every new version.", f"docs/{about}")
    return new


@pytest.mark.slow
def test_a_routine_update_passes_the_tests_unchanged(tmp_path: Path):
    project = copy_project(tmp_path / "project")
    shutil.copytree(ROOT / "tests", project / "tests", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(ROOT / "pyproject.toml", project / "pyproject.toml")
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
