"""Build hook: wires the leaflet package (scripts/leaflet_site, installed in
the virtual environment) into MkDocs. Each handler hands its data to the
package and returns; the work and its tests live there.

Plugins' handlers run before these (hooks come last), so print-site has
written the print page by the time on_post_build runs.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from leaflet_site import (contents, glossary, loading, material, model, offline, placeholders, preview, printing,
                          search_words, security, styles)
from leaflet_site.check import run
from leaflet_site.findings import LeafletError
from leaflet_site.model import GLOSSARY_PAGE, PRINT_PAGE, Leaflet

_state: dict = {}
log = logging.getLogger("mkdocs.hooks.leaflet")


def _leaflet() -> Leaflet:
    return _state["leaflet"]


def on_startup(command: str, dirty: bool) -> None:
    _state["command"] = command


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    material.check_version(Path(config.config_file_path).parent)
    # Material's templates with the fixes the accessibility engines asked for,
    # in every environment the theme gives: the build's and print-site's.
    material.mend_theme(config.theme)
    leaflet = model.from_config(config)
    _state.pop("contents", None)
    _state.pop("gp_page", None)
    _state["leaflet"] = leaflet
    _state["pdf"] = printing.pdf_wanted(_state.get("command", "build"))
    d = leaflet.details
    _state["abbr"] = glossary.abbreviations(leaflet.terms)
    # The leaflet's words in place of its placeholders; the review dates and
    # "Approved by" only while the text is the text a clinician approved.
    _state["parts"] = placeholders.page_parts(leaflet, approved=not leaflet.shown_as_draft)
    if _state.get("command") == "serve" or leaflet.addresses.preview:
        # `mkdocs serve` and a pull request's preview show one version: there
        # is no list of versions to load (the browser would ask for a
        # versions.json that is not there, and get a 404).
        config.extra.pop("version", None)
    if leaflet.addresses.preview:
        # A preview is built for its own address: the sitemap and the "page
        # not found" page, which MkDocs writes from site_url, use it too.
        config.site_url = leaflet.addresses.base
    # Dates in the built files (sitemap) come from the leaflet, not the clock,
    # so two builds of one commit are byte for byte the same.
    reviewed = dt.datetime.combine(d.last_reviewed, dt.time(), dt.UTC)
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(int(reviewed.timestamp())))
    config.extra["scripts"] = loading.script_plan(config.extra_javascript)
    # The footer names who the leaflet is from and its version, on every page
    # and every screen size (the version list is not in a phone's header;
    # "What changed" lists every version). mkdocs.yml has no copyright line.
    config.copyright = f"{d.publisher}: patient information, version {d.version}"
    config.extra["review"] = placeholders.review_details(leaflet, leaflet.shown_as_draft, _state["pdf"])
    return config


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    source = f"docs/{page.file.src_uri}"
    if markdown.startswith("---"):
        # MkDocs could not read the front matter, so it would print it as text.
        raise LeafletError(source, 1, "The front matter (between the --- lines at the top) is not valid YAML.",
                                   "Write each setting as 'name: value' on its own line; put text with a colon in quotes.")
    # MkDocs makes a Markdown converter for each page from these settings:
    # every page but the glossary itself gets the glossary words.
    abbr = config.mdx_configs.setdefault("abbr", {})
    abbr["glossary"] = {} if page.file.src_uri == GLOSSARY_PAGE else _state["abbr"]
    if "leaflet:gp-links" in markdown:
        _state["gp_page"] = True  # its QR codes are made after the build
    return placeholders.fill_placeholders(markdown, source, _state["parts"])


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    html = search_words.add_search_words(html, page.meta.get("search_words"), f"docs/{page.file.src_uri}")
    return printing.print_urls(html, page.url, _leaflet().addresses)


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    # One permanent address a page, in every version: the page under /latest/
    # (canonical link, Open Graph, JSON-LD, and the sitemap, which MkDocs
    # writes before the pages).
    pages = [f.page for f in files.documentation_pages() if f.page is not None]
    # print-site's own page is not among the files (print-site 2.9 keeps it
    # as print_page).
    pages.append(getattr(config.plugins.get("print-site"), "print_page", None))
    for page in filter(None, pages):
        page.canonical_url = _leaflet().addresses.page(page.url)
    return nav


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav: Navigation) -> dict:
    # The contents list goes in after the search has indexed the page (its
    # plugin runs first) and after print-site has copied it: only the page
    # itself shows it.
    if "contents" not in _state:  # the theme's templates, loaded once a build
        _state["contents"] = config.theme.get_env().get_template(contents.TEMPLATE)
    listing = contents.contents_list(_leaflet(), page.url, _state["contents"].render)
    if listing:
        page.content = contents.after_heading(page.content, listing, f"docs/{page.file.src_uri}")
    return context


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    # print-site fills the print page in later (on_post_build), from this output.
    return _finish(output, print_page=page.url == PRINT_PAGE)


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    return _finish(output_content) if template_name.endswith(".html") else output_content


def _finish(page_html: str, print_page: bool = False) -> str:
    """Every built page: print-site's files only on its page, then the
    security policy (which hashes the page's scripts)."""
    if not print_page:
        page_html = loading.drop_print_site_assets(page_html)
    return security.add_csp(page_html)


def on_post_build(config: MkDocsConfig) -> None:
    """The steps after the pages are written, in this order."""
    leaflet, site = _leaflet(), Path(config.site_dir)
    print_page = site / PRINT_PAGE / "index.html"
    printing.write_qr_codes(leaflet, site, for_gp_page=_state.get("gp_page", False))
    if print_page.exists():
        # print-site's page, finished like every other page.
        html = printing.finish_print_page(print_page.read_text(encoding="utf-8"))
        print_page.write_text(_finish(html, print_page=True), encoding="utf-8")
    # One small stylesheet instead of the theme's and ours: before the PDFs,
    # so they are printed with what the site serves, and before the offline
    # copy's list of files, which reads the pages' links.
    styles.bundle_styles(site, [str(c) for c in config.extra_css],
                         sorted(site.glob("assets/javascripts/**/*.js")),
                         [site / str(js) for js in config.extra_javascript],
                         # The 404 page links from the path of the address this build is
                         # for (mike ends it in the version), whatever the page's address.
                         urlsplit(config.site_url or "/").path, print_only=("assets/print.css",))
    # After the stylesheet's pruning has read its class names.
    loading.shrink_script(site)
    if print_page.exists():
        if _state["pdf"]:
            d = leaflet.details
            printing.make_pdfs(site, f"{d.title} (version {d.version})", leaflet.pdf_names)
            printing.make_preview(site, d.title, d.department)
        offline.write_service_worker(site, leaflet.details.version)
    if leaflet.addresses.preview:
        preview.finish(site, leaflet.addresses)
    if _state.get("command") == "serve":
        _tell_the_editor(site, Path(config.config_file_path).parent)
    _count_build(site)


def _count_build(site: Path) -> None:
    """LEAFLET_COUNT_BUILDS=FILE: one line a finished build (the program, PDFs
    or not, the folder), so the tests' builds can be counted (issue 29)."""
    count = os.environ.get("LEAFLET_COUNT_BUILDS")
    if count:
        import sys

        with open(count, "a", encoding="utf-8") as out:
            out.write(f"{Path(sys.argv[0]).name} pdf={'on' if _state['pdf'] else 'off'} {site}\n")


def _tell_the_editor(site: Path, root: Path) -> None:
    """`make serve`: after each rebuild, what `make check` would say about the
    Markdown, in the terminal and on the pages (never in a built site)."""
    found = run.editor_findings(site, root)
    for finding in found:
        log.info(str(finding))
    noted = run.serve_notes(site, found)
    log.info(f"Leaflet check: {len(found)} to fix" + (f", noted on {noted} page{'s' if noted != 1 else ''}." if noted else "."))
