#!/usr/bin/env python3
"""Make the approval pack for the clinician who approves this version.

Usage: python scripts/approval_pack.py [--root .] [--out approval-pack] [--no-pdf]
Writes approval-pack/approval-pack-vVERSION.html and .pdf: every source
sentence beside the site's, the site's sentences the source does not have,
what changed since the published version, readability, the questions the
source leaves open, and a sign-off block. (The work is in the package
scripts/leaflet_site/approval/, its HTML in approval/templates/.)

The text of each page is read from the site as built from this version (into
a temporary folder, without PDFs): that is what a patient reads, with the
contact line filled in and the hidden search words left out, and it is the
same kind of text as the published version's pages on the gh-pages branch,
so the two compare word for word.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from leaflet_site import approval, approve, model
from leaflet_site.check.readability import Syllables, load_rules
from leaflet_site.findings import LeafletError
from leaflet_site.page_text import HEADING, Block, read_article
from leaflet_site.source import SOURCE_ENV, SOURCE_NAME, missing_reason
from leaflet_site.source import find as find_source

from leaflet_site.names import APPROVAL_PACK_DIR as OUT, BRANCH, CONFIG_FILE, LATEST as ALIAS, mkdocs_env, PDF_SWITCH, PRINT_PAGE_DIR

ROOT = Path(__file__).resolve().parent.parent
BUILD_ENV = mkdocs_env(**{PDF_SWITCH: "off", "PYTHONDONTWRITEBYTECODE": "1"})


class PackError(Exception):
    pass


def git(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)


def build(root: Path, site: Path) -> None:
    cmd = [sys.executable, "-m", "mkdocs", "build", "--clean", "-f", str(root / CONFIG_FILE), "-d", str(site)]
    done = subprocess.run(cmd, cwd=root, env=BUILD_ENV, capture_output=True, text=True)
    if done.returncode:
        raise PackError(f"The site did not build, so there is no text to put in the pack:\n{(done.stdout + done.stderr).strip()}\n"
                        "Fix: run `make check` and fix what it says.")


def title_of(blocks: list[Block]) -> str:
    """A page's title: its first heading (the page's h1)."""
    return next((b.text for b in blocks if b.kind == HEADING), "")


def this_version(leaflet: model.Leaflet, site: Path) -> list[approval.PageText]:
    return [approval.PageText(s.url, s.title, tuple(read_article((site / s.url / "index.html").read_text(encoding="utf-8"))))
            for s in leaflet.pages]


def published_branch(root: Path) -> str | None:
    for ref in (BRANCH, f"origin/{BRANCH}"):
        if git(root, "rev-parse", "--verify", "-q", f"{ref}^{{commit}}").returncode == 0:
            return ref
    return None


def published_version(root: Path, leaflet: model.Leaflet):
    """The version under /latest/ on gh-pages and its pages (url -> title,
    prose), or None when nothing has been published."""
    ref = published_branch(root)
    if ref is None:
        return None
    shown = git(root, "show", f"{ref}:versions.json")
    versions = json.loads(shown.stdout) if shown.returncode == 0 else []
    version = next((v["version"] for v in versions if ALIAS in (v.get("aliases") or [])),
                   versions[0]["version"] if versions else "(unknown)")
    listed = git(root, "ls-tree", "-r", "--name-only", ref, f"{ALIAS}/").stdout.split()
    urls = [s.url for s in leaflet.pages]
    for name in listed:  # pages published then and no longer in the nav
        parts = name.split("/")
        if len(parts) == 3 and parts[2] == "index.html" and parts[1] != PRINT_PAGE_DIR and f"{parts[1]}/" not in urls:
            urls.append(f"{parts[1]}/")
    pages = {}
    for url in urls:
        shown = git(root, "show", f"{ref}:{ALIAS}/{url}index.html")
        if shown.returncode == 0:
            blocks = read_article(shown.stdout)
            pages[url] = (title_of(blocks), tuple(blocks))
    return version, pages


def since_approved(root: Path, leaflet: model.Leaflet) -> tuple[str, list] | None:
    """The last approved version and what changed since its text (every kind
    of words); None when no approved text has its record to compare with."""
    since = approve.since_approval(root, leaflet)
    return None if since.diffs is None else (since.version, since.diffs)


def made_from(root: Path) -> str:
    head = git(root, "rev-parse", "--short", "HEAD")
    if head.returncode:
        return "a copy of the project that is not in git"
    dirty = git(root, "status", "--porcelain", "--untracked-files=no").stdout.strip()
    return f"commit {head.stdout.strip()}" + (", with changes not yet committed" if dirty else "")


def print_pdf(page_html: str, pdf: Path, title: str) -> None:
    from leaflet_site import chromium

    if not chromium.executable():
        raise PackError("Chromium is needed to print the PDF, and it is not installed. "
                        f"Fix: apt-get install {chromium.INSTALL} (or use --no-pdf for the HTML only).")
    with chromium.launched() as browser:
        try:
            page = browser.new_page(java_script_enabled=False)
            page.set_content(page_html, wait_until="load")
            page.evaluate("title => { document.title = title; }", title)
            pdf.write_bytes(page.pdf(format="A4", tagged=True, outline=True, print_background=True,
                                     prefer_css_page_size=True))
        finally:
            browser.close()


def make(root: Path, out: Path, facts: Path, source: Path | None, site: Path | None, pdf: bool) -> list[Path]:
    """source: the full approved text, or None when this machine has none
    (the pack then says so on its first page)."""
    leaflet = model.load(root)
    if source is not None and not source.is_file():
        raise PackError(f"The approved source text is missing: {source}. Fix: give its path with --source.")
    rules = load_rules(root / "readability.yml")
    with tempfile.TemporaryDirectory() as tmp:
        if site is None:
            site = Path(tmp) / "site"
            build(root, site)
        pages = this_version(leaflet, site)
    pack = approval.make_pack(
        title=leaflet.details.title,
        version=leaflet.details.version,
        pages=pages,
        leaflet_pages=[s.url for s in leaflet.printed],
        source_text=source.read_text(encoding="utf-8") if source else None,
        facts=approval.load_facts(facts),
        published=published_version(root, leaflet),
        syllables=Syllables(rules.syllables),
        limits={"sentence_words_max": rules.thresholds.sentence_words_max, "smog_max": rules.thresholds.smog_max},
        made_on=model.long_date(dt.date.today()),
        made_from=made_from(root),
        records=list(leaflet.records),
        fingerprint=leaflet.fingerprint,
        approved=since_approved(root, leaflet),
        owner=leaflet.details.owner,
        sources=tuple((s.title, s.url, model.long_date(s.checked)) for s in leaflet.details.sources),
    )
    out.mkdir(parents=True, exist_ok=True)
    name = f"approval-pack-v{leaflet.details.version}"
    page_html = approval.render(pack)
    written = [out / f"{name}.html"]
    written[0].write_text(page_html, encoding="utf-8")
    if pdf:
        written.append(out / f"{name}.pdf")
        print_pdf(page_html, written[1], f"Approval pack: {leaflet.details.title}, version {leaflet.details.version}")
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="the project folder")
    parser.add_argument("--out", type=Path, help=f"where to write the pack (default: ROOT/{OUT})")
    parser.add_argument("--facts", type=Path, help=f"the fact list (default: ROOT/{approval.FACTS_FILE})")
    parser.add_argument("--source", type=Path,
                        help=f"the full approved text (default: ${SOURCE_ENV}, or ROOT/../shared/source/{SOURCE_NAME})")
    parser.add_argument("--no-source", action="store_true",
                        help="make the pack from the facts list's quotes alone, as on a machine without the source")
    parser.add_argument("--site", type=Path, help="read this built site instead of building one")
    parser.add_argument("--no-pdf", action="store_true", help="write the HTML only")
    args = parser.parse_args()
    root = args.root.resolve()
    try:
        source = None if args.no_source else args.source or find_source(root)
        if source is None:
            print(f"Note: {missing_reason(root)}. The pack says so on its first page.")
        written = make(root, args.out or root / OUT, args.facts or root / approval.FACTS_FILE,
                       source, args.site, not args.no_pdf)
    except (PackError, LeafletError) as err:
        print(f"The approval pack was not made: {err}", file=sys.stderr)
        return 1
    for path in written:
        print(f"Wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
