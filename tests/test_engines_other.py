"""The phone checks in Firefox (Gecko) and WebKit (Safari's engine), not only
Chromium: on every published /latest/ page at phone width, no script error,
no sideways scrolling, the heading and the list of sections visible, a glossary
word shows its meaning on tap; a typed question finds its page in search, from
a page of each place the search starts from (searched_from);
and after one visit each page opens offline. One browser start an engine
(tests/other_engines.py says how each is driven). A missing engine fails
with the Debian package to install: CI installs them (.ci/run)."""

from __future__ import annotations

import contextlib
import json
import re
import time
from pathlib import Path

import pytest
import yaml

from browser import page_file, site_pages
from helpers import LEAFLET
from leaflet_site.glossary import abbreviations
from other_engines import DRIVERS, NEEDS, PHONE, EngineServer, Seen, check_offline, check_page, missing, wait_until_kept
from search_engine import SiteSearch

pytestmark = pytest.mark.browser

# One test an engine, so that each browser starts once for all its pages
# (pytest-xdist's loadgroup, which would keep two tests on one worker, does
# not work with pytest 9: it renames a test by an attribute pytest 9 no
# longer reads).
ENGINES = list(DRIVERS)
SITE_PATH = LEAFLET.addresses.path
BAD_PATH = "/bad-page/"
# A page with the two faults a phone check must see: a script error, and a
# line wider than any phone.
BAD_PAGE = ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1"><title>Bad page</title></head>'
            '<body><h1>A bad page</h1><p style="width: 900px">This line is wider than any phone.</p>'
            '<script>document.querySelector("#nothing-here").click();</script></body></html>')
# Material's settings on a page, and its search box in the header.
CONFIG = re.compile(r'<script id="__config" type="application/json">(.*?)</script>', re.S)
SEARCH_BOX = 'data-md-component="search"'
QUESTIONS = yaml.safe_load((Path(__file__).parent / "search_questions.yml").read_text(encoding="utf-8"))


@contextlib.contextmanager
def running(name: str, tree: Path, folder: Path):
    """One browser of the engine for all its checks, with its own server of
    the published tree and the bad page (so it can go offline alone)."""
    (folder / "index.html").write_text(BAD_PAGE, encoding="utf-8")
    server = EngineServer({SITE_PATH: tree, BAD_PATH: folder}, probe=name == "webkit")
    try:
        started = time.monotonic()
        driver = DRIVERS[name](server)
        driver.start_time = time.monotonic() - started
        try:
            yield driver, server
        finally:
            driver.quit()
    finally:
        server.close()


def questions(site: Path) -> list[tuple[str, str]]:
    """The patients' questions that the site's search index answers in its
    first 3 results (test_search.py holds the index to 90% of them), as
    (words, the answering page's path under the site)."""
    search = SiteSearch(site / "search" / "search_index.json")
    return [(q["q"], q["page"]) for q in QUESTIONS if q["page"] in search.pages(q["q"])[0][:3]]


def search_bases(site: Path, pages: list[str]) -> dict[str, str]:
    """The pages with a search box (the print page, for paper, has none),
    each with the address Material's search finds its files from (the `base`
    of the page's settings): "." on the leaflet's home page, ".." a folder
    down, and the site's own path on the page-not-found page (it is served at
    any address)."""
    bases = {}
    for path in pages:
        html = page_file(site, path).read_text(encoding="utf-8")
        found = CONFIG.search(html)
        if found and SEARCH_BOX in html:
            bases[path] = json.loads(found.group(1))["base"]
    return bases


def searched_from(bases: dict[str, str]) -> list[str]:
    """The first page of each base: a question is typed there. The pages of
    one base share the header and the script. Each search loads Material's
    script and search worker afresh: in Firefox and WebKit a search from
    every page was 13-14 of each engine's 20-33 processor-seconds."""
    first: dict[str, str] = {}
    for path, base in bases.items():
        first.setdefault(base, path)
    return list(first.values())


def bad_page_problems(driver, server: EngineServer) -> tuple[list[str], list[str]]:
    """What the checks say about the bad page: the two faults it was made
    with (fails when either goes unseen), and anything else."""
    problems = check_page(driver, server.url + BAD_PATH, Seen())
    where = f"{driver.name}: {BAD_PATH}"
    error = [p for p in problems if p.startswith(f"{where}: script error: ")]
    sideways = [p for p in problems if p.startswith(f"{where}: the page scrolls sideways by ")]
    assert error and sideways, f"The checks in {driver.name} missed a fault of the bad page; they said: {problems}"
    return error + sideways, [p for p in problems if p not in error + sideways]


@pytest.mark.slow
@pytest.mark.parametrize("name", ENGINES)
def test_every_page_works_on_a_phone(name: str, published, site: Path, tmp_path: Path, capsys):
    """First the checks are shown to fail, in this engine, on a page that
    throws a script error and scrolls sideways; then every page of /latest/.
    A missing engine fails (CI installs it), with the package to install."""
    problem = missing(name)
    if problem:
        pytest.fail(problem, pytrace=False)
    with running(name, published.tree, tmp_path) as (driver, server):
        check_every_page(driver, server, site, capsys)


def check_every_page(driver, server: EngineServer, site: Path, capsys) -> None:
    """The bad page, then every page of /latest/ online, then offline."""
    caught, others = bad_page_problems(driver, server)
    assert others == []  # it has a heading, and nothing else is asked of it
    base = server.url + SITE_PATH + LEAFLET.addresses.latest[len(LEAFLET.addresses.base):]
    pages = site_pages(site)
    asked = questions(site)
    meanings = abbreviations(LEAFLET.terms)
    sections = {s.url for s in LEAFLET.sections}
    bases = search_bases(site, pages)
    searched = searched_from(bases)
    started = time.monotonic()
    seen, problems = Seen(), []
    for path in pages:
        words, answer = asked[seen.searches % len(asked)]
        problems += check_page(driver, base + path, seen, meanings=meanings, contents=path in sections,
                               question=(words, base + answer) if path in searched else None, search=path in bases)
    problems += wait_until_kept(driver, base + pages[0])
    server.offline = True
    try:
        for path in [p for p in pages if p != "404.html"]:  # a page not found is not a page one saves
            problems += check_offline(driver, base + path, seen)
    finally:
        server.offline = False
    took = time.monotonic() - started
    with capsys.disabled():
        print(f"\n{driver.name} ({driver.version}): {seen.pages} pages at {sorted(seen.widths)} px"
              + (f" (a frame; the window itself is {driver.window_width} px)"
                 if hasattr(driver, "window_width") else "")
              + f", {seen.searches} searches, {seen.taps} glossary taps, {seen.offline} pages offline, {took:.1f} s"
              + f" (and {driver.start_time:.1f} s to start the browser)."
              + "\nOn the bad page: " + "; ".join(caught))
    assert not problems, "\n".join(problems)
    # Every check ran: a page each, a search from each place (three: the
    # home page, a page a folder down, the page-not-found page), a word tapped
    # on every page that explains one, every page offline.
    with_words = [p for p in pages if "<abbr" in page_file(site, p).read_text(encoding="utf-8")]
    assert len(searched) == 3, searched
    assert ((seen.pages, seen.searches, seen.taps, seen.offline)
            == (len(pages), len(searched), len(with_words), len(pages) - 1))
    assert seen.widths == {PHONE[0]}


def test_a_missing_engine_fails_with_the_package_to_install():
    for engine, needs in NEEDS.items():
        for program, package in needs:
            message = missing(engine, which=lambda name, absent=program: None if name == absent else name)
            assert message and "\n" not in message
            assert message.endswith(f"Fix: apt-get install {package} (or bash .ci/run).")
    assert missing("firefox", which=lambda name: name) is None
