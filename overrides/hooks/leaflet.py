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
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from leaflet_site import (contents, finish, paint, glossary, loading, material, model, offline, placeholders, preview,
                          printing, search_words, security, styles)
from leaflet_site.findings import LeafletError
from leaflet_site.model import Leaflet
from leaflet_site.html_tags import stylesheet_lines
from leaflet_site.names import GLOSSARY_PAGE, PRINT_PAGE

log = logging.getLogger("mkdocs.hooks.leaflet")


@dataclass
class Build:
    """What one build knows, made by on_config from mkdocs.yml; the page
    handlers add what they learn."""

    command: str                      # "build" or "serve" (on_startup)
    leaflet: Leaflet
    pdf: bool                         # whether this build makes the PDFs
    abbreviations: dict[str, str]     # the glossary, for the abbr extension
    parts: dict[str, str]             # each placeholder's words
    contents: jinja2.Template | None = None  # the contents list's template, loaded once a build
    gp_page: bool = False             # a page lists the QR codes (made after the build)


_command = "build"           # on_startup's: `mkdocs serve` says "serve"
_build: Build | None = None  # on_config's, for the build that follows


def _now() -> Build:
    if _build is None:
        raise RuntimeError("The leaflet hook's on_config has not run.")
    return _build


def on_startup(command: str, dirty: bool) -> None:
    global _command
    _command = command


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _build
    material.check_version(Path(config.config_file_path).parent)
    # Material's templates with the fixes the accessibility engines asked for,
    # in every environment the theme gives: the build's and print-site's.
    material.mend_theme(config.theme)
    leaflet = model.from_config(config)
    # The leaflet's words in place of its placeholders; the review dates and
    # "Approved by" only while the text is the text a clinician approved.
    _build = build = Build(_command, leaflet, printing.pdf_wanted(_command), glossary.abbreviations(leaflet.terms),
                           placeholders.page_parts(leaflet, approved=not leaflet.shown_as_draft))
    d = leaflet.details
    if build.command == "serve" or leaflet.addresses.preview:
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
    config.extra["print_page"] = PRINT_PAGE  # the templates know print-site's page by its address
    # The footer names who the leaflet is from and its version, on every page
    # and every screen size (the version list is not in a phone's header;
    # "What changed" lists every version). mkdocs.yml has no copyright line.
    config.copyright = f"{d.publisher}: patient information, version {d.version}"
    config.extra["review"] = placeholders.review_details(leaflet, leaflet.shown_as_draft, build.pdf)
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
    abbr["glossary"] = {} if page.file.src_uri == GLOSSARY_PAGE else _now().abbreviations
    if "leaflet:gp-links" in markdown:
        _now().gp_page = True  # its QR codes are made after the build
    return placeholders.fill_placeholders(markdown, source, _now().parts)


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    html = search_words.add_search_words(html, page.meta.get("search_words"), f"docs/{page.file.src_uri}")
    return printing.print_urls(html, page.url, _now().leaflet.addresses)


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    # One permanent address a page, in every version: the page under /latest/
    # (canonical link, Open Graph, JSON-LD, and the sitemap, which MkDocs
    # writes before the pages).
    pages: list[Page | None] = [f.page for f in files.documentation_pages()]
    # print-site's own page is not among the files (print-site 2.9 keeps it
    # as print_page).
    pages.append(getattr(config.plugins.get("print-site"), "print_page", None))
    for page in filter(None, pages):
        page.canonical_url = _now().leaflet.addresses.page(page.url)
    return nav


def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Navigation) -> dict[str, Any]:
    # The contents list goes in after the search has indexed the page (its
    # plugin runs first) and after print-site has copied it: only the page
    # itself shows it.
    build = _now()
    if build.contents is None:  # the theme's templates, loaded once a build
        build.contents = config.theme.get_env().get_template(contents.TEMPLATE)
    listing = contents.contents_list(build.leaflet, page.url, build.contents.render)
    if listing and page.content is not None:
        page.content = contents.after_heading(page.content, listing, f"docs/{page.file.src_uri}")
    return context


# --- after the build ----------------------------------------------------------
# Every built page is finished in one pass (leaflet_site/finish.py): read
# once, changed by the steps below in the order of POST_BUILD, written once.
# print-site writes its page in its own on_post_build, which runs before
# this one (hooks come last).


@dataclass
class Finishing:
    """What the steps after the build share."""

    config: MkDocsConfig
    build: Build
    site: Path
    pages: list[finish.BuiltPage] = field(default_factory=list)
    bundle: styles.Bundle | None = None
    pdf_labels: dict[str, str] = field(default_factory=dict)

    @property
    def print_page(self) -> finish.BuiltPage | None:
        return next((p for p in self.pages if p.print_page), None)


def qr_codes(f: Finishing) -> None:
    printing.write_qr_codes(f.build.leaflet, f.site, for_gp_page=f.build.gp_page)


def read_pages(f: Finishing) -> None:
    f.pages = finish.read_pages(f.site)


def finish_print_page(f: Finishing) -> None:
    """print-site's page: its contents list, a class for print, valid HTML."""
    if f.print_page is not None:
        f.print_page.text = printing.finish_print_page(f.print_page.text)


def drop_print_site_assets(f: Finishing) -> None:
    """print-site's stylesheets only on its page."""
    for page in f.pages:
        if not page.print_page:
            page.text = loading.drop_print_site_assets(page.text)


def bundle_styles(f: Finishing) -> None:
    """One small stylesheet instead of the theme's and ours, from every
    page's class names (so after every step that adds one), linked from
    every page. Ours for paper (print.css) goes at the end of the rest part,
    in @media print; print-site's two (the print page's) are one file linked
    for paper only, before the bundle as before. On screen the print page
    looks like the other pages (print-site's rules would set its lists and
    tables apart), and nothing but the one stylesheet holds up a first paint
    (issue 29)."""
    f.bundle = styles.bundle_styles(
        f.site, f.pages, [str(c) for c in f.config.extra_css], sorted(f.site.glob("assets/javascripts/**/*.js")),
        [f.site / str(js) for js in f.config.extra_javascript],
        # The 404 page links from the path of the address this build is
        # for (mike ends it in the version), whatever the page's address.
        urlsplit(f.config.site_url or "/").path, print_only=(*material.PRINT_SITE_STYLES, "assets/print.css"))
    for page in f.pages:
        styles.link_bundle(page, f.bundle)


def without_indentation(f: Finishing) -> None:
    """The pages that link the stylesheet without their templates' indentation
    (paint.without_indentation: about 500 bytes a page, compressed)."""
    for page in f.pages:
        if stylesheet_lines(page.text):
            page.text = paint.without_indentation(page.text)


def shrink_script(f: Finishing) -> None:
    """leaflet.js without its comments (after the stylesheet's pruning has
    read its class names)."""
    loading.shrink_script(f.site)


def security_policy(f: Finishing) -> None:
    """Each page's policy, with the hashes of its scripts: after every step
    that changes a script."""
    for page in f.pages:
        page.text = security.add_csp(page.text)


def pdfs(f: Finishing) -> None:
    """The PDFs of the print page as finished (with the site's stylesheet),
    and the picture for link previews."""
    if f.build.pdf and f.print_page is not None:
        d = f.build.leaflet.details
        with printing.printer() as browser:
            made = printing.make_pdfs(browser, f.site, f"{d.title} (version {d.version})", f.build.leaflet.pdf_names,
                                      print_page=f.print_page.text)
            printing.make_preview(browser, f.site, d.title, d.department)
        f.pdf_labels = printing.download_labels(made)


def download_labels(f: Finishing) -> None:
    """Each download link's size, once the PDFs are made."""
    if f.pdf_labels:
        for page in f.pages:
            page.text = printing.label_downloads(page.text, f.pdf_labels)


def write_pages(f: Finishing) -> None:
    finish.write_pages(f.pages)


def service_worker(f: Finishing) -> None:
    """The offline copy's list of files, from the pages as written."""
    if f.print_page is not None:
        pages = {p.relative: p.text for p in f.pages if p.path.name == "index.html"}
        offline.write_service_worker(f.site, f.build.leaflet.details.version, pages)


def preview_files(f: Finishing) -> None:
    if f.build.leaflet.addresses.preview:
        preview.finish(f.site, f.build.leaflet.addresses)


def tell_the_editor(f: Finishing) -> None:
    if f.build.command == "serve":
        _tell_the_editor(f.site, Path(f.config.config_file_path).parent)


def count_build(f: Finishing) -> None:
    """LEAFLET_COUNT_BUILDS=FILE: one line a finished build (the program, PDFs
    or not, the folder), so the tests' builds can be counted (issue 29)."""
    count = os.environ.get("LEAFLET_COUNT_BUILDS")
    if count:
        with open(count, "a", encoding="utf-8") as out:
            out.write(f"{Path(sys.argv[0]).name} pdf={'on' if f.build.pdf else 'off'} {f.site}\n")


# The steps after the build, in order. Each is named for what it does; a
# new one goes where its inputs are ready (after the steps it reads from).
POST_BUILD: list[Callable[[Finishing], None]] = [
    qr_codes,
    read_pages,               # every built page, read once
    finish_print_page,
    drop_print_site_assets,
    bundle_styles,            # reads the class names the steps above wrote
    shrink_script,
    security_policy,          # hashes the scripts: after every step that changes one
    pdfs,                     # prints the print page as finished so far
    download_labels,          # needs the PDFs
    without_indentation,      # leaves scripts as they are: their hashes hold
    write_pages,              # every changed page, written once
    service_worker,           # lists and fingerprints the pages as written
    preview_files,
    tell_the_editor,
    count_build,              # LEAFLET_COUNT_BUILDS: the tests' builds counted (issue 29)
]


def on_post_build(config: MkDocsConfig) -> None:
    finishing = Finishing(config, _now(), Path(config.site_dir))
    for step in POST_BUILD:
        step(finishing)


def _tell_the_editor(site: Path, root: Path) -> None:
    """`make serve`: after each rebuild, what `make check` would say about the
    Markdown, in the terminal and on the pages (never in a built site)."""
    from leaflet_site.check import run  # the check's code: only `make serve` needs it here

    found = run.editor_findings(site, root)
    for finding in found:
        log.info(str(finding))
    noted = run.serve_notes(site, found)
    log.info(f"Leaflet check: {len(found)} to fix" + (f", noted on {noted} page{'s' if noted != 1 else ''}." if noted else "."))
