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

from leaflet_site import approve, model
from leaflet_site.check import github
from leaflet_site.check.addresses import address_findings
from leaflet_site.check.build import build
from leaflet_site.check.links import broken_links, link_findings, lychee_command, lychee_findings, run_lychee
from leaflet_site.check.pages import read_site
from leaflet_site.check.register import read_register, register_findings, updated_register
from leaflet_site.check.run import (contact_findings, format_table, other_words_findings, readability, review_dates,
                                    sorted_findings, source_findings, weight)
from leaflet_site.check.weight import format_weights

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="the project folder")
    parser.add_argument("--site", type=Path, help="the built site (default: ROOT/site)")
    parser.add_argument("--build", action="store_true", help="build the site strictly first (what `make check` does)")
    parser.add_argument("--update-register", action="store_true", help="add new page addresses to the register")
    parser.add_argument("--external", action="store_true", help="fetch external links instead of checking offline")
    parser.add_argument("--version-folder", metavar="VERSION",
                        help="the site was built for its version's folder, as a release builds it (links start /VERSION/)")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=os.environ.get("LEAFLET_TODAY"),
                        help="the date to check review dates against (YYYY-MM-DD; default: today)")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    site = (args.site or root / "site").resolve()
    docs = root / "docs"
    register_path = root / "published-urls.txt"
    built = build(root, site) if args.build else None
    if built and built.stopped:
        for finding in sorted_findings(built.findings):
            print(finding)
        if os.environ.get("GITHUB_ACTIONS") == "true":
            print("\n".join(github.workflow_commands(sorted_findings(built.findings))))
        print(f"\nThe site did not build: {len(built.findings) or 1} to fix. "
              "Fix these, then run the check again to see the rest.")
        return 1
    if not (site / "index.html").is_file():
        print(f"There is no built site in {site}. Fix: run `make build` first.", file=sys.stderr)
        return 2

    if args.update_register:
        register_path.write_text(updated_register(read_register(register_path), site), encoding="utf-8")
        print(f"Updated {register_path.name}.")
        return 0

    started = time.perf_counter()
    leaflet = model.load(root)
    prefix = leaflet.addresses.path + (f"{args.version_folder}/" if args.version_folder else "")
    if args.external:
        own = "^" + leaflet.addresses.base.replace(".", r"\.")
        report = run_lychee(lychee_command(site, prefix, external=True, exclude=own))
        found, table, links = lychee_findings(report), [], report.get("total", 0)
    else:
        pages, files = read_site(site)
        found = source_findings(docs, root)  # first: what the editor typed
        found += link_findings(broken_links(pages, files, prefix), site, docs, root)
        found += contact_findings(pages, site)
        found += address_findings(site, files, leaflet.addresses, docs, root, leaflet.approved_versions)
        found += register_findings(read_register(register_path), site, register_path.name,
                                   "mkdocs.yml (plugins > redirects > redirect_maps)")
        more, table = readability(pages, site, docs, root / "readability.yml", root)
        found += more
        found += review_dates(leaflet, args.today or dt.date.today())
        found += other_words_findings(leaflet.records, leaflet, root / "readability.yml", root)
        found += approve.notices(approve.since_approval(root, leaflet))  # patient text changed since its approval
        more, weights = weight(site, docs, root, prefix)
        found += more
        links = sum(len(p.links) for p in pages.values())
    elapsed = time.perf_counter() - started

    if built:
        # The build's own findings first; the check's on the same line say the same.
        said = {(f.file, f.line) for f in built.findings}
        found = built.findings + [f for f in found if (f.file, f.line) not in said or f.line is None]
    found = sorted_findings(found)
    for finding in found:
        print(finding)
    if os.environ.get("GITHUB_ACTIONS") == "true":  # shown on the pull request's lines
        print("\n".join(github.workflow_commands(found)))
    if table:
        print("\nReadability per page\n")
        print(format_table(table))
        print("\nPage weight (what a phone downloads, compressed)\n")
        print(format_weights(weights))
        summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary:
            env = os.environ
            preview = (f"{env['GITHUB_SERVER_URL']}/{env['GITHUB_REPOSITORY']}/actions/runs/{env['GITHUB_RUN_ID']}"
                       if all(k in env for k in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_RUN_ID")) else None)
            changed = github.changed_pages(root, env.get("GITHUB_BASE_REF") or "main")
            with open(summary, "a", encoding="utf-8") as out:
                before = github.base_scores(root, env.get("GITHUB_BASE_REF") or "main") if changed else {}
                out.write(github.summary(found, table, changed, root, preview, before) + "\n")
                out.write("## Readability per page\n\n" + format_table(table) + "\n")
    errors = sum(f.level == "error" for f in found)
    notices = sum(f.level == "notice" for f in found)
    warnings = len(found) - errors - notices
    print(f"\nChecked {links} links and {len(table)} pages in {elapsed:.2f} s: "
          f"{errors} to fix, {warnings} warnings" + (f", {notices} notices." if notices else "."))
    return 1 if errors else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (FileNotFoundError, RuntimeError) as err:  # a missing tool: say what to install
        print(f"The check could not run: {err}", file=sys.stderr)
        sys.exit(2)
