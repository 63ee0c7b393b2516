"""Run the build and explain its warnings in plain words, naming the
Markdown file (and line) to fix."""

from __future__ import annotations

import difflib
import logging
import os
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

from ..findings import Finding, LeafletError, line_of
from ..names import CONFIG_FILE, QUIET_MKDOCS, mkdocs_env

ENV = mkdocs_env()

_LINK = re.compile(r"Doc file '([^']+)' contains a link '([^']+)', but the target (?:'[^']+' )?is not found")
_ANCHOR = re.compile(r"Doc file '([^']+)' contains a link '([^']+)', but the doc '([^']+)' does not contain an anchor '([^']+)'")
_NOT_IN_NAV = re.compile(r"not included in the \"nav\" configuration:\n((?:\s+- .+\n?)+)")


def _line(docs: Path, page: str, needle: str) -> int | None:
    path = docs / page
    return line_of(path.read_text(encoding="utf-8"), needle) if path.exists() else None


def explain(output: str, docs: Path) -> list[Finding]:
    """Findings for the build warnings we know; unknown ones are kept whole."""
    found = []
    for page, anchor_link, target, anchor in _ANCHOR.findall(output):
        near = nearest(anchor, heading_ids(docs / target))
        written = anchor_link.split("#")[0]
        found.append(Finding(f"docs/{page}", _line(docs, page, anchor_link),
            f"The link to {anchor_link!r} points at a part of {target} that does not exist ({anchor}).",
            f"Did you mean {written}#{near}? " if near else ""
            f"Check the heading you meant in {target}; the part after # is the heading in lower case, with - between words."))
    for page, link in _LINK.findall(output):
        here = posixpath.dirname(page)
        pages = [posixpath.relpath(p.relative_to(docs).as_posix(), here or ".") for p in sorted(docs.rglob("*.md"))]
        near = nearest(link.split("#")[0], pages)
        found.append(Finding(f"docs/{page}", _line(docs, page, link),
            f"The link to {link!r} points at a page or file that does not exist.",
            f"Did you mean {near}? Correct the file name, or remove the link." if near else
            "Correct the file name (pages end in .md, for example [Risks](risks.md)), or remove the link."))
    for block in _NOT_IN_NAV.findall(output):
        for page in re.findall(r"- (.+)", block):
            found.append(Finding(f"docs/{page.strip()}", None,
                "This page is not in the site's menu (nav in mkdocs.yml), so patients cannot find it.",
                "Add it to nav in mkdocs.yml in reading order, or delete the file if it is not needed."))
    return found


def nearest(wrong: str, choices: list[str]) -> str | None:
    """The choice closest to what was written, if one is close enough."""
    match = difflib.get_close_matches(wrong, choices, n=1, cutoff=0.6)
    return match[0] if match else None


def heading_ids(page: Path) -> list[str]:
    """The #ids of a Markdown page's headings, as the toc extension makes them."""
    from markdown.extensions.toc import slugify

    if not page.is_file():
        return []
    return [slugify(m, "-") for m in re.findall(r"^#{1,6}\s+(.+?)\s*#*$", page.read_text(encoding="utf-8"), re.M)]


@dataclass
class Built:
    stopped: bool             # the build stopped, so there is no site to check
    findings: list[Finding]   # its mistakes, each with the file to open
    output: str               # MkDocs' own messages that no finding explains


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def build_here(root: Path, site: Path, strict: bool = False) -> None:
    """MkDocs' build of the project at `root` into `site`, in this process,
    as `mkdocs build` runs it (its plugins' startup and shutdown)."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    config = load_config(str(root / CONFIG_FILE), site_dir=str(site), strict=strict)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build(config)
    finally:
        config.plugins.on_shutdown()


def build(root: Path, site: Path) -> Built:
    """Build the site into `site` in this process, gathering every mistake:
    ours come as findings (LeafletError), MkDocs' warnings are explained. Not
    strict, so that one run finds them all; the caller fails on any."""
    from mkdocs.exceptions import Abort, ConfigurationError

    logger = logging.getLogger("mkdocs")
    collect, propagate = _Collect(), logger.propagate
    logger.addHandler(collect)
    logger.propagate = False  # what MkDocs says is shown as findings, not as its log
    ours: list[Finding] = []
    stopped = False
    os.environ.update(QUIET_MKDOCS)
    try:
        build_here(root, site)
    except (LeafletError, Abort, ConfigurationError) as err:
        stopped = True
        cause = err if isinstance(err, LeafletError) else err.__context__
        if isinstance(cause, LeafletError):
            ours.append(cause.finding)
            collect.messages = [m for m in collect.messages if m != str(cause)]
        elif isinstance(err, ConfigurationError):
            collect.messages.append(str(err))
    finally:
        logger.removeHandler(collect)
        logger.propagate = propagate
    explained, unknown = [], []
    for message in collect.messages:
        found = explain(message + "\n", root / "docs")
        explained += found
        if not found:
            unknown.append(message)
    # A warning we have no words for still fails the check (the build is strict
    # for publishing): it is shown as MkDocs wrote it.
    explained += [Finding(CONFIG_FILE, None, f"The build warned: {' '.join(m.split())}",
                          "Fix what the message says; ask a developer if it is unclear.") for m in unknown]
    return Built(stopped, ours + explained, "\n".join(unknown))
