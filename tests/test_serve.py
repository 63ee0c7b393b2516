"""`make serve`: what an editor sees while writing. Every page loads without
a failed request or an error in the browser's console."""

from __future__ import annotations

import time

import pytest

from browser import READY
from helpers import ENV, LEAFLET, ROOT

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def served():
    import bench_serve

    with bench_serve.serving(ROOT, "--no-livereload", env={**ENV, "LEAFLET_PDF": "off"}) as url:
        yield url


def test_served_pages_make_no_failed_request(browser, served: str):
    context = browser.new_context()
    failed, errors = [], []
    for page_url in ["", *(s.url for s in LEAFLET.sections[:2])]:
        page = context.new_page()
        page.on("response", lambda r: r.status >= 400 and failed.append(f"{r.status} {r.url}"))
        page.on("requestfailed", lambda r: failed.append(f"failed {r.url}"))
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.goto(served + page_url, wait_until="load")
        # leaflet.js runs after the page has loaded: once it has, what it
        # asked for has come back (nothing in flight for half a second,
        # instead of a fixed second a page).
        page.wait_for_function(f"() => {READY}")
        page.wait_for_load_state("networkidle")
        page.close()
    context.close()
    assert not failed, failed
    assert not errors, errors


def test_an_editors_mistakes_show_on_the_served_page_and_never_in_a_built_one(tmp_path, published):
    """`make serve` notes the check's findings on the page (and in the
    terminal); a built or published site never has the note."""
    from helpers import add_to_page, build, copy_project
    from leaflet_site.check.run import editor_findings, serve_notes

    project = copy_project(tmp_path / "project")
    page = LEAFLET.sections[1]
    add_to_page(project, "Ask someone to colect you.", f"docs/{page.file}")
    assert build(project, tmp_path / "site").returncode == 0
    found = editor_findings(tmp_path / "site", project)
    assert [f.file for f in found] == [f"docs/{page.file}"]
    assert serve_notes(tmp_path / "site", found) == 1
    note = (tmp_path / "site" / page.url / "index.html").read_text()
    assert '<div class="leaflet-editor-note" role="note">' in note and "&#x27;colect&#x27; is not in" in note
    for built in published.tree.rglob("*.html"):
        assert "leaflet-editor-note" not in built.read_text(encoding="utf-8"), built


def test_a_glossary_edit_while_serving_shows_on_another_page(tmp_path):
    """Nothing served is stale: a change to the glossary (a data file, not a
    page) rebuilds the pages that use the word, and a saved sentence shows
    with what the check says about its page. (How fast: make bench.)"""
    import bench_serve

    project = bench_serve.copy_project(tmp_path / "project")
    term, page = next((t, s) for t in LEAFLET.terms for s in LEAFLET.sections
                      if t.term.lower() in (project / "docs" / s.file).read_text(encoding="utf-8").lower())
    with bench_serve.serving(project) as base:
        glossary = project / "docs" / "glossary.yml"
        text = glossary.read_text(encoding="utf-8")
        glossary.write_text(text.replace(term.meaning, term.meaning + " Glossy7.", 1), encoding="utf-8")
        deadline = time.monotonic() + 60
        while "Glossy7" not in bench_serve.fetch(base + page.url):
            assert time.monotonic() < deadline, f"/{page.url} never showed the glossary's new meaning"
            time.sleep(0.1)
        # A sentence of 30 words: the page shows it, and the note for the editor about it.
        long = " ".join(["word"] * 29) + " end."
        bench_serve.save_and_wait(project / "docs" / page.file, long.replace("end.", "endq9."), base + page.url)
        shown = bench_serve.fetch(base + page.url)
        assert "leaflet-editor-note" in shown and "This sentence has 30 words" in shown
