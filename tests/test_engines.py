"""pa11y (HTML_CodeSniffer), IBM Equal Access, Siteimprove Alfa and the Nu
HTML checker on what is published: the root redirect, the root 404 page,
every page of /latest/ (its print page and 404 page included) and an old
version's home page and changed page. Zero findings at WCAG 2.2 A and AA
beyond the listed false positives, and no stale entry in that list. Findings
at AAA, and those tied to no WCAG criterion, are written to
build/engines-report.txt and summed up at the end of the run."""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path

import pytest

from browser import page_file, serve, site_pages
from engines import (BROWSER_ENGINES, FAILING_LEVELS, FALSE_POSITIVES, REPORT, Finding, browser_engines, failures,
                     false_positives, stale, vnu)
from helpers import once_a_run

pytestmark = pytest.mark.browser


# A page with faults every engine must find (test_each_engine_finds_the_faults_of_a_bad_page),
# read with the published pages: its findings are named BAD.
BAD = "the bad page"
BAD_PAGE = """<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Bad page</title></head>
<body><main><h1>Bad page</h1>
<img src="scan.png">
<p style="color: #bbbbbb; background: #ffffff">This grey text is too pale to read.</p>
<a href="../risks/"></a>
<form><input type="text"></form>
<ul><div>Not a list item</div></ul>
</main></body></html>
"""


def published_pages(published) -> list[str]:
    """Each page the engines read, as a path in the published tree."""
    latest = [f"latest/{p}" for p in site_pages(published.latest)]
    return ["", "404.html", *latest, *published.earlier_pages]


@pytest.fixture(scope="session")
def engine_findings(published, tree_url: str, tmp_path_factory) -> list[Finding]:
    """Every engine's findings on every page, and on the bad page below,
    found once a test run in one run of each engine (the tests below go to
    different workers, and each would run them all; a run of its own for the
    bad page cost a browser and a Java start, about 4 processor-seconds)."""
    from concurrent.futures import ThreadPoolExecutor

    def find(work: Path) -> list[dict]:
        pages = published_pages(published)
        (work / "bad.html").write_text(BAD_PAGE, encoding="utf-8")
        files = {page_file(published.tree, p): "/" + p for p in pages} | {work / "bad.html": BAD}
        with serve(work, "/bad/") as bad_url, ThreadPoolExecutor(1) as beside:
            # The Nu checker (Java) reads the files while the browser engines
            # read the pages: the two take turns on the cores instead of one
            # waiting.
            nu = beside.submit(vnu, files)
            addresses = {tree_url + p: "/" + p for p in pages} | {bad_url + "bad.html": BAD}
            found = [dataclasses.replace(f, page=addresses[f.page]) for f in browser_engines(list(addresses))]
            found += nu.result()
        report(on_the_site(found))
        return [dataclasses.asdict(f) for f in found]

    return [Finding(**f) for f in once_a_run(tmp_path_factory, "engine-findings", find)]


def on_the_site(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.page != BAD]


def report(found: list[Finding]) -> None:
    """What does not fail, for a person to read: AAA and best practices."""
    other = [f for f in found if f.level not in FAILING_LEVELS]
    REPORT.parent.mkdir(exist_ok=True)
    counts = Counter((f.engine, f.rule, f.level or "no WCAG level") for f in other)
    lines = [f"{n:4} x {engine} {rule} ({level})" for (engine, rule, level), n in counts.most_common()]
    REPORT.write_text("Reported, not failed (WCAG AAA or no WCAG criterion):\n" + "\n".join(lines) + "\n\n"
                      + "\n".join(map(str, other)) + "\n", encoding="utf-8")


@pytest.mark.slow
@pytest.mark.parametrize("engine", [*BROWSER_ENGINES, "vnu"])
def test_no_failures_at_wcag_a_and_aa(engine_findings: list[Finding], engine: str):
    left = failures([f for f in on_the_site(engine_findings) if f.engine == engine], false_positives())
    pages = Counter(f.page for f in left)
    assert not left, (f"{engine}: {len(left)} findings on {len(pages)} pages. Fix the page or template; if the tool "
                      f"is wrong, add an entry with the reason to tests/{FALSE_POSITIVES.name}.\n"
                      + "\n".join(map(str, left)))


@pytest.mark.slow
def test_the_false_positive_list_has_no_stale_entries(engine_findings: list[Finding]):
    old = stale(on_the_site(engine_findings), false_positives())
    assert not old, ("These entries of tests/accessibility-false-positives.yml match no finding any more; "
                     "remove them:\n" + "\n".join(f"{e.engine} {e.rule} {e.element}" for e in old))


def test_each_engine_finds_the_faults_of_a_bad_page(engine_findings: list[Finding]):
    """No engine is blind, and the false-positive list does not hide real
    faults: a missing alt text, pale text, an empty link, an unlabelled box
    and invalid HTML are found by every engine that looks for them, in the
    same run of each engine that reads the published pages."""
    found = [f for f in engine_findings if f.page == BAD]
    left = failures(found, false_positives())
    assert {f.engine for f in left} == {*BROWSER_ENGINES, "vnu"}, "\n".join(map(str, found))
    rules = {f.rule for f in left}
    assert "WCAG2AA.Principle1.Guideline1_1.1_1_1.H37" in rules  # pa11y: no alt text
    assert "img_alt_valid" in rules                               # IBM: no alt text
    assert "sia-r2" in rules                                      # Alfa: no alt text

