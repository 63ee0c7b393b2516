#!/usr/bin/env python3
"""Benchmark: the strict build, our check, and lychee alone, on synthetic
sites of 10, 100 and 1,000 pages, all timed in one run on one machine.

The pages are clearly marked as synthetic test content. The targets: the
check adds at most 25% to the build time at 1,000 pages, and its cost per page
stays flat as the site grows (linear cost).

Usage: python scripts/bench.py [--sizes 10,100,1000] [--json bench.json]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from sitecheck.build import ENV as MKDOCS_ENV  # noqa: E402
from sitecheck.links import lychee_command  # noqa: E402

# No PDFs: the benchmark times the build and the check, not Chromium.
ENV = {**MKDOCS_ENV, "LEAFLET_PDF": "off"}
CHECK_SHARE_MAX = 0.25  # issue 3: the check adds at most 25% to the build time

PAGE = """---
description: Synthetic test page {n} for the speed benchmark.
---

# Synthetic page {n}

This is test content made for the speed benchmark. It is not patient information.

## What this page is for

We use it to time the build and the check. You can ask the radiologist any questions on the day.

## Links

Go to the [next page]({next}.md#links) or to the [words we use](glossary.md#words-we-use).
"""


def make_site(dest: Path, pages: int) -> Path:
    """A copy of the real project with `pages` synthetic pages as its content."""
    for name in ["overrides", "readability.yml", "scripts", "words.txt"]:
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, dest / name)
    docs = dest / "docs"
    docs.mkdir()
    shutil.copytree(ROOT / "docs" / "assets", docs / "assets")
    shutil.copy2(ROOT / "docs" / "glossary.yml", docs / "glossary.yml")
    (docs / "glossary.md").write_text("---\ndescription: Words.\n---\n\n# Words we use\n\n<!-- leaflet:glossary -->\n")
    shutil.copy2(ROOT / "docs" / "changelog.yml", docs / "changelog.yml")
    names = ["index"] + [f"page-{n}" for n in range(1, pages)]
    for n, name in enumerate(names):
        (docs / f"{name}.md").write_text(PAGE.format(n=n, next=names[(n + 1) % pages]))
    nav = "".join(f"  - {name}.md\n" for name in names) + "  - glossary.md\n"
    config = (ROOT / "mkdocs.yml").read_text()
    config = re.sub(r"\nnav:\n(  - .*\n)+", "\nnav:\n" + nav.replace("\\", "\\\\"), config)
    (dest / "mkdocs.yml").write_text(config)
    (dest / "published-urls.txt").write_text("")
    return dest


def timed(cmd: list[str], cwd: Path) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=ENV, capture_output=True, text=True)
    return time.perf_counter() - start, done


def measure(pages: int, work: Path) -> dict:
    root = make_site(work / f"site-{pages}", pages)
    build_s, done = timed([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", "site"], root)
    if done.returncode:
        raise SystemExit(f"The {pages}-page build failed:\n{done.stderr[-2000:]}")
    timed([sys.executable, "scripts/check.py", "--update-register"], root)
    check_s, done = timed([sys.executable, "scripts/check.py"], root)
    checked = re.search(r"Checked (\d+) links and (\d+) pages", done.stdout)
    lychee_s, _ = timed(lychee_command(root / "site", "/nerve-root-injection/"), root)
    return {
        "pages": pages, "build_s": round(build_s, 3), "check_s": round(check_s, 3),
        "lychee_s": round(lychee_s, 3), "check_share": round(check_s / build_s, 3),
        "check_ms_per_page": round(1000 * check_s / pages, 2),
        "links_checked": int(checked.group(1)) if checked else None,
        "pages_scored": int(checked.group(2)) if checked else None,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,1000")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        rows = [measure(n, Path(tmp)) for n in sizes]
    print("| Pages | Build (s) | Check (s) | Check / build | Check ms per page | Links | Check µs per link | lychee alone (s) |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        per_link = 1e6 * r["check_s"] / r["links_checked"] if r["links_checked"] else 0
        print(f"| {r['pages']} | {r['build_s']:.2f} | {r['check_s']:.2f} | {r['check_share']:.0%} | "
              f"{r['check_ms_per_page']:.1f} | {r['links_checked']} | {per_link:.1f} | {r['lychee_s']:.2f} |")
    largest = rows[-1]
    ok = largest["check_share"] <= CHECK_SHARE_MAX
    print(f"\nAt {largest['pages']} pages the check adds {largest['check_share']:.0%} to the build "
          f"(target {CHECK_SHARE_MAX:.0%} or less): {'met' if ok else 'NOT met'}.")
    if len(rows) > 1:
        per_page = [r["check_ms_per_page"] for r in rows if r["pages"] >= 100]
        if len(per_page) >= 2:
            growth = per_page[-1] / per_page[0]
            print(f"Cost per page from {rows[-2]['pages']} to {largest['pages']} pages: x{growth:.2f}. "
                  "Material repeats the whole navigation on every page, so links grow with pages squared; "
                  "the check's cost follows the links it reads (see µs per link).")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
