from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from helpers import (CHANGED_SECTION, LEAFLET, ORGANISATION, build, copy_project, export, once_a_run,
                     publish_two_versions, run_folder, set_detail, set_release)


# The fixtures that wait for the published tree (made once a run).
_PUBLISHED = {"published", "site", "tree_url", "base_url"}
# Results made once a run (helpers.once_a_run) that only some tests read:
# every engine's findings on every page (about 45 s), the approval pack, the
# draft site, the texts the published tree gives out, the editor's mistakes
# checked together, the builds counted.
_MADE_BY_THE_FIRST = ("engine_findings", "packed", "draft_site", "given_out", "together", "counted")


def pytest_collection_modifyitems(items) -> None:
    """The slowest tests first: with several workers, the rest run beside
    them instead of after them (the Makefile hands out one test at a time,
    --maxschedchunk 1, so they go to different workers). One of them starts
    the published tree; the slow ones that do not need it come next, so the
    other workers are busy meanwhile instead of waiting for it."""
    def needs_tree(item) -> bool:
        return bool(_PUBLISHED & set(getattr(item, "fixturenames", ())))

    slow = [i for i in items if i.get_closest_marker("slow")]
    starter = next((i for i in slow if needs_tree(i)), None)
    order = {id(starter): 0} if starter else {}
    # A result made once a run by its first test: the others that read it
    # go last, by when it is made, instead of waiting for it on a worker of
    # their own (with two workers, half the machine stood idle for 15 s).
    first_to_last = [*slow, *(i for i in items if not i.get_closest_marker("slow"))]
    for shared in _MADE_BY_THE_FIRST:
        readers = [i for i in first_to_last if shared in getattr(i, "fixturenames", ())]
        order.update((id(i), 5) for i in readers[1:])
    for item in items:
        if id(item) not in order:
            order[id(item)] = (1 if item.get_closest_marker("slow") else 3) + needs_tree(item)
    items.sort(key=lambda item: order[id(item)])


@dataclass(frozen=True)
class Published:
    repo: Path            # a git repository with two versions released on gh-pages
    tree: Path            # gh-pages, exported: what the host serves
    versions: list[str]   # oldest first; the last is this commit's version

    @property
    def latest(self) -> Path:
        return self.tree / "latest"

    @property
    def earlier_pages(self) -> list[str]:
        """The older version's pages that the audits read, as paths in the
        tree: its home page and the page that changed in it. Its other pages
        are this version's, made by the same templates, with the same
        old-version banner as these two."""
        earlier, changed = self.versions[0], CHANGED_SECTION.url.strip("/")
        return [f"{earlier}/", f"{earlier}/{changed}/"]


@pytest.fixture(scope="session")
def published(tmp_path_factory) -> Published:
    """What patients and GP practices get: the version before this one and
    then this one, released with `make release`'s own code into a throwaway
    repository, PDFs and QR codes included. Made once a test run: the first
    worker publishes, the others wait and share it."""
    def make(folder: Path) -> list[str]:
        repo, versions = publish_two_versions(folder / "repo")
        export(repo, folder / "tree")
        return versions

    versions = once_a_run(tmp_path_factory, "published", make)
    folder = run_folder(tmp_path_factory) / "published"
    return Published(folder / "repo", folder / "tree", versions)


@pytest.fixture(scope="session")
def site(published: Published) -> Path:
    """The current version as published: the /latest/ folder of the tree."""
    return published.latest


@pytest.fixture(scope="session")
def draft_site(tmp_path_factory) -> Path:
    """This commit with no approver recorded for its version, built with its
    PDFs: what an editor sees before a clinician approves the version. It
    names an organisation too (the real leaflet may leave it empty)."""
    def make(folder: Path) -> str:
        project = copy_project(folder)
        this = LEAFLET.release
        set_release(project, LEAFLET.details.version, this.date if this else LEAFLET.details.last_reviewed,
                    this.changes if this else "This version.", "")
        set_detail(project, "organisation", f'"{ORGANISATION}"')
        done = build(project, project / "site", pdf=True)
        assert done.returncode == 0, done.stdout + done.stderr
        return str(project / "site")

    return Path(once_a_run(tmp_path_factory, "draft", make))


@pytest.fixture(scope="session")
def browser():
    from leaflet_site import chromium

    with chromium.launched() as started:
        yield started


@pytest.fixture(scope="session")
def tree_url(published: Published):
    """The published tree served over HTTP at the site's own path."""
    from browser import serve

    with serve(published.tree) as url:
        yield url


@pytest.fixture(scope="session")
def base_url(tree_url: str) -> str:
    """The current version's pages, at their permanent addresses (/latest/)."""
    return tree_url + LEAFLET.addresses.latest[len(LEAFLET.addresses.base):]


_STARTED: list[float] = []


def pytest_sessionstart(session) -> None:
    import time

    _STARTED.append(time.time())


def pytest_terminal_summary(terminalreporter) -> None:
    """What the accessibility engines found that does not fail (AAA, best
    practices): its counts at the end of the run, the details in the file."""
    from engines import REPORT

    if REPORT.is_file() and _STARTED and REPORT.stat().st_mtime >= _STARTED[0]:
        counts = REPORT.read_text(encoding="utf-8").split("\n\n")[0]
        terminalreporter.write_sep("-", "accessibility engines: reported, not failed")
        terminalreporter.write_line(counts)
        terminalreporter.write_line(f"Each finding: {REPORT.relative_to(REPORT.parent.parent)}")
