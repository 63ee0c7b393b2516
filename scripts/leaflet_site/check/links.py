"""Links: every local link, #anchor, image, stylesheet and script of every
built page must resolve. We check the built HTML ourselves (one parse a
page, shared with the readability check); lychee fetches external links.
Findings name the Markdown file an editor should open."""

from __future__ import annotations

import json
import posixpath
import re
import shutil
import subprocess
from typing import Any
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..findings import Finding
from .. import names
from ..names import PRINT_PAGE_FILE
from ..urls import in_site
from .pages import Page, line_at, source_for

LYCHEE_TIMEOUT_S = 20  # per external request; a slow host is not a broken one
LYCHEE_RETRIES = 3     # external hosts fail now and then; retry before reporting
NOT_LOCAL = ("http:", "https:", "mailto:", "tel:", "data:", "javascript:", "blob:")
PRINT_PAGE = PRINT_PAGE_FILE
LATEST = f"/{names.LATEST}/"


def broken_links(pages: dict[str, Page], files: set[str], url_prefix: str = "/") -> list[tuple[str, int, str, str]]:
    """(page, position, url, problem) for each local link that does not resolve.

    `pages` are the built HTML pages by path inside the site, `files` every
    file's path inside the site, `url_prefix` the path of the site's own
    address (absolute links under it point into the site)."""
    prefix = "/" + url_prefix.strip("/") + "/" if url_prefix.strip("/") else "/"
    resolved: dict[tuple[object, str], tuple[str, str] | None] = {}
    found: list[tuple[str, int, str, str]] = []
    for rel, page in pages.items():
        base = posixpath.dirname(rel)
        depth = base.count("/") + 1 if base else 0
        climb = "../" * depth
        for link in page.links:
            url = link.url
            if not url or url.lower().startswith(NOT_LOCAL) or url.startswith("//"):
                continue
            target: tuple[str, str] | None
            if url.startswith("#"):
                target = (rel, unquote(url[1:]))
            else:
                # A link that climbs to the site root first ("../../x/") means the
                # same from every page at this depth: resolve it once.
                key = (depth, url) if url.startswith(climb) and not url.startswith(climb + "..") else (base, url)
                if key not in resolved:
                    resolved[key] = _resolve(base, url, prefix, files)
                target = resolved[key]
            if target is None:
                found.append((rel, link.position, url, "link"))
                continue
            path, fragment = target
            if fragment and path in pages and fragment not in pages[path].ids:
                found.append((rel, link.position, url, "anchor (#...)"))
    return found


def _resolve(base: str, url: str, prefix: str, files: set[str]) -> tuple[str, str] | None:
    parts = urlsplit(url)
    target = in_site(base, url, prefix) if parts.path else base
    if target is None and not parts.path.startswith("/"):
        # A link from this version to the same page in the current one: the
        # versions sit side by side (/1.0/, /latest/), and this build's pages
        # are what latest/ will hold once it is released.
        above = posixpath.normpath(posixpath.join(base, unquote(parts.path)))
        if above == ".." + LATEST.rstrip("/") or above.startswith(".." + LATEST):
            target = above[len(".." + LATEST):]
    if target is None:
        return None
    for candidate in (target, posixpath.join(target, "index.html")):
        if candidate in files:
            return candidate, unquote(parts.fragment)
    return None


def print_page_origin(href: str, docs: Path, stems: list[str]) -> tuple[Path, str] | None:
    """print-site turns a link on page `risks` into `#risks-<link>` on the print
    page; give back the Markdown file and the link as its author wrote it.
    `stems` are the Markdown files' paths without .md, longest first."""
    if not href.startswith("#"):
        return None
    for stem in stems:
        if href[1:].startswith(stem.replace("/", "-") + "-"):
            return docs / f"{stem}.md", href[len(stem) + 2 :]
    return None


def _needles(href: str) -> list[str]:
    """What the Markdown source most likely says for a built href."""
    parts = urlsplit(href)
    needles = []
    if parts.fragment:
        needles.append("#" + parts.fragment)
    stem = Path(parts.path.rstrip("/")).name
    if stem and stem not in (".", ".."):
        needles += [stem, Path(stem).stem]
    return needles


def _source_line(source_text: str, href: str) -> int | None:
    for needle in _needles(href):
        for number, line in enumerate(source_text.splitlines(), start=1):
            if needle in line and ("](" in line or "href=" in line or "src=" in line):
                return number
    return None


def link_findings(broken: list[tuple[str, int, str, str]], site: Path, docs: Path, root: Path) -> list[Finding]:
    """Turn broken links into findings that name the file to fix."""
    stems = sorted((p.with_suffix("").relative_to(docs).as_posix() for p in docs.rglob("*.md")), key=len, reverse=True)
    texts: dict[Path, str] = {}
    found = []
    for rel, position, href, what in broken:
        html_line = line_at((site / rel).read_text(encoding="utf-8"), position)
        source, written = source_for(site / rel, site, docs), href
        if rel == PRINT_PAGE:
            source, written = print_page_origin(href, docs, stems) or (None, href)
        line = None
        if source:
            text = texts.setdefault(source, source.read_text(encoding="utf-8"))
            line = _source_line(text, written)
        problem = f"Broken {what} to {href!r} on page {rel}."
        if source and line:
            found.append(Finding(source.relative_to(root).as_posix(), line, problem, "Correct the link, or remove it."))
        elif rel == PRINT_PAGE:
            found.append(Finding(f"site/{rel}", html_line, problem,
                "The print page copies every page's links; find the page whose link this was "
                "(a link to index.md becomes '#.' there: link to a section page instead)."))
        else:
            found.append(Finding(f"site/{rel}", html_line, problem,
                "This link is not in the page's Markdown: it comes from a template in "
                "overrides/, mkdocs.yml or a plugin. Correct it there."))
    return found


_MAILTO = re.compile(r"^mailto:[^@\s?]+@[^@\s?]+\.[^@\s?]+(\?.*)?$")
_TEL = re.compile(r"^tel:\+?[0-9][0-9 ()-]{5,}[0-9]$")


def contact_link_problem(href: str) -> tuple[str, str] | None:
    """mailto: and tel: links cannot be fetched, so check their form."""
    if href.startswith("mailto:") and not _MAILTO.match(href):
        return f"The email link {href!r} is not a valid address.", "Write it as mailto:name@example.nhs.uk"
    if href.startswith("tel:") and not _TEL.match(href):
        return f"The phone link {href!r} is not a valid number.", "Write it as tel:+441234567890 (digits only)"
    return None


# --- lychee: external links (make check-external) and the benchmark peer ---

def lychee_binary() -> str:
    found = shutil.which("lychee", path=str(Path(sys.executable).parent)) or shutil.which("lychee")
    if not found:
        raise FileNotFoundError("lychee is not installed. Fix: run `make check` to set up.")
    return found


def lychee_command(site: Path, url_prefix: str, external: bool = False, exclude: str = "") -> list[str]:
    """Offline: every local link and #anchor. External: http(s) links only."""
    site = site.resolve()
    cmd = [lychee_binary(), "--no-progress", "--format", "json", "--include-fragments",
           "--index-files", "index.html", "--root-dir", str(site)]
    if url_prefix.strip("/"):
        # The 404 page uses absolute links under the site's own path.
        cmd += ["--remap", f"^file://{site}{url_prefix.rstrip('/')}(/.*)?$ file://{site}$1"]
    if external:
        cmd += ["--scheme", "https", "--scheme", "http", "--max-retries", str(LYCHEE_RETRIES),
                "--timeout", str(LYCHEE_TIMEOUT_S), "--cache", "--max-cache-age", "1d"]
        if exclude:
            cmd += ["--exclude", exclude]
    else:
        cmd += ["--offline"]
    return cmd + [str(site)]


def run_lychee(cmd: list[str]) -> dict[str, Any]:
    done = subprocess.run(cmd, capture_output=True, text=True)
    try:
        report: dict[str, Any] = json.loads(done.stdout)
        return report
    except json.JSONDecodeError:
        raise RuntimeError(f"lychee failed to run: {done.stderr.strip() or done.stdout.strip()}") from None


def lychee_findings(report: dict[str, Any]) -> list[Finding]:
    """External links lychee could not fetch, by built page."""
    return [Finding(page, None,
                    f"The external link {e['url']} does not work ({e['status']['text']}).",
                    "Update the link to the page's new address, or remove it.")
            for page, errors in sorted(report.get("error_map", {}).items()) for e in errors]
