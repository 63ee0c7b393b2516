"""Twelve mistakes editors make, each on a copy of the real site. Every message
must name the file (and line where there is one), say what is wrong in one
sentence, and say how to fix it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import datetime as dt

import helpers
from helpers import ENV, LEAFLET, copy_project, make_check, once_a_run, other_version, set_detail
from leaflet_site.check.weight import FIRST_VISIT_BUDGET
from leaflet_site.model import long_date

# Two of the leaflet's sections (from the nav): the mistakes go into these.
PAGE, OTHER = (f"docs/{s.file}" for s in LEAFLET.sections[:2])
TODAY = dt.date.today()
OVERDUE = TODAY - dt.timedelta(days=3)


def add_to_page(p: Path, text: str, page: str = PAGE) -> None:
    helpers.add_to_page(p, text, page)


def broken_link(p: Path):
    add_to_page(p, "Read [the risks](risk.md).")


def long_sentence(p: Path):
    add_to_page(p, "You should rest at home for the rest of the day and ask a friend or a member of your family "
                   "to stay with you tonight.")


def spelling(p: Path):
    add_to_page(p, "Ask someone to colect you.")


def missing_alt_text(p: Path):
    (p / "docs/needle.png").write_bytes((Path(__file__).parent / "pixel.png").read_bytes())
    add_to_page(p, "![](needle.png)", OTHER)


def heading_skipped(p: Path):
    add_to_page(p, "#### Resting at home\n\nRest for the rest of the day.")


def raw_html(p: Path):
    add_to_page(p, "<b>Please rest.</b>")


def bad_front_matter(p: Path):
    path = p / PAGE
    path.write_text(path.read_text(encoding="utf-8").replace("description: ", "description: [", 1), encoding="utf-8")


def missing_from_navigation(p: Path):
    (p / "docs/parking.md").write_text("---\ndescription: Parking.\n---\n\n# Parking\n\nYou can park next to the main door of the hospital.\n")


def past_review_date(p: Path):
    set_detail(p, "next_review_due", OVERDUE.isoformat())
    set_detail(p, "last_reviewed", (OVERDUE - dt.timedelta(days=30)).isoformat())
    set_detail(p, "first_published", min(LEAFLET.details.first_published, OVERDUE - dt.timedelta(days=30)).isoformat())


def heavy_picture(p: Path):
    (p / "docs/scan.png").write_bytes(b"\x89PNG" + bytes(range(256)) * 300)  # a 75 KB photo
    add_to_page(p, "![A CT scan of the lower back](scan.png)", OTHER)


def unknown_statement(p: Path):
    add_to_page(p, "<!-- leaflet:statement drive-hom -->")


def _at(page: str) -> str:
    return re.escape(page) + r":\d+"


MISTAKES = [
    # (what the editor did, where the message must point, words it must say)
    (broken_link, _at(PAGE), "The link to 'risk.md' points at a page or file that does not exist."),
    (long_sentence, _at(PAGE), "This sentence has 26 words"),
    (spelling, _at(PAGE), "'colect' is not in the British English dictionary."),
    (missing_alt_text, _at(OTHER), "has no text description (alt text)"),
    (heading_skipped, _at(PAGE), "This heading jumps from level 2 to level 4"),
    (raw_html, _at(PAGE), "This line has raw HTML (<b>)."),
    (bad_front_matter, re.escape(PAGE) + ":1", "The front matter (between the --- lines at the top) is not valid YAML."),
    (missing_from_navigation, r"docs/parking\.md", "This page is not in the site's menu"),
    (past_review_date, r"mkdocs\.yml:\d+", f"The leaflet was due for review on {long_date(OVERDUE)}"),
    (heavy_picture, _at(OTHER), f"over the budget of {FIRST_VISIT_BUDGET // 1024} KB"),
    (unknown_statement, _at(PAGE), "Unknown statement 'drive-hom' in 'leaflet:statement drive-hom'."),
]


# Mistakes the build gets past are found by the check; several sit in one copy
# of the site, so one build serves them (each still needs its own message).
# Mistakes that stop the build get a copy each.
STOPS_THE_BUILD = {bad_front_matter, unknown_statement}


@pytest.fixture(scope="module")
def together(tmp_path_factory) -> tuple[int, str]:
    def make(folder: Path) -> tuple[int, str]:
        project = copy_project(folder / "project")
        for mistake, _, _ in MISTAKES:
            if mistake not in STOPS_THE_BUILD:
                mistake(project)
        return make_check(project)

    code, output = once_a_run(tmp_path_factory, "mistakes-together", make)  # once a run, whichever worker asks first
    return code, output  # JSON gives a list back


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
    new = other_version(LEAFLET.details.version, 1)
    set_detail(project, "version", f'"{new}"')
    done = subprocess.run([sys.executable, "scripts/release.py", new], cwd=project, env=ENV,
                          capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stderr.startswith(f"Release stopped: docs/changelog.yml has no entry for version {new}. Fix: ")


def test_one_run_reports_every_mistake_in_file_and_line_order(together):
    """The mistakes the build gets past are all in one run, sorted by file
    and line, and a mistyped link suggests the page meant."""
    code, output = together
    where = [re.match(r"(?:ERROR|WARNING) ([^:\s]+)(?::(\d+))?:", line) for line in output.splitlines()]
    order = [(m.group(1), int(m.group(2) or 0)) for m in where if m]
    assert len(order) >= len(MISTAKES) - len(STOPS_THE_BUILD)
    assert order == sorted(order)
    fix = output.splitlines()[output.splitlines().index(
        next(line for line in output.splitlines() if "The link to 'risk.md'" in line)) + 1]
    risks = next(s.file for s in LEAFLET.sections if s.file.startswith("risk"))
    assert f"Did you mean {risks}?" in fix
