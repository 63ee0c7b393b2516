"""The built pages are finished in one pass: each page read once and written
once, by steps that run in the order the hook lists them; and each step's
change, made on the tags it finds, leaves every other byte alone."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

from helpers import ENV, LEAFLET, ROOT, once_a_run
from leaflet_site import (contents, html_tags, loading, printing, release, search_words, security, styles,
                          urls)
from leaflet_site.names import PRINT_PAGE_FILE

# A build in a process of its own, with the file reads and writes of built
# pages counted and the hook's steps recorded as they run.
COUNTED_BUILD = """
import collections, json, pathlib, sys
from mkdocs.commands.build import build
from mkdocs.config import load_config

site = pathlib.Path(sys.argv[2])
reads, writes, ran = collections.Counter(), collections.Counter(), []
read_text, write_text = pathlib.Path.read_text, pathlib.Path.write_text

def counted_read(self, *args, **kwargs):
    if self.suffix == ".html" and site in self.parents:
        reads[self.relative_to(site).as_posix()] += 1
    return read_text(self, *args, **kwargs)

def counted_write(self, *args, **kwargs):
    if self.suffix == ".html" and site in self.parents:
        writes[self.relative_to(site).as_posix()] += 1
    return write_text(self, *args, **kwargs)

pathlib.Path.read_text, pathlib.Path.write_text = counted_read, counted_write
config = load_config(sys.argv[1], site_dir=str(site), strict=True)
hook = next(p for name, p in config.plugins.items() if name.endswith("hooks/leaflet.py"))

def recorded(step):
    def run(finishing):
        ran.append(step.__name__)
        step(finishing)
    return run

listed = [step.__name__ for step in hook.POST_BUILD]
hook.POST_BUILD[:] = [recorded(step) for step in hook.POST_BUILD]
build(config)
pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
print(json.dumps({"reads": reads, "writes": writes, "ran": ran, "listed": listed, "pages": pages}))
"""


@pytest.fixture(scope="module")
def counted(tmp_path_factory) -> dict:
    def make(folder: Path) -> dict:
        site = folder / "site"
        done = subprocess.run([sys.executable, "-c", COUNTED_BUILD, str(ROOT / "mkdocs.yml"), str(site)],
                              capture_output=True, text=True, env={**ENV, "LEAFLET_PDF": "off"}, cwd=ROOT)
        assert done.returncode == 0, done.stderr[-3000:]
        return {**json.loads(done.stdout.splitlines()[-1]), "site": str(site)}

    found = once_a_run(tmp_path_factory, "counted", make)  # once a test run, whichever worker asks first
    return {**found, "site": Path(found["site"])}


def test_every_page_is_read_once_and_written_once(counted: dict):
    assert counted["pages"] and PRINT_PAGE_FILE in counted["pages"] and "404.html" in counted["pages"]
    assert counted["reads"] == {page: 1 for page in counted["pages"]}
    assert counted["writes"] == {page: 1 for page in counted["pages"]}


def test_the_steps_after_the_build_run_in_the_order_listed(counted: dict):
    listed, ran = counted["listed"], counted["ran"]
    assert ran == listed
    at = {name: listed.index(name) for name in listed}
    # What each step needs is ready before it runs:
    assert at["read_pages"] < at["finish_print_page"] < at["bundle_styles"]  # the class names it adds
    assert at["drop_print_site_assets"] < at["bundle_styles"]
    assert at["bundle_styles"] < at["security_policy"] < at["pdfs"] < at["download_labels"] < at["write_pages"]
    assert at["write_pages"] < at["service_worker"]  # it fingerprints the pages as written


def test_every_built_page_allows_exactly_its_own_scripts(counted: dict):
    """The policy was worked out after the last change to a script."""
    for page in counted["pages"]:
        text = (counted["site"] / page).read_text(encoding="utf-8")
        assert text.count('http-equiv="Content-Security-Policy"') == 1, page
        assert security.renew_csp(text) == text, f"{page}: its security policy does not match its scripts"


# --- finding tags --------------------------------------------------------------

def test_a_tag_is_read_by_a_parser_even_with_a_bracket_in_a_value():
    text = '<p><a title="a > b" href="x">link</a></p>'
    tag = html_tags.first_tag(text, "a")
    assert tag is not None and tag.get("href") == "x" and text[tag.end:].startswith("link")
    assert html_tags.first_tag("<abbr>x</abbr>", "a") is None  # a longer name is another tag


def test_overlapping_changes_are_refused():
    assert html_tags.splice("abcdef", [(4, 5, "E"), (0, 1, "A")]) == "AbcdEf"
    with pytest.raises(ValueError):
        html_tags.splice("abcdef", [(0, 3, ""), (2, 4, "")])


# --- the steps, each on a small page ---------------------------------------------

PAGE = """<!doctype html>
<html lang="en-GB">
  <head>
    <link rel="stylesheet" href="../assets/stylesheets/main.css">
    <link rel="stylesheet" href="../css/print-site.css">
    <script>var a = "/site/1.0/";</script>
    <script id="__config" type="application/json">{"base": "/site/1.0/", "search": "w.js"}</script>
  </head>
  <body class="x">
    <a href="/site/1.0/about/">About</a> <span data-leaflet-pdf="standard">PDF</span>
    <script src="a.js"></script>
  </body>
</html>
"""


def test_the_security_policy_hashes_inline_code_only():
    page = security.add_csp(PAGE)
    assert page.count("sha256-") == 1 and page.index("Content-Security-Policy") < page.index("<link")
    assert security.add_csp(page) == page  # a page built before keeps one policy
    changed = page.replace("var a", "var b")
    assert security.renew_csp(changed) != changed  # a script changed after its policy was worked out
    with pytest.raises(PluginError, match="has no <head>"):
        security.add_csp("<p>No head</p>")


def test_print_site_stylesheets_are_taken_off_with_their_line():
    assert loading.drop_print_site_assets(PAGE) == PAGE.replace('    <link rel="stylesheet" href="../css/print-site.css">\n', "")


def test_the_latest_404_page_loads_latest_files_and_allows_its_changed_scripts():
    page = release.addresses_to(security.add_csp(PAGE), "/site/1.0/", "/site/latest/")
    assert "/site/1.0/" not in page and page.count("/site/latest/") == 3
    assert security.renew_csp(page) == page  # its policy hashes the changed script


def test_download_labels_fill_in_only_the_placeholder():
    labelled = printing.label_downloads(PAGE, {"standard": "PDF, 8 pages, 160 KB"})
    assert labelled == PAGE.replace(">PDF</span>", ">PDF, 8 pages, 160 KB</span>")
    assert printing.label_downloads(labelled, {"standard": "PDF, 9 pages, 170 KB"}) == labelled


def test_links_to_pages_get_their_short_address_for_paper():
    html = '<p><a href="../after/#pain">After</a> <a href="#top">Top</a> <a href="../assets/a.pdf">PDF</a></p>'
    out = printing.print_urls(html, "risks/", LEAFLET.addresses)
    assert out.count("data-print-url=") == 1
    assert f'<a href="../after/#pain" data-print-url="{LEAFLET.addresses.short(LEAFLET.addresses.page("after/"))}">' in out


def test_what_a_page_loads_is_read_from_its_tags():
    page = PAGE + '<details><summary>S</summary><img src="p.jpg" loading="lazy"></details><img src="q.jpg">'
    loads = {(load.url, load.when) for load in urls.page_loads(page)}
    assert loads == {("../assets/stylesheets/main.css", "now"), ("../css/print-site.css", "now"), ("a.js", "now"),
                     ("p.jpg", "tap"), ("q.jpg", "now"), ("w.js", "later")}


def test_the_stylesheet_pruning_reads_class_names_tags_and_inline_code():
    facts = styles.page_facts(PAGE)
    assert facts.values == {"x", "__config"} and {"a", "span", "body"} <= facts.tags
    assert facts.inline == {'var a = "/site/1.0/";'}


PRINT_PAGE = """<html><head><title>t</title></head><body dir="ltr">
<section id="print-site-cover-page"><h1>Cover</h1></section>
<div><label class="md-nav__title" for="__toc">Contents</label></div>
<section class="print-page" id="risks" heading-number="2">
<h1 id="risks-risks">Risks &amp; <em>side</em> effects</h1><a href="#risks">Risks</a></section>
</div><style>.print-site-enumerate-headings h1:before{content:""}</style>
</body></html>"""


def test_the_print_page_gets_its_contents_and_valid_html():
    out = printing.finish_print_page(PRINT_PAGE)
    assert '</section><nav class="leaflet-toc"' in out
    assert '<li><a href="#risks-risks">Risks &amp; side effects</a></li>' in out
    assert '<body class="leaflet-print" dir="ltr">' in out and ' data-heading-number="2"' in out
    assert '<a href="#risks-risks">Risks</a>' in out
    assert '<div class="md-nav__title">Contents</div>' in out
    # No heading is numbered (print-site's enumerate_headings is off): its
    # numbering rules style nothing, and go.
    assert "print-site-enumerate-headings" not in out
    assert printing.finish_print_page(out) == out
    numbered = printing.finish_print_page(PRINT_PAGE.replace('<div><label', '<div class="print-site-enumerate-headings"><label'))
    assert numbered.index("<style>.print-site") < numbered.index("</head>") and "</div><style>" not in numbered
    with pytest.raises(PluginError, match="The print page has no cover"):
        printing.finish_print_page(PRINT_PAGE.replace("print-site-cover-page", "elsewhere"))


def test_search_words_and_contents_go_after_their_heading():
    html = '<h1 id="a">A</h1><p>x</p><h2 id="b" class="c">B</h2>'
    out = search_words.add_search_words(html, {"page": "one", "b": ["two", "three"]}, "docs/x.md")
    assert out == ('<h1 id="a">A</h1><div class="leaflet-search-words" hidden>one</div><p>x</p>'
                   '<h2 id="b" class="c">B</h2><div class="leaflet-search-words" hidden>two, three</div>')
    assert contents.after_heading(html, "<nav></nav>", "docs/x.md").startswith('<h1 id="a">A</h1>\n<nav></nav><p>')
    with pytest.raises(PluginError, match="does not start with a main heading"):
        contents.after_heading("<p>x</p>", "<nav></nav>", "docs/x.md")


@pytest.mark.parametrize("url, base", [("risks/", "risks/"), ("risks/", "about/"), ("a/b/", "a/c/"),
                                       ("a/b/c/", "a/"), ("a/", "a/b/c/"), ("about/", "")])
def test_a_contents_link_is_what_relpath_gives(url: str, base: str):
    import posixpath

    assert contents.relative(url, base) == posixpath.relpath(url, base or ".")


def test_stylesheet_links_are_only_the_theme_s_plain_lines():
    found = [href for _, href, _ in html_tags.stylesheet_lines(PAGE + '<p><link rel="stylesheet" href="inline.css"></p>')]
    assert found == ["../assets/stylesheets/main.css", "../css/print-site.css"]


def test_the_print_page_is_known_by_its_path(tmp_path: Path):
    from leaflet_site import finish

    (tmp_path / PRINT_PAGE_FILE).parent.mkdir(parents=True)
    (tmp_path / PRINT_PAGE_FILE).write_text("<html></html>")
    (tmp_path / "index.html").write_text("<html></html>")
    pages = finish.read_pages(tmp_path)
    assert [(p.relative, p.print_page) for p in pages] == [("index.html", False), (PRINT_PAGE_FILE, True)]
    pages[0].text += "\n"
    assert finish.write_pages(pages) == 1


def test_pages_without_the_theme_s_stylesheets_stop_the_bundle_with_a_fix(tmp_path: Path):
    from leaflet_site import finish

    (tmp_path / "index.html").write_text('<html><head>\n<link rel="stylesheet" href="other.css">\n</head></html>')
    with pytest.raises(PluginError, match=r"do not link the expected stylesheets \(other\.css\).*Fix: Update THEME"):
        styles.bundle_styles(tmp_path, finish.read_pages(tmp_path), [], [], [])
    (tmp_path / "index.html").write_text("<html><head></head></html>")
    with pytest.raises(PluginError, match="No built page links a stylesheet"):
        styles.bundle_styles(tmp_path, finish.read_pages(tmp_path), [], [], [])
