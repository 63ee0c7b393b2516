#!/usr/bin/env python3
"""Check the built site: links, published addresses, readability and page weight.

Usage: python scripts/check.py [--site site] [--update-register] [--external]
Prints each problem with the file to open and how to fix it, then a table of
readability per page. Exits 1 if anything must be fixed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sitecheck.build import build, explain  # noqa: E402
from sitecheck.findings import Finding  # noqa: E402
from sitecheck.links import (  # noqa: E402
    broken_links, contact_link_problem, link_findings, lychee_command, lychee_findings, run_lychee)
from sitecheck.pages import Page, line_at, read_page, source_for  # noqa: E402
from sitecheck.readability import Score, Syllables, check_page, load_rules, score  # noqa: E402
from sitecheck.register import read_register, register_findings, updated_register  # noqa: E402
from sitecheck.review import review_findings  # noqa: E402
from sitecheck.source import check_source  # noqa: E402
from sitecheck.spelling import DICTIONARY, load_words, spelling_findings  # noqa: E402
from sitecheck.weight import format_weights, page_weights, weight_findings  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


class _AnyTagLoader(yaml.SafeLoader):
    """mkdocs.yml may hold !ENV and !!python tags; we only need plain values."""


_AnyTagLoader.add_multi_constructor("", lambda loader, suffix, node: None)
_AnyTagLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def site_url_path(config: Path) -> str:
    raw = yaml.load(config.read_text(encoding="utf-8"), Loader=_AnyTagLoader) or {}
    from urllib.parse import urlsplit

    return urlsplit(raw.get("site_url") or "/").path or "/"


def review_dates(config: Path, today: dt.date) -> list[Finding]:
    text = config.read_text(encoding="utf-8")
    raw = yaml.load(text, Loader=_AnyTagLoader) or {}
    due = ((raw.get("extra") or {}).get("leaflet") or {}).get("next_review_due")
    line = next((n for n, line in enumerate(text.splitlines(), start=1) if "next_review_due:" in line), None)
    return review_findings(due, today, config.name, line)


def read_site(site: Path) -> tuple[dict[str, Page], set[str]]:
    """Every built HTML page, read once, and every file's path in the site."""
    files = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    pages = {rel: read_page(rel, (site / rel).read_text(encoding="utf-8"))
             for rel in sorted(files) if rel.endswith(".html")}
    return pages, files


def contact_findings(pages: dict[str, Page], site: Path) -> list[Finding]:
    found = []
    for rel, page in pages.items():
        for link in page.links:
            problem = link.url.startswith(("mailto:", "tel:")) and contact_link_problem(link.url)
            if problem:
                line = line_at((site / rel).read_text(encoding="utf-8"), link.position)
                found.append(Finding(f"site/{rel}", line, *problem))
    return found


def find_image_line(source_text: str, src: str) -> int | None:
    name = Path(src).name
    for number, line in enumerate(source_text.splitlines(), start=1):
        if name and name in line:
            return number
    return None


def source_findings(docs: Path, root: Path) -> list[Finding]:
    found = []
    for md in sorted(docs.rglob("*.md")):
        found += check_source(md.relative_to(root).as_posix(), md.read_text(encoding="utf-8"))
    return found


def readability(pages: dict[str, Page], site: Path, docs: Path, rules_path: Path, root: Path):
    rules = load_rules(rules_path)
    syllables = Syllables(rules.syllables)
    words = load_words(DICTIONARY, root / "words.txt")
    found: list[Finding] = []
    table: list[tuple[str, Score]] = []
    for rel, page in pages.items():
        source = source_for(site / rel, site, docs)
        if rel in rules.not_prose or source is None:
            continue  # redirect pages, the print page and theme pages are not prose
        text = source.read_text(encoding="utf-8")
        for src in page.images_without_alt:
            found.append(Finding(source.relative_to(root).as_posix(), find_image_line(text, src),
                f"The picture {src!r} has no text description (alt text), so screen reader users miss it.",
                "Describe the picture in the square brackets, for example ![A CT scanner](ct-scanner.png)."))
        blocks = list(page.blocks)
        page_score = score(blocks, syllables)
        name = source.relative_to(root).as_posix()
        found += check_page(blocks, page_score, rules.thresholds, name, text)
        found += spelling_findings([b.text for b in blocks], words, name, text)
        table.append((name, page_score))
    return found, table


def weight(site: Path, docs: Path, root: Path, prefix: str):
    """Each page's download size against the budgets, blamed on its source."""
    weights = page_weights(site, prefix)

    def source_of(rel: str) -> str:
        source = source_for(site / rel, site, docs)
        return source.relative_to(root).as_posix() if source else f"site/{rel}"

    def biggest_line(name: str, file: str) -> int | None:
        path = root / name
        return find_image_line(path.read_text(encoding="utf-8"), file) if path.suffix == ".md" else None

    return weight_findings(weights, source_of, biggest_line), weights


def format_table(table: list[tuple[str, Score]]) -> str:
    head = "| Page | Words | Sentences | Average | Longest | SMOG | FK grade | Reading ease |"
    rows = [head, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for name, s in table:
        rows.append(f"| {name} | {s.words} | {s.sentences} | {s.average:.1f} | {s.longest} | "
                    f"{s.smog:.1f} | {s.fk_grade:.1f} | {s.reading_ease:.0f} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="the project folder")
    parser.add_argument("--site", type=Path, help="the built site (default: ROOT/site)")
    parser.add_argument("--build", action="store_true", help="build the site strictly first (what `make check` does)")
    parser.add_argument("--update-register", action="store_true", help="add new page addresses to the register")
    parser.add_argument("--external", action="store_true", help="fetch external links instead of checking offline")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=os.environ.get("LEAFLET_TODAY"),
                        help="the date to check review dates against (YYYY-MM-DD; default: today)")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    site = (args.site or root / "site").resolve()
    docs, config = root / "docs", root / "mkdocs.yml"
    register_path = root / "published-urls.txt"
    if args.build:
        worked, output = build(root, site)
        if not worked:
            explained = explain(output, docs)
            for finding in explained:
                print(finding)
            if not explained:
                print(output)
            print(f"\nThe site did not build: {len(explained) or 1} to fix. Nothing was checked further.")
            return 1
    if not (site / "index.html").is_file():
        print(f"There is no built site in {site}. Fix: run `make build` first.", file=sys.stderr)
        return 2

    if args.update_register:
        register_path.write_text(updated_register(read_register(register_path), site), encoding="utf-8")
        print(f"Updated {register_path.name}.")
        return 0

    started = time.perf_counter()
    prefix = site_url_path(config)
    if args.external:
        raw = yaml.load(config.read_text(encoding="utf-8"), Loader=_AnyTagLoader) or {}
        own = "^" + (raw.get("site_url") or "").replace(".", r"\.")
        report = run_lychee(lychee_command(site, prefix, external=True, exclude=own))
        found, table, links = lychee_findings(report), [], report.get("total", 0)
    else:
        pages, files = read_site(site)
        found = source_findings(docs, root)  # first: what the editor typed
        found += link_findings(broken_links(pages, files, prefix), site, docs, root)
        found += contact_findings(pages, site)
        found += register_findings(read_register(register_path), site, register_path.name,
                                   "mkdocs.yml (plugins > redirects > redirect_maps)")
        more, table = readability(pages, site, docs, root / "readability.yml", root)
        found += more
        found += review_dates(config, args.today or dt.date.today())
        more, weights = weight(site, docs, root, prefix)
        found += more
        links = sum(len(p.links) for p in pages.values())
    elapsed = time.perf_counter() - started

    for finding in found:
        print(finding)
    if table:
        print("\nReadability per page\n")
        print(format_table(table))
        print("\nPage weight (what a phone downloads, compressed)\n")
        print(format_weights(weights))
        summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary:
            with open(summary, "a", encoding="utf-8") as out:
                out.write("## Readability per page\n\n" + format_table(table) + "\n")
    errors = sum(f.level == "error" for f in found)
    warnings = len(found) - errors
    print(f"\nChecked {links} links and {len(table)} pages in {elapsed:.2f} s: "
          f"{errors} to fix, {warnings} warnings.")
    return 1 if errors else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (FileNotFoundError, RuntimeError) as err:  # a missing tool: say what to install
        print(f"The check could not run: {err}", file=sys.stderr)
        sys.exit(2)
