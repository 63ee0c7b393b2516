"""Publish a version of the leaflet to the local gh-pages branch with mike.

Before anything is written it checks that the version in mkdocs.yml is
VERSION, that docs/changelog.yml has an entry for it with a date, what
changed and who approved it, that the version is not published already
(published versions never change; --force replaces one on purpose), and that
the site builds and passes the check. The site is built once, as `mike
deploy` builds it (for its own folder, /VERSION/); the check reads that build,
and only then does mike publish the very same files: /VERSION/, a copy at
/latest/, and the site's root opening /latest/. Nothing is pushed:
publishing gh-pages to a host is the release workflow's job.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

from . import approve, html_tags, model, security
from .check.build import ENV as MKDOCS_ENV
from .check.build import explain
from .names import BRANCH, CONFIG_FILE, DOCS_DIR, LATEST, MIKE_REDIRECT_TEMPLATE, RECORD_DIR

BIN = Path(sys.executable).parent
TEMPLATE = MIKE_REDIRECT_TEMPLATE  # the root's accessible redirect page (lang, title, visible link)
# A release builds as mike does, with `properdocs build` (mike prefers the
# maintained MkDocs fork when it is installed; the output differs from `mkdocs
# build` only in the generator tag), from the virtual environment's programs.
ENV = {**MKDOCS_ENV, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}


class ReleaseError(Exception):
    pass


def uncommitted(root: Path) -> str:
    """What `git status` lists as changed (tracked files), or "" when clean."""
    done = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root, env=ENV,
                          capture_output=True, text=True)
    if done.returncode:
        raise ReleaseError("This folder is not a git repository, so there is nothing to publish to. "
                           "Fix: run the release in your clone of the project.")
    # The approved text's record is new in the commit that records the approval: it must be committed too.
    records = subprocess.run(["git", "ls-files", "--others", "--exclude-standard", "--", RECORD_DIR],
                             cwd=root, env=ENV, capture_output=True, text=True).stdout.split()
    return "\n".join([line for line in done.stdout.splitlines() if line.strip()] + [f"?? {r}" for r in records])


def changelog_entry(leaflet: model.Leaflet) -> model.Release:
    version = leaflet.details.version
    entry = leaflet.release
    if entry is None:
        raise ReleaseError(
            f"docs/changelog.yml has no entry for version {version}. Fix: add one at the top, with the date and "
            f"what changed in plain words; then the clinician's approval is recorded with {model.APPROVE}."
        )
    return entry


def published_versions(root: Path) -> list[str]:
    """The versions on the gh-pages branch (none before the first release)."""
    from mike import commands

    with _in(root, ENV):
        return [str(v.version) for v in commands.list_versions(BRANCH)]


def run(cmd: list[str], root: Path, what: str, env: Mapping[str, str] = ENV, data: str | None = None) -> str:
    """Run a step of the release; stop it, with what the step said, if it fails."""
    done = subprocess.run(cmd, cwd=root, env=env, input=data, capture_output=True, text=True)
    if done.returncode:
        raise ReleaseError(f"{what} failed:\n{(done.stdout + done.stderr).strip()}")
    return done.stdout


def release(version: str, root: Path, force: bool = False) -> None:
    if not re.fullmatch(r"\d+\.\d+", version):
        raise ReleaseError(f"{version!r} is not a version number. Fix: use two numbers with a dot, like 1.2.")
    leaflet = model.load(root)
    configured = leaflet.details.version
    if configured != version:
        raise ReleaseError(
            f"You asked to publish version {version}, but mkdocs.yml says this is version {configured}. "
            f"Fix: to publish it, run make release VERSION={configured}; if the new version is {version}, "
            f'first set version: "{version}" in mkdocs.yml (with its changelog entry) and commit it.'
        )
    entry = changelog_entry(leaflet)
    # Only the exact text a clinician approved is published under their name.
    refused = approve.refusal(approve.since_approval(root, leaflet))
    if refused:
        raise ReleaseError(refused)
    if version in published_versions(root) and not force:
        raise ReleaseError(
            f"Version {version} is published already, and published versions never change. "
            f"Fix: give this release a new number; to replace {version} on purpose, add FORCE=1."
        )
    changed = uncommitted(root)
    if changed:
        files = ", ".join(line[3:] for line in changed.splitlines()[:5])
        raise ReleaseError(
            f"Some changes are not committed yet ({files}), so what is published would not match the "
            "project's history. Fix: commit them (git add, then git commit), then run the release again."
        )
    deploy(version, root, f"Release {version}: {entry.changes}", checked=True)


def deploy(version: str, root: Path, message: str, env: Mapping[str, str] | None = None, checked: bool = False) -> None:
    """Build this version once, as mike builds it (for its own folder), and
    publish that very build with mike: into /VERSION/ on the gh-pages branch,
    copied to /latest/, with the site's root opening /latest/. With
    `checked`, the check reads the build first, and anything it finds stops
    the release before mike writes a thing. `env` may point git elsewhere
    (GIT_DIR), as the speed benchmark does."""
    from mike import commands, git_utils

    env = {**ENV, **(env or {})}
    with tempfile.TemporaryDirectory() as tmp, _in(root, env):
        template = redirect_template(root, Path(tmp))
        site = Path(tmp) / "site"
        try:
            git_utils.update_from_upstream("origin", BRANCH)  # as `mike deploy` does: a local branch behind is moved on
        except git_utils.GitBranchDiverged as err:
            raise ReleaseError(f"{err}. Fix: bring the local {BRANCH} branch up to date with origin's, "
                               "then run the release again.") from err
        # /latest/ is a copy of the newest version, not a page that redirects
        # to it: GP links and QR codes open /latest/ pages, and on a slow
        # connection a redirect is one more wait before the text shows (issue 9).
        # An error inside the `with` (the build or the check) leaves the branch as it was.
        with contextlib.suppress(git_utils.GitEmptyCommit), \
                commands.deploy({"site_dir": str(site)}, version, None, [LATEST], True, commands.AliasType.copy,
                                template, branch=BRANCH, message=message):
            _build(version, root, site, env)
            if checked:
                run([sys.executable, str(root / "scripts" / "check.py"), "--root", str(root), "--site", str(site),
                     "--version-folder", version], root, "The check", env)
        with contextlib.suppress(git_utils.GitEmptyCommit):  # the root opened /latest/ already: as `mike set-default`
            commands.set_default(LATEST, template, branch=BRANCH, message=f"Open the latest version ({version})")
    not_found_pages(version, root, env)


def _build(version: str, root: Path, site: Path, env: Mapping[str, str]) -> None:
    """The one build of a release: what `mike deploy` runs (its plugin first
    in the configuration, MIKE_DOCS_VERSION set, properdocs when it is
    installed), into `site`. A build that stops is explained as the check
    explains it: the Markdown file and line, and the fix."""
    from mike import mkdocs_utils

    with mkdocs_utils.inject_plugin(str(root / CONFIG_FILE)) as config:
        done = subprocess.run([str(BIN / mkdocs_utils._program_name), "build", "--clean", "--config-file", config,
                               "--site-dir", str(site)], cwd=root, capture_output=True, text=True,
                              env={**env, mkdocs_utils.docs_version_var: version})
    if done.returncode:
        said = done.stdout + done.stderr
        found = explain(said, root / DOCS_DIR)
        raise ReleaseError("The build failed:\n" + ("\n".join(map(str, found)) if found else said.strip()))


@contextlib.contextmanager
def _in(root: Path, env: Mapping[str, str]) -> Iterator[None]:
    """mike's Python functions run git in the current folder with this
    process's environment: for their time, the project's folder and `env`."""
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        with contextlib.chdir(root):
            yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def redirect_template(root: Path, folder: Path) -> str:
    """The root's redirect page template with the security policy every
    page carries (from the one place that writes it), in `folder`."""
    page = security.add_csp((root / TEMPLATE).read_text(encoding="utf-8"))
    path = folder / Path(TEMPLATE).name
    path.write_text(page, encoding="utf-8")
    return str(path)


def _git(args: list[str], root: Path, env: Mapping[str, str], data: str | None = None) -> str:
    out = run(["git", *args], root, f"git {args[0]}", env, data)
    return out if args[0] == "show" else out.strip()


def addresses_to(page: str, old: str, new: str) -> str:
    """The page with every address that starts with `old` starting with
    `new` instead: in the tags' attributes and in its scripts (Material's
    settings, the structured data, the theme's inline code, as a string in
    double quotes); its security policy then hashes the changed scripts."""
    edits = []
    for tag in html_tags.parse_tags(page):
        written, after = page[tag.start:tag.end], 0
        for _, value in tag.attrs:
            at = written.find(f'="{value}"', after) if value and value.startswith(old) else -1
            if at != -1:
                edits.append((tag.start + at + 2, tag.start + at + 2 + len(old), new))
                after = at + 2
    for script in html_tags.scripts(page):
        edits += [(script.body_start + at + 1, script.body_start + at + 1 + len(old), new)
                  for at in html_tags.find_all(script.body(page), f'"{old}')]
    return security.renew_csp(html_tags.splice(page, edits))


def not_found_pages(version: str, root: Path, env: Mapping[str, str]) -> None:
    """The "page not found" page for /latest/ and for the host's root. MkDocs
    writes it with addresses from the site's root (it is shown at any
    address), so the copy mike makes for /latest/ still loads /VERSION/'s
    files. Make /latest/404.html load /latest/'s own, and put the same page at
    the root of the tree, for a mistyped address anywhere on the site. One
    commit on gh-pages, after mike's."""
    path = model.load(root).addresses.path
    page = _git(["show", f"{BRANCH}:{version}/404.html"], root, env)
    latest = addresses_to(page, f"{path}{version}/", f"{path}{LATEST}/")
    blob = _git(["hash-object", "-w", "--stdin"], root, env, latest)
    git_dir = Path(_git(["rev-parse", "--absolute-git-dir"], root, env))
    index = {**env, "GIT_INDEX_FILE": str(git_dir / "leaflet-release-index")}
    try:
        _git(["read-tree", BRANCH], root, index)
        for name in ("latest/404.html", "404.html"):
            _git(["update-index", "--add", "--cacheinfo", f"100644,{blob},{name}"], root, index)
        tree = _git(["write-tree"], root, index)
    finally:
        Path(index["GIT_INDEX_FILE"]).unlink(missing_ok=True)
    parent = _git(["rev-parse", BRANCH], root, env)
    if _git(["rev-parse", f"{parent}^{{tree}}"], root, env) == tree:
        return
    commit = _git(["commit-tree", tree, "-p", parent, "-m", f"Page not found: /latest/ and the root ({version})"],
                  root, env)
    _git(["update-ref", f"refs/heads/{BRANCH}", commit, parent], root, env)
