#!/usr/bin/env python3
"""A pull request's preview: build it, publish it beside mike's versions,
take it down, and write the comment on the pull request.

Usage:
  python scripts/preview.py build --pr N [--commit SHA] [--out DIR]   (make preview PR=N)
  python scripts/preview.py publish --pr N --commit SHA --site DIR [--repo .]
  python scripts/preview.py remove --pr N [--repo .]
  python scripts/preview.py comment --state published|fork|removed --pr N --commit SHA
                                    [--site DIR] [--pack-url URL] [--run-url URL]

`build` prints the folder it built into on its last line. `publish` and
`remove` write one commit on the local gh-pages branch and never push (the
preview workflow does). `publish` and `remove` need only git and Python's
standard library. (The work is in scripts/leaflet_site/preview.py.)
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

# Run as a script, this folder is first on the path: the runner's Python finds
# leaflet_site without the project's .venv.
from leaflet_site import preview

ROOT = Path(__file__).resolve().parent.parent


def head_commit(root: Path) -> str:
    done = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True)
    if done.returncode:
        raise preview.PreviewError("This folder is not a git repository. Fix: give the commit with --commit.")
    return done.stdout.strip()


def build(root: Path, number: int, commit: str, out: Path) -> int:
    """The preview's build: strict, explained as `make check` explains it."""
    os.environ.update(preview.environment(number, commit))
    from leaflet_site.check.build import build as build_site
    from leaflet_site.check.run import sorted_findings

    built = build_site(root, out)
    for finding in sorted_findings(built.findings):
        print(finding)
    if built.output:
        print(built.output)
    if built.stopped or built.findings or built.output:
        print("\nThe preview did not build. Fix these, then run make preview again.", file=sys.stderr)
        return 1
    print(f"Built the preview of pull request {number} at commit {commit[:7]} into:")
    print(out)
    return 0


def readability_table(root: Path, site: Path) -> str:
    """The check's readability table (make check), for the preview's pages."""
    from leaflet_site.check.pages import read_site
    from leaflet_site.check.run import format_table, readability

    pages, _ = read_site(site)
    _, table = readability(pages, site, root / "docs", root / "readability.yml", root)
    return format_table(table)


def comment(args) -> str:
    if args.state == "removed":
        return preview.comment("removed", _Shown(args.pr, args.commit))
    os.environ.update(preview.environment(args.pr, args.commit))
    from leaflet_site import model

    leaflet = model.load(args.root)
    table = readability_table(args.root, args.site.resolve()) if args.site else ""
    return preview.comment(args.state, leaflet.addresses.preview, leaflet.addresses.base, table,
                           args.pack_url, args.run_url)


class _Shown:
    """The pull request and commit, for the comment after it closes (no
    configuration is read: the publishing job has no .venv)."""

    def __init__(self, number: int, commit: str):
        self.number, self.commit, self.short_commit = number, commit, commit[:7]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="the project folder")
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("build", "publish", "remove", "comment"):
        command = commands.add_parser(name)
        command.add_argument("--pr", type=int, required=True, help="the pull request's number")
        if name != "remove":
            command.add_argument("--commit", required=name in ("publish", "comment"),
                                 help="the commit shown (default for build: this checkout's HEAD)")
    commands.choices["build"].add_argument("--out", type=Path, help="the folder (default: build/preview/pr-N)")
    commands.choices["publish"].add_argument("--site", type=Path, required=True, help="the built preview")
    for name in ("publish", "remove"):
        commands.choices[name].add_argument("--repo", type=Path, default=Path("."), help="the git repository")
    comment_command = commands.choices["comment"]
    comment_command.add_argument("--state", choices=["published", "fork", "removed"], required=True)
    comment_command.add_argument("--site", type=Path, help="the built preview (for its readability table)")
    comment_command.add_argument("--pack-url", default="", help="where the approval pack can be downloaded")
    comment_command.add_argument("--run-url", default="", help="the workflow run's page (its artefacts)")
    args = parser.parse_args(argv)
    args.root = args.root.resolve()
    try:
        if args.command == "build":
            out = (args.out or args.root / "build" / "preview" / f"pr-{args.pr}").resolve()
            return build(args.root, args.pr, args.commit or head_commit(args.root), out)
        if args.command == "publish":
            done = preview.publish(args.repo, args.site, args.pr, args.commit)
            print(f"Published the preview to {preview.folder(args.pr)} on {preview.BRANCH} (not pushed)."
                  if done else "The preview on gh-pages is this one already: nothing to publish.")
        elif args.command == "remove":
            done = preview.remove(args.repo, args.pr)
            print(f"Removed {preview.folder(args.pr)} from {preview.BRANCH} (not pushed)."
                  if done else f"There is no {preview.folder(args.pr)} on {preview.BRANCH}: nothing to remove.")
        else:
            print(comment(args), end="")
    except preview.PreviewError as err:
        print(f"Preview stopped: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
