"""Shared helpers: build a copy of the site, run the check, read pages."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import shutil
import subprocess
import sys
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any


from leaflet_site.names import BRANCH
from leaflet_site import model, page_text, source
from leaflet_site.check.build import ENV as MKDOCS_ENV
from leaflet_site.check.build import build_here

ROOT = Path(__file__).resolve().parent.parent
# What the tests expect comes from the project's own configuration, read by
# the same code as the build: a new version or new dates change no test.
LEAFLET = model.load(ROOT)
PROJECT_FILES = ["mkdocs.yml", "docs", "overrides", "readability.yml", "published-urls.txt", "scripts", "words.txt",
                 "approvals"]
ENV = MKDOCS_ENV  # the environment the scripts build with

SECTIONS = [s.url.strip("/") for s in LEAFLET.sections]
# The full approved source text, outside the repository: None in a clone on
# its own, where only the tests that need it are skipped (with the reason).
SOURCE = source.find(ROOT)
NO_SOURCE = source.missing_reason(ROOT)


def run_folder(tmp_path_factory) -> Path:
    """A folder every pytest-xdist worker of this test run sees (without
    xdist, the one process's)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def once_a_run(tmp_path_factory, name: str, make: Callable[[Path], Any]) -> Any:
    """What `make` returns, made once a test run whichever worker asks first:
    it gets a folder of its own to fill, its result is kept as JSON, and the
    other workers wait for it and read it back (a module's fixture would
    otherwise be made again on each worker its tests are handed to). Paths
    come back as strings, tuples as lists. If `make` fails, the next worker
    to ask tries again and fails with its own message."""
    from filelock import FileLock

    shared = run_folder(tmp_path_factory)
    folder, done = shared / name, shared / f"{name}.json"
    with FileLock(str(shared / f"{name}.lock")):
        if not done.is_file():
            shutil.rmtree(folder, ignore_errors=True)  # what a failed attempt left
            folder.mkdir(parents=True)
            done.write_text(json.dumps(make(folder), default=str), encoding="utf-8")
    return json.loads(done.read_text(encoding="utf-8"))


def copy_project(dest: Path) -> Path:
    """A copy of the real site's sources, for a test to change."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        src = ROOT / name
        if not src.exists():  # approvals/: none until a clinician approves a version
            continue
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, dest / name)
    return dest


def build(root: Path, site: Path | None = None, strict: bool = True, pdf: bool = False) -> subprocess.CompletedProcess:
    """Build a site. PDFs take a browser and a second or two, so only the
    builds that test them make them. Without PDFs the build runs in this
    process (MkDocs' own Python API, as `mkdocs build` runs it): a third of
    the time of a new process, which imports everything again (issue 29).
    With them it is a process of its own, as Chromium is driven by
    Playwright's synchronous API, which a test's browser may hold already."""
    site = site or root / "site"
    if not pdf:
        return _build_here(root, site, strict)
    cmd = [sys.executable, "-m", "mkdocs", "build", "--clean", "-f", str(root / "mkdocs.yml"), "-d", str(site)]
    cmd.append("--strict" if strict else "--no-strict")
    env = {**ENV, "LEAFLET_PDF": "on" if pdf else "off"}
    return subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=root)


@contextlib.contextmanager
def _as_a_process(root: Path, env: dict[str, str]) -> Iterator[tuple[io.StringIO, io.StringIO]]:
    """What a process of its own would have: `env` as the environment, the
    project as the folder, its own output; everything put back after."""
    saved = dict(os.environ)
    out, err = io.StringIO(), io.StringIO()
    os.environ.clear()
    os.environ.update(env)
    try:
        with contextlib.chdir(root), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), \
                warnings.catch_warnings():
            warnings.simplefilter("default")  # as in a process of its own: said, not raised
            yield out, err
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _build_here(root: Path, site: Path, strict: bool) -> subprocess.CompletedProcess:
    """`mkdocs build --clean [--strict]` without PDFs, in this process: the
    same return code, and MkDocs' messages as it prints them."""
    import logging

    from mkdocs.exceptions import Abort, ConfigurationError, PluginError

    args = ["mkdocs", "build", "--clean", "-f", str(root / "mkdocs.yml"), "-d", str(site)]
    logger = logging.getLogger("mkdocs")
    with _as_a_process(root, {**ENV, "LEAFLET_PDF": "off"}) as (out, err):
        said = logging.StreamHandler(err)
        said.setFormatter(logging.Formatter("%(levelname)s - %(message)s"))
        logger.addHandler(said)
        code = 0
        try:
            build_here(root, site, strict)
        except (Abort, ConfigurationError, PluginError) as stopped:
            print(f"{type(stopped).__name__}: {stopped}", file=err)
            code = 1
        finally:
            logger.removeHandler(said)
    return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())


def _check_here(root: Path, args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    """scripts/check.py with `args`, in this process (see build): its return
    code, and what it prints."""
    import importlib.util

    if "check_cli" not in _LOADED:
        spec = importlib.util.spec_from_file_location("leaflet_check_cli", ROOT / "scripts" / "check.py")
        assert spec and spec.loader
        _LOADED["check_cli"] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(_LOADED["check_cli"])
    with _as_a_process(root, env) as (out, err):
        try:
            code = _LOADED["check_cli"].main(args)
        except (FileNotFoundError, RuntimeError) as missing:  # as scripts/check.py says it when run
            print(f"The check could not run: {missing}", file=sys.stderr)
            code = 2
    return subprocess.CompletedProcess(["check.py", *args], code, out.getvalue(), err.getvalue())


_LOADED: dict = {}


def check(root: Path, *args: str) -> subprocess.CompletedProcess:
    """`python scripts/check.py --root ROOT ARGS` (in this process: see build)."""
    return _check_here(root, ["--root", str(root), *args], ENV)


def make_check(root: Path) -> tuple[int, str]:
    """What `make check` does: a strict build, then the check (no PDFs)."""
    done = _check_here(root, ["--root", str(root), "--build"], {**ENV, "LEAFLET_PDF": "off"})
    return done.returncode, done.stdout + done.stderr


def article_text(page: Path) -> str:
    """The text a patient reads in a page's article, as the check and the
    approval read it (leaflet_site.page_text: hidden search words, the
    page's tools and notices left out)."""
    return " ".join(page_text.words(page_text.read_article(page.read_text(encoding="utf-8"))))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --- an editor's changes, made by value (never by matching exact text) -----

def add_to_page(project: Path, text: str, page: str) -> None:
    """Add text under the page's first subheading (##), as an editor would,
    whatever the page says today."""
    path = project / page
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("## ")) + 1
    path.write_text("".join(lines[:at] + ["\n", text + "\n"] + lines[at:]), encoding="utf-8")


def set_detail(project: Path, key: str, value: str) -> None:
    """Set one leaflet detail (extra.leaflet.KEY in mkdocs.yml) to `value`,
    written as YAML ('"1.1"', '2026-12-01'), leaving every other line and
    comment as it was."""
    path = project / "mkdocs.yml"
    text = path.read_text(encoding="utf-8")
    _, node = model.detail_node(text, key)
    path.write_text(text[:node.start_mark.index] + value + text[node.end_mark.index:], encoding="utf-8")


def set_release(project: Path, version: str, date, changes: str, approved_by: str = "") -> None:
    """Add (at the top) or replace the changelog entry of `version`, keeping
    the comments above the list. With approved_by, the approval is then
    recorded as a clinician's is, by `make approve` (bound to the text as it
    is now), so mkdocs.yml must be at `version` already."""
    entry = {"version": version, "date": date, "changes": changes}
    _write_changelog(project, lambda entries: [entry, *(e for e in entries if str(e["version"]) != version)])
    if approved_by:
        record_approval(project, approved_by)


def record_approval(project: Path, by: str) -> None:
    """What `make approve BY=...` records, by its own function, in this
    process: the set-up of many tests (test_approve runs the command itself;
    a process of its own cost half a processor-second each, 23 a run)."""
    from leaflet_site.approve import approve as approve_text

    with _as_a_process(project, ENV):
        approve_text(project, by, dt.date.today())


def approve(project: Path, by: str) -> subprocess.CompletedProcess:
    """`make approve BY=...`: the project's own script, in the project."""
    done = subprocess.run([sys.executable, str(project / "scripts" / "approve.py"), "--root", str(project), "--by", by],
                          env=ENV, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def drop_release(project: Path, version: str) -> None:
    """Remove the changelog entry of `version`, keeping the comments above the list."""
    _write_changelog(project, lambda entries: [e for e in entries if str(e["version"]) != version])


def _write_changelog(project: Path, change) -> None:
    import yaml

    path = project / "docs" / "changelog.yml"
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if not line.startswith("#") and line.strip()), len(lines))
    head = "".join(lines[:start])  # the comments above the list
    entries = change(yaml.safe_load(text) or [])
    path.write_text(head + yaml.safe_dump(entries, sort_keys=False, allow_unicode=True), encoding="utf-8")


def other_version(version: str, step: int) -> str:
    """The version `step` minor versions after (or before) `version`."""
    major, minor = map(int, version.split("."))
    minor += step
    while minor < 0:
        major, minor = major - 1, minor + 10
    return f"{major}.{minor}"


# --- a published tree: two releases through the project's own code --------

GIT_ENV = {**ENV, "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org"}
APPROVER = "Dr Test Approver"
ORGANISATION = "Test Hospitals NHS Trust"  # a release needs one; the tests never approve real text


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, env=GIT_ENV, capture_output=True, text=True, check=True).stdout


def release(repo: Path, version: str, *extra: str, pdf: bool = True) -> subprocess.CompletedProcess:
    """`make release VERSION=...`: the project's own release script."""
    env = {**GIT_ENV, "LEAFLET_PDF": "on" if pdf else "off"}
    return subprocess.run([sys.executable, "scripts/release.py", version, *extra], cwd=repo, env=env,
                          capture_output=True, text=True)


def export(repo: Path, dest: Path, branch: str = BRANCH) -> Path:
    """The branch's files, as a host serves them."""
    dest.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "archive", branch], cwd=repo, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    return dest


CHANGED_PAGE_NOTE = "This page said something else in an earlier version."
# The section the earlier version of publish_two_versions has differently.
CHANGED_SECTION = LEAFLET.sections[0]


def publish_two_versions(dest: Path) -> tuple[Path, list[str]]:
    """In a new git repository holding a copy of the project: release the
    version before this one (with one page changed), then this commit's
    version, each approved as a clinician approves it (`make approve`), as an
    editor would. Returns the repository and the versions, oldest first.
    The current version is approved by its recorded approver, or by
    APPROVER, and the changelog keeps the earlier version's entry below it;
    nothing else differs from the project."""
    repo = copy_project(dest)
    (repo / ".gitignore").write_text("site/\n__pycache__/\n")
    current = LEAFLET.details.version
    earlier = other_version(current, -1)
    this = LEAFLET.release
    git(repo, "init", "-q", "-b", "main")
    # The earlier version as it was: its number, no entry yet for the one
    # after it, one page changed; approved.
    set_detail(repo, "version", f'"{earlier}"')
    drop_release(repo, current)
    first = repo / "docs" / CHANGED_SECTION.file
    as_now = first.read_text(encoding="utf-8")
    first.write_text(as_now + f"\n{CHANGED_PAGE_NOTE}\n", encoding="utf-8")
    set_release(repo, earlier, LEAFLET.details.first_published, "The first version.", APPROVER)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", f"Leaflet {earlier}")
    done = release(repo, earlier)
    assert done.returncode == 0, done.stdout + done.stderr
    # This version: the project's text, its changelog entry, approved.
    first.write_text(as_now, encoding="utf-8")
    set_detail(repo, "version", f'"{current}"')
    set_release(repo, current, this.date if this else LEAFLET.details.last_reviewed,
                this.changes if this else "This version.", (this and this.approved_by) or APPROVER)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", f"Leaflet {current}")
    done = release(repo, current)
    assert done.returncode == 0, done.stdout + done.stderr
    return repo, [earlier, current]


def tool(name: str, package: str) -> str:
    """A decoder's program, or a failure naming the Debian package to install."""
    found = shutil.which(name)
    assert found, f"{name} is missing. Fix: apt-get install {package} (or run bash .ci/run)."
    return found


def decode_qr(pictures: list[Path]) -> list[str]:
    """Every QR code in the pictures (PNG or PGM), read by zbarimg, as a phone would."""
    done = subprocess.run([tool("zbarimg", "zbar-tools"), "--quiet", "--raw", *map(str, pictures)],
                          capture_output=True, text=True)
    return done.stdout.split()


def qr_codes_printed(pdf: Path, work: Path) -> list[str]:
    """The QR codes printed on a PDF's pages: each page drawn at 110 dpi by
    pdftoppm, in grey (PGM: a colour PNG of every page took 8 times as long,
    4.4 s against 0.56 s for the leaflet's 17 pages, and a code is black on
    white), then read by zbarimg."""
    work.mkdir(parents=True, exist_ok=True)
    subprocess.run([tool("pdftoppm", "poppler-utils"), "-r", "110", "-gray", str(pdf), str(work / "p")], check=True)
    return decode_qr(sorted(work.glob("p*.pgm")))
