"""Links: lychee crawls the built site; we turn its report into findings
that name the Markdown file an editor should open."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

from .findings import Finding
from .pages import source_for

LYCHEE_TIMEOUT_S = 20  # per external request; a slow host is not a broken one
LYCHEE_RETRIES = 3     # external hosts fail now and then; retry before reporting


def lychee_binary() -> str:
    found = shutil.which("lychee", path=str(Path(sys.executable).parent)) or shutil.which("lychee")
    if not found:
        raise FileNotFoundError("lychee is not installed. Fix: run `make test` or `make check` to set up.")
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


def run_lychee(cmd: list[str]) -> dict:
    done = subprocess.run(cmd, capture_output=True, text=True)
    try:
        return json.loads(done.stdout)
    except json.JSONDecodeError:
        raise RuntimeError(f"lychee failed to run: {done.stderr.strip() or done.stdout.strip()}") from None


def _href_at(page_text: str, line: int | None, column: int | None) -> str:
    if not line or not column:
        return ""
    lines = page_text.splitlines()
    if line > len(lines):
        return ""
    match = re.match(r"[^\"'\s>]*", lines[line - 1][column - 1 :])
    return match.group(0) if match else ""


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


def print_page_origin(href: str, docs: Path) -> tuple[Path, str] | None:
    """print-site turns a link on page `risks` into `#risks-<link>` on the print
    page; give back the Markdown file and the link as its author wrote it."""
    if not href.startswith("#"):
        return None
    stems = sorted((p.with_suffix("").relative_to(docs).as_posix() for p in docs.rglob("*.md")), key=len, reverse=True)
    for stem in stems:
        if href[1:].startswith(stem.replace("/", "-") + "-"):
            return docs / f"{stem}.md", href[len(stem) + 2 :]
    return None


def link_findings(report: dict, site: Path, docs: Path, root: Path) -> list[Finding]:
    site = site.resolve()
    found = []
    for page_name, errors in sorted(report.get("error_map", {}).items()):
        page = Path(page_name).resolve()
        page_text = page.read_text(encoding="utf-8", errors="replace")
        for error in errors:
            span = error.get("span") or {}
            href = _href_at(page_text, span.get("line"), span.get("column")) or error["url"]
            status = error["status"]["text"]
            what = "anchor (#...)" if "fragment" in status.lower() else "link"
            source, written = source_for(page, site, docs), href
            if page.name == "index.html" and page.parent.name == "print_page":
                source, written = print_page_origin(href, docs) or (None, href)
            source_text = source.read_text(encoding="utf-8") if source else ""
            line = _source_line(source_text, written) if source else None
            built = page.relative_to(site)
            if source and line:
                where, fix = source.relative_to(root), "Correct the link, or remove it."
            else:
                where = Path("site") / built
                line = span.get("line")
                fix = ("This link is not in the page's Markdown: it comes from a template in "
                       "overrides/, mkdocs.yml or a plugin. Correct it there.")
            found.append(Finding(str(where), line, f"Broken {what} to {href!r} on page {built} ({status}).", fix))
    return found


_MAILTO = re.compile(r"^mailto:[^@\s?]+@[^@\s?]+\.[^@\s?]+(\?.*)?$")
_TEL = re.compile(r"^tel:\+?[0-9][0-9 ()-]{5,}[0-9]$")


def contact_link_problem(href: str) -> str | None:
    """mailto: and tel: links cannot be fetched, so check their form."""
    if href.startswith("mailto:") and not _MAILTO.match(href):
        return f"The email link {href!r} is not a valid address. Fix: write it as mailto:name@example.nhs.uk"
    if href.startswith("tel:") and not _TEL.match(href):
        return f"The phone link {href!r} is not a valid number. Fix: write it as tel:+441234567890 (digits only)"
    return None
