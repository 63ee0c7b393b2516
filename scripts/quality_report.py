#!/usr/bin/env python3
"""Write the quality report: the PIF TICK's ten criteria, each with what the
repository shows and what is missing.

Usage: python scripts/quality_report.py [--root .] [--site site] [--out quality-report] [--today YYYY-MM-DD]
Reads the leaflet's model, the built site (for readability) and the
repository's files; writes quality-report/quality-report.html and .md and
prints the Markdown (on GitHub, also into the job summary). The work is in
scripts/leaflet_site/quality.py.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path

import yaml

from leaflet_site import model, quality
from leaflet_site.check.pages import read_site
from leaflet_site.check.readability import load_rules
from leaflet_site.check.run import readability

ROOT = Path(__file__).resolve().parent.parent
# The files the report looks for (it says what it found, never more).
LOOKED_FOR = ("CONTRIBUTING.md", ".github/CODEOWNERS", ".github/pull_request_template.md", "scripts/page-template.md",
              "docs/gp-practices.md", "docs/other-formats.md", "docs/facts.yml", "tests/test_facts.py",
              "tests/test_keyboard.py")
ENGINES_REPORT = Path("build") / "engines-report.txt"  # left by a run of tests/test_engines.py
# Each accessibility engine, and what in the repository shows that the tests run it.
ENGINES = (("axe-core", "tests/test_accessibility.py", None),
           ("pa11y with HTML_CodeSniffer", "tests/test_engines.py", "pa11y"),
           ("IBM Equal Access", "tests/test_engines.py", "accessibility-checker-engine"),
           ("Siteimprove Alfa", "tests/test_engines.py", "@siteimprove/alfa-rules"),
           ("Nu HTML Checker", "tests/test_engines.py", "vnu-jar"))


def engines(root: Path) -> tuple[str, ...]:
    """The engines whose test and package are in the repository."""
    package = root / "tools" / "node" / "package.json"
    deps = json.loads(package.read_text(encoding="utf-8")).get("dependencies", {}) if package.is_file() else {}
    return tuple(name for name, test, dep in ENGINES if (root / test).is_file() and (dep is None or dep in deps))


def lines(path: Path) -> list[str]:
    """A register's entries: its lines that are not comments or empty."""
    if not path.is_file():
        return []
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")]


def evidence(root: Path, site: Path, today: dt.date) -> quality.Evidence:
    leaflet = model.load(root)
    rules = load_rules(root / "readability.yml")
    scores = ()
    if (site / "index.html").is_file():
        pages, _ = read_site(site)
        _, table = readability(pages, site, root / "docs", root / "readability.yml", root)
        scores = tuple(quality.PageScore(name, s.smog, s.average, s.longest) for name, s in table)
    facts = yaml.safe_load((root / "docs" / "facts.yml").read_text(encoding="utf-8")) if (root / "docs" / "facts.yml").is_file() else []
    positives = root / "tests" / "accessibility-false-positives.yml"
    raw_positives = yaml.safe_load(positives.read_text(encoding="utf-8")) if positives.is_file() else []
    report = root / ENGINES_REPORT
    return quality.Evidence(
        leaflet=leaflet, today=today, scores=scores,
        limits={name: getattr(rules.thresholds, name) for name in ("smog_max", "sentence_words_max")},
        files=frozenset(p for p in LOOKED_FOR if (root / p).is_file()),
        facts=len(facts.get("facts", facts) if isinstance(facts, dict) else facts or []),
        published_addresses=len(lines(root / "published-urls.txt")),
        false_positives=len(raw_positives.get("false_positives", raw_positives) if isinstance(raw_positives, dict)
                            else raw_positives or []),
        engines_report=_first_count(report),
        engines=engines(root),
    )


def _first_count(report: Path) -> str:
    """What the last local run of the engines reported beyond AA, in one phrase."""
    if not report.is_file():
        return ""
    counted = [line for line in report.read_text(encoding="utf-8").splitlines() if " x " in line[:8]]
    total = sum(int(line.split(" x ")[0]) for line in counted)
    return (f"{total} findings at AAA or tied to no WCAG rule, reported for a person to read (whether every page "
            "passed at A and AA is the test run's own result, not kept in this file)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT)
    parser.add_argument("--site", type=Path, help="the built site (default: ROOT/site)")
    parser.add_argument("--out", type=Path, help="where to write the report (default: ROOT/quality-report)")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=os.environ.get("LEAFLET_TODAY"))
    args = parser.parse_args(argv)
    root = args.root.resolve()
    e = evidence(root, (args.site or root / "site").resolve(), args.today or dt.date.today())
    found = quality.criteria(e)
    out = (args.out or root / "quality-report").resolve()
    out.mkdir(parents=True, exist_ok=True)
    text = quality.markdown(e, found)
    (out / "quality-report.md").write_text(text, encoding="utf-8")
    (out / "quality-report.html").write_text(quality.html(e, found), encoding="utf-8")
    print(text)
    print(f"Written: {out / 'quality-report.html'} and {out / 'quality-report.md'}")
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        with open(summary, "a", encoding="utf-8") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
