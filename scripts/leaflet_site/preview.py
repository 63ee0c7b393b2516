"""A pull request's preview: built for its own address, published beside
mike's versions, and announced in a comment on the pull request.

- `finish`: the build's last step for a preview (overrides/hooks/leaflet.py):
  no sitemap (no search engine is told of it), and the QR code of its
  address as a picture in the preview itself, for the comment.
- `publish` and `remove`: the preview's folder (pr-preview/pr-N/) on the
  gh-pages branch, written with git's plumbing into one new commit. Every
  other path of the branch (mike's version folders, versions.json, the root
  pages) keeps its exact blob: only the folder's tree entry changes.
- `comment`: the text of the comment on the pull request.

Which pull request and commit a build previews reach it as two environment
variables (leaflet_site.addresses: preview_from_env); scripts/preview.py
sets them. This module imports nothing outside the standard library at its
top, so the workflow's publishing job runs it with the runner's Python.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .addresses import Addresses, Preview

from .names import BRANCH, PREVIEW_FOLDER as FOLDER
QR_PICTURE = "preview-qr.png"  # at the preview's root: the comment shows it
SITEMAPS = ("sitemap.xml", "sitemap.xml.gz")
MARKER = "<!-- leaflet-preview -->"  # finds the comment again, to update it on each push
# Pixels per module of the comment's QR code: 6 gives a picture of about
# 250 pixels, which GitHub shows whole and a phone reads from a screen.
QR_SCALE = 6


def folder(number: int) -> str:
    """A pull request's preview folder in the published tree: pr-preview/pr-7/."""
    return f"{FOLDER}/pr-{number}/"


def environment(number: int, commit: str) -> dict[str, str]:
    """What a build needs to be the preview of this pull request and commit."""
    from .names import PREVIEW_COMMIT, PREVIEW_PR

    return {PREVIEW_PR: str(number), PREVIEW_COMMIT: commit}


def finish(site: Path, addresses: Addresses) -> None:
    """After a preview's build: no sitemap, and the QR code of its address."""
    import segno

    for name in SITEMAPS:
        (site / name).unlink(missing_ok=True)
    segno.make(addresses.base, error="m").save(str(site / QR_PICTURE), kind="png", scale=QR_SCALE, border=4)


# --- the gh-pages branch -----------------------------------------------------

class PreviewError(Exception):
    pass


def _git(args: list[str], repo: Path, env: dict[str, str] | None = None, data: bytes | None = None) -> str:
    """git in `repo` (a folder of a repository, or with GIT_DIR in env, any folder)."""
    done = subprocess.run(["git", *args], cwd=repo, env={**os.environ, **(env or {})}, input=data, capture_output=True)
    if done.returncode:
        raise PreviewError(f"git {' '.join(args[:2])} failed: {(done.stdout + done.stderr).decode().strip()}")
    return done.stdout.decode().strip()


def _branch_head(repo: Path, branch: str) -> str | None:
    done = subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}"], cwd=repo,
                          capture_output=True, text=True)
    return done.stdout.strip() or None


def _commit_folder(repo: Path, folder: str, site: Path | None, message: str, branch: str) -> str | None:
    """One commit on `branch`: its tree with `folder` replaced by the files
    of `site` (or removed, when site is None). Returns the new commit, or
    None when the tree would not change."""
    parent = _branch_head(repo, branch)
    with tempfile.TemporaryDirectory() as tmp:
        index = {"GIT_INDEX_FILE": str(Path(tmp) / "index")}
        if parent:
            _git(["read-tree", parent], repo, index)
        _git(["rm", "--cached", "-r", "-q", "--ignore-unmatch", "--", folder.rstrip("/")], repo, index)
        if site is not None:
            # The site's files as a tree of their own, then read in under the folder.
            own = {"GIT_INDEX_FILE": str(Path(tmp) / "site-index"), "GIT_WORK_TREE": str(site.resolve()),
                   "GIT_DIR": _git(["rev-parse", "--absolute-git-dir"], repo)}
            _git(["add", "-A", "--force", "."], site, own)
            tree = _git(["write-tree"], site, own)
            _git(["read-tree", f"--prefix={folder}", tree], repo, index)
        tree = _git(["write-tree"], repo, index)
    if parent and _git(["rev-parse", f"{parent}^{{tree}}"], repo) == tree:
        return None
    commit = _git(["commit-tree", tree, *(["-p", parent] if parent else []), "-m", message], repo)
    _git(["update-ref", f"refs/heads/{branch}", commit, *([parent] if parent else [])], repo)
    return commit


def publish(repo: Path, site: Path, number: int, commit: str, branch: str = BRANCH) -> str | None:
    """Put the built preview in pr-preview/pr-N/ on the branch (replacing
    the one there). Nothing else on the branch changes."""
    if not (site / "index.html").is_file():
        raise PreviewError(f"There is no built preview in {site}. Fix: run make preview PR={number} first.")
    return _commit_folder(repo, folder(number), site, f"Preview of pull request {number} at {commit[:7]}", branch)


def remove(repo: Path, number: int, branch: str = BRANCH) -> str | None:
    """Take pr-preview/pr-N/ off the branch (the pull request is closed)."""
    if not _branch_head(repo, branch):
        return None
    return _commit_folder(repo, folder(number), None,
                          f"Remove the preview of pull request {number} (closed)", branch)


# --- the comment on the pull request -------------------------------------------

def comment(state: str, preview: Preview, address: str = "", table: str = "", pack_url: str = "",
            run_url: str = "") -> str:
    """The comment's Markdown. state: "published" (a branch of this
    repository: the preview is online), "fork" (a fork's token cannot
    publish: how to download the preview instead) or "removed" (the pull
    request is closed)."""
    head = [MARKER, "## Preview of this pull request", ""]
    commit = f"`{preview.short_commit}` ({preview.commit})"
    if state == "removed":
        return "\n".join(head + [f"The pull request is closed, so its preview has been removed. "
                                 f"The last commit it showed was {commit}.", ""])
    lines = head[:]
    if state == "published":
        lines += [f"Open the preview on a phone: scan the code, or open {address}", "",
                  f"![QR code that opens {address}]({address}{QR_PICTURE})", ""]
    elif state == "fork":
        lines += ["This pull request comes from a fork, and a fork cannot publish a preview. To see it:", "",
                  f"1. Open [the checks' summary page]({run_url}) and, under Artifacts, "
                  "download **pull-request-preview**.",
                  "2. Unzip it, open a terminal in the folder and run `python3 -m http.server 8000`.",
                  "3. Open <http://127.0.0.1:8000/> in your web browser.", "",
                  "To get a preview at its own address, which opens on a phone, make your change on a branch of "
                  "this repository (see CONTRIBUTING.md).", ""]
    else:
        raise ValueError(f"unknown state {state!r}")
    lines += [f"Commit: {commit}. Every page says it is a draft, and search engines do not list it. "
              "The published leaflet does not change.", ""]
    if pack_url:
        lines += [f"For the clinician who approves the text: [download the approval pack]({pack_url}) "
                  "(a zip file of HTML and PDF; you need to sign in to GitHub).", ""]
    if table:
        lines += ["### Readability per page", "", table, ""]
    return "\n".join(lines)
