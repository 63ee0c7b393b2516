"""What a screen reader hears: each page's accessibility tree (Playwright's
ARIA snapshot), cut down to what a screen reader user moves by, is kept in
tests/screen-reader/, one file a page: landmarks, headings in order, the
names of links, buttons, form controls and images, tables' headers, and the
words of notes, alerts and status messages (the draft notice is a note).
A change to it fails here until the files are written again on purpose with
`make snapshots`, so a reviewer sees it in the pull request.

The leaflet's version numbers and dates become {version} and {date}, and
"What changed" shows one release's entries however many there are, so an
editor's routine update (test_routine_update.py) changes no file."""

from __future__ import annotations

import difflib
import os
import re
from pathlib import Path

import pytest
import yaml

from browser import each_page, serve, site_pages
from helpers import LEAFLET
from leaflet_site.model import long_date
from test_draft import NOTICE

pytestmark = pytest.mark.browser

SNAPSHOTS = Path(__file__).with_name("screen-reader")
FIX = "If this change is meant, run `make snapshots` and commit the files in tests/screen-reader/."
WINDOW = {"width": 375, "height": 812}

LANDMARKS = {"banner", "navigation", "main", "contentinfo", "complementary", "search", "region", "form",
             "dialog", "alertdialog"}
CONTROLS = {"heading", "link", "button", "textbox", "searchbox", "combobox", "listbox", "option", "checkbox",
            "radio", "switch", "slider", "spinbutton", "tab", "menuitem", "table", "columnheader", "rowheader"}
NAMED_ONLY = {"img", "group"}         # kept when named: unnamed ones are icons and wrappers
SPOKEN = {"note", "alert", "status"}  # kept with the words they say
NAME = re.compile(r'(\S+)(?: "((?:[^"\\]|\\.)*)")?')

# Every version number and date in the leaflet's model, old releases included
# (a published tree's versions are added to these where it is tested).
VERSIONS = {LEAFLET.details.version, *(r.version for r in LEAFLET.releases)}
DATES = {LEAFLET.details.first_published, LEAFLET.details.last_reviewed, LEAFLET.details.next_review_due,
         *(r.date for r in LEAFLET.releases)}
DATE_PLACEHOLDERS = [(re.escape(text), "{date}") for d in DATES for text in (long_date(d), d.isoformat())]


def placeholders(versions: set[str]) -> list[tuple[re.Pattern, str]]:
    """What normalise replaces: each version (not inside a longer number) and each date."""
    found = [(rf"(?<![\d.]){re.escape(v)}(?![\d.])", "{version}") for v in sorted(versions)] + DATE_PLACEHOLDERS
    return [(re.compile(pattern), placeholder) for pattern, placeholder in found]


def normalise(text: str, replace: list[tuple[re.Pattern, str]]) -> str:
    for pattern, placeholder in replace:
        text = pattern.sub(placeholder, text)
    return text


def _entry(item) -> tuple[str, object]:
    """A snapshot entry ('heading "Risks" [level=2]', or a mapping of it to
    its text or its children) as (key, value)."""
    return next(iter(item.items())) if isinstance(item, dict) else (item, None)


def _words(value) -> str:
    """What a part of the snapshot says, in order (link addresses left out)."""
    if isinstance(value, str):
        return value
    said = []
    for key, child in map(_entry, value or []):
        role, name = NAME.match(key).groups()
        if name is not None:
            said.append(name)
        elif child and not role.startswith("/"):
            said.append(_words(child))
    return " ".join(" ".join(said).split())


def reduce(items: list, replace: list[tuple[re.Pattern, str]]) -> list:
    """Keep what a screen reader user moves by, with its nesting; an entry
    left out hands what it holds to its parent."""
    kept = []
    for key, value in map(_entry, items or []):
        role, name = NAME.match(key).groups()
        key = normalise(key, replace)
        if role in SPOKEN:
            words = normalise(_words(value), replace)
            kept.append({key: words} if words else key)
        elif role in LANDMARKS or role in CONTROLS or (role in NAMED_ONLY and name):
            children = reduce(value, replace) if isinstance(value, list) else []
            kept.append({key: children} if children else key)
        elif isinstance(value, list):
            kept += reduce(value, replace)
    return _once_for_every_release(kept)


def _once_for_every_release(items: list) -> list:
    """"What changed" has a "Version X" heading and a link a release, so one
    more release would add them again: an entry naming {version} is kept
    the first time only."""
    return [item for n, item in enumerate(items) if not ("{version}" in str(item) and item in items[:n])]


def screen_reader_view(page, versions: set[str] = VERSIONS) -> str:
    """The page's reduced snapshot, as YAML, with `versions` as {version}."""
    tree = yaml.safe_load(page.locator("body").aria_snapshot()) or []
    return yaml.safe_dump(reduce(tree, placeholders(versions)), sort_keys=False, allow_unicode=True, width=1000)


def snapshot_name(path: str) -> str:
    """home, about, print_page, 404: the file name of a page's snapshot."""
    return path.strip("/").removesuffix(".html").replace("/", "-") or "home"


def page_difference(name: str, view: str) -> str:
    """How a page's view differs from its file, or "" when it does not."""
    path = SNAPSHOTS / f"{name}.yml"
    if not path.is_file():
        return f"{name}: has no snapshot file (tests/screen-reader/{path.name}).\n{FIX}"
    kept = path.read_text(encoding="utf-8")
    if kept == view:
        return ""
    diff = difflib.unified_diff(kept.splitlines(), view.splitlines(), f"kept/{path.name}", f"now/{path.name}",
                                lineterm="")
    return f"{name}: what a screen reader hears has changed:\n" + "\n".join(diff) + f"\n{FIX}"


def views(browser, base_url: str, paths: list[str], versions: set[str] = VERSIONS,
          change: str = "") -> dict[str, str]:
    """Each page's view by its snapshot name, after running `change` (a
    script) in it."""
    context = browser.new_context(viewport=WINDOW, color_scheme="light")
    found = {}
    for path, page in each_page(context, base_url, paths):
        if change:
            page.evaluate(change)
        found[snapshot_name(path)] = screen_reader_view(page, versions)
    context.close()
    return found


@pytest.mark.slow
def test_what_a_screen_reader_hears_is_unchanged(browser, published, site: Path, base_url: str, capsys):
    """With UPDATE_SNAPSHOTS=1 (`make snapshots`) the files are written
    instead, and the changed ones listed."""
    now = views(browser, base_url, site_pages(site), VERSIONS | set(published.versions))
    changed = [name for name, view in now.items() if page_difference(name, view)]
    stale = sorted(p.stem for p in SNAPSHOTS.glob("*.yml") if p.stem not in now)
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        SNAPSHOTS.mkdir(exist_ok=True)
        for name in changed:
            (SNAPSHOTS / f"{name}.yml").write_text(now[name], encoding="utf-8")
        for name in stale:
            (SNAPSHOTS / f"{name}.yml").unlink()
        with capsys.disabled():
            print(f"\nScreen reader snapshots written: {', '.join(changed) or 'none'}."
                  f" Removed: {', '.join(stale) or 'none'}.")
        return
    problems = [page_difference(name, now[name]) for name in changed]
    problems += [f"{name}: the snapshot file's page no longer exists.\n{FIX}" for name in stale]
    assert not problems, "\n\n".join(problems)


def test_a_missing_heading_is_reported(browser, published, site: Path, base_url: str):
    """The check is not blind: the home page without its main heading
    differs from its file, and the report names the page."""
    home = site_pages(site)[0]
    name = snapshot_name(home)
    without = views(browser, base_url, [home], VERSIONS | set(published.versions),
                    change="document.querySelector('h1').remove()")
    report = page_difference(name, without[name])
    assert report.startswith(f"{name}: what a screen reader hears has changed:")
    assert any(line.startswith("-") and "[level=1]" in line for line in report.splitlines()), report
    assert report.endswith(FIX)


def _entries(items) -> list[tuple[str, object]]:
    """Every (key, value) of a reduced snapshot, in order."""
    found = []
    for key, value in map(_entry, items or []):
        found.append((key, value))
        if isinstance(value, list):
            found += _entries(value)
    return found


def test_a_draft_says_so_to_a_screen_reader(browser, draft_site: Path):
    with serve(draft_site) as url:
        view = views(browser, url, [""])["home"]
    notes = [value for key, value in _entries(yaml.safe_load(view)) if NAME.match(key)[1] == "note"]
    assert notes and str(notes[0]).startswith(NOTICE), view
