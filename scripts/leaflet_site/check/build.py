"""Run the strict build and explain its warnings in plain words, naming the
Markdown file (and line) to fix."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from ..findings import Finding

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}

_LINK = re.compile(r"Doc file '([^']+)' contains a link '([^']+)', but the target (?:'[^']+' )?is not found")
_ANCHOR = re.compile(r"Doc file '([^']+)' contains a link '([^']+)', but the doc '([^']+)' does not contain an anchor '([^']+)'")
_NOT_IN_NAV = re.compile(r"not included in the \"nav\" configuration:\n((?:\s+- .+\n?)+)")
_OURS = re.compile(r"^(?:ERROR\s+-\s+)?((?:docs/|mkdocs\.yml)[^:\s]*(?::\d+)?): (.+?) Fix: (.+)$", re.M)


def _line(docs: Path, page: str, needle: str) -> int | None:
    path = docs / page
    if not path.exists():
        return None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    return None


def explain(output: str, docs: Path) -> list[Finding]:
    """Findings for the build warnings we know; unknown ones are kept whole."""
    found = []
    for page, anchor_link, target, anchor in _ANCHOR.findall(output):
        found.append(Finding(f"docs/{page}", _line(docs, page, anchor_link),
            f"The link to {anchor_link!r} points at a part of {target} that does not exist ({anchor}).",
            f"Check the heading you meant in {target}; the part after # is the heading in lower case, with - between words."))
    for page, link in _LINK.findall(output):
        found.append(Finding(f"docs/{page}", _line(docs, page, link),
            f"The link to {link!r} points at a page or file that does not exist.",
            "Correct the file name (pages end in .md, for example [Risks](risks.md)), or remove the link."))
    for block in _NOT_IN_NAV.findall(output):
        for page in re.findall(r"- (.+)", block):
            found.append(Finding(f"docs/{page.strip()}", None,
                "This page is not in the site's menu (nav in mkdocs.yml), so patients cannot find it.",
                "Add it to nav in mkdocs.yml in reading order, or delete the file if it is not needed."))
    for where, problem, fix in _OURS.findall(output):
        file, _, line = where.partition(":")
        found.append(Finding(file, int(line) if line else None, problem.strip(), fix.strip()))
    return found


def build(root: Path, site: Path) -> tuple[bool, str]:
    """Build strictly into `site`; (worked, everything MkDocs printed)."""
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-f", str(root / "mkdocs.yml"), "-d", str(site)]
    done = subprocess.run(cmd, capture_output=True, text=True, env=ENV, cwd=root)
    return done.returncode == 0, done.stdout + done.stderr
