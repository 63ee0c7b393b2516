"""What the check tells a pull request on GitHub: each finding as an
annotation on its file and line, and a job summary for the reviewer (the
findings, and for each changed page its readability and the clinical facts
it carries, with a link to the preview of the built site)."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import yaml

from ..findings import Finding
from ..names import DOCS_DIR, FACTS_FILE
from .readability import Score


def _escape(text: str) -> str:
    """GitHub's workflow-command escaping for a message."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def workflow_commands(found: list[Finding]) -> list[str]:
    """One `::error file=...,line=...::` line per finding (GitHub shows it on
    that line of the pull request)."""
    lines = []
    for f in found:
        kind = f.level if f.level in ("error", "notice") else "warning"
        where = f"file={f.file}" + (f",line={f.line}" if f.line else "")
        lines.append(f"::{kind} {where},title=Leaflet check::{_escape(f'{f.problem} Fix: {f.fix}')}")
    return lines


def base_scores(root: Path, base: str) -> dict[str, Score]:
    """Readability of each page as it is on `base`, before this change: that
    commit, built in a temporary work tree. {} when it cannot be built."""
    import tempfile

    from .build import build
    from .pages import read_site
    from .run import readability

    for ref in (f"origin/{base}", base):
        with tempfile.TemporaryDirectory() as tmp:
            tree, site = Path(tmp) / "base", Path(tmp) / "site"
            added = subprocess.run(["git", "worktree", "add", "--detach", "-q", str(tree), ref], cwd=root,
                                   capture_output=True, text=True)
            if added.returncode:
                continue
            try:
                if build(tree, site).stopped:
                    return {}
                pages, _ = read_site(site)
                return dict(readability(pages, site, tree / "docs", tree / "readability.yml", tree)[1])
            finally:
                subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=root, capture_output=True)
    return {}


def changed_pages(root: Path, base: str) -> list[str]:
    """The Markdown pages this branch changes against `base` (a branch name)."""
    for ref in (f"origin/{base}", base):
        done = subprocess.run(["git", "diff", "--name-only", f"{ref}...HEAD", "--", "docs"], cwd=root,
                              capture_output=True, text=True)
        if done.returncode == 0:
            return sorted(p for p in done.stdout.split() if p.endswith(".md"))
    return []


def summary(found: list[Finding], table: Iterable[tuple[str, Score]], changed: list[str], root: Path, preview: str | None,
            before: dict[str, Score] | None = None) -> str:
    """The job summary, in Markdown. `table`: (page, Score) from the check;
    `before`: page -> Score on the base branch."""
    before = before or {}
    notices = [f for f in found if f.level == "notice"]
    found = [f for f in found if f.level != "notice"]
    errors = sum(f.level == "error" for f in found)
    out = []
    if notices:  # first: what the approving clinician must read again
        out += ["## Patient text changed since its approval", "",
                "A draft may change; before it is published, a clinician approves the new text.", "",
                "| Where | What changed | What to do |", "| --- | --- | --- |"]
        out += [f"| `{f.where}` | {f.problem} | {f.fix} |" for f in notices]
        out.append("")
    out += [f"## Leaflet check: {errors} to fix, {len(found) - errors} warnings", ""]
    if found:
        out += ["| Where | What is wrong | How to fix it |", "| --- | --- | --- |"]
        out += [f"| `{f.where}` | {f.problem} | {f.fix} |" for f in found]
        out.append("")
    if changed:
        scores = dict(table)
        facts_file = root / DOCS_DIR / FACTS_FILE
        facts = yaml.safe_load(facts_file.read_text(encoding="utf-8")) if facts_file.is_file() else None
        out += ["### Pages this pull request changes", "",
                "Readability before this change, then after it.", "",
                "| Page | Words | Longest sentence | SMOG | Clinical facts on the page |", "| --- | ---: | ---: | ---: | ---: |"]

        def pair(old: object, new: object, fmt: Callable[[Any], str] = str) -> str:
            return f"{fmt(old) if old is not None else 'new'} → {fmt(new) if new is not None else 'gone'}"

        for page in changed:
            s, b = scores.get(page), before.get(page)
            stem = Path(page).stem
            n = sum(1 for fact in facts if fact.get("page") == stem) if facts is not None else "-"
            out.append(f"| `{page}` | {pair(b and b.words, s and s.words)} | {pair(b and b.longest, s and s.longest)} | "
                       f"{pair(b and b.smog, s and s.smog, lambda v: f'{v:.1f}')} | {n} |")
        out += ["", "A page that carries clinical facts needs a clinician's approval: attach the approval pack "
                    "(`make approval-pack`) to the pull request.", ""]
    if preview:
        out += [f"Preview of the built site: download `site-preview` from [this run's page]({preview}).", ""]
    return "\n".join(out)
