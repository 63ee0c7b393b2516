"""Everything this site relies on inside Material for MkDocs (and print-site)
that is not a documented setting, for the version it was written for: its
files and the template texts mended here; the names our script, styles,
templates and package use, in material_contract.py. A build with another
version of Material, or one without a listed name, stops with a message that
says what to check (CONTRIBUTING.md, "When Material changes").

Material 9.8.1 is in maintenance mode and reaches its end of life on
5 May 2027; `make check-properdocs` keeps the build green on ProperDocs.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket
from mkdocs.theme import Theme

from . import material_contract
from .findings import LeafletError
from .names import CONFIG_FILE, PRINT_PAGE_DIR

WRITTEN_FOR = "9.8.1"
# The theme's own files, named in its base.html (the scripts and styles blocks).
BUNDLE = "assets/javascripts/bundle.a5f9d56c.min.js"
STYLESHEETS = ("assets/stylesheets/main.", "assets/stylesheets/palette.")
# Parts of Material this site does not switch on (mkdocs.yml): Material's
# script names them, but it never draws them here (styles.py prunes them).
UNUSED_FEATURES = ("md-annotation", "md-tooltip", "md-tag", "tabbed-", "md-code__", "md-clipboard",
                   "md-source", "md-consent", "md-progress", "md-top", "highlight")
# Every class, id, attribute, variable, breakpoint, event, template and block
# of Material's that our files use is listed, with where Material has it, in
# material_contract.py, and checked at every build.
# print-site 2.9 keeps its page as `print_page` and puts its files in these.
PRINT_SITE_PAGE = PRINT_PAGE_DIR
PRINT_SITE_FILES = ("css/print-site.css", "css/print-site-material.css", "js/print-site.js")
PRINT_SITE_STYLES = tuple(f for f in PRINT_SITE_FILES if f.endswith(".css"))


def material_templates() -> Path:
    """The installed Material's templates folder (its assets are in it)."""
    import material as material_package  # Material for MkDocs itself

    return Path(material_package.__file__).parent / "templates"


def print_site_folder() -> Path:
    """The installed print-site's package folder (its code, styles and script)."""
    spec = importlib.util.find_spec("mkdocs_print_site_plugin")
    if spec is None or spec.origin is None:
        raise LeafletError(CONFIG_FILE, None, "print-site (mkdocs-print-site-plugin) is not installed.",
                           "Install the pinned packages: make serve sets them up.")
    return Path(spec.origin).parent


# The project this package is installed from (editable, by make's set-up).
PROJECT = Path(__file__).resolve().parents[2]


def check_version(root: Path = PROJECT) -> None:
    """Stop the build when the installed Material lacks a name that our
    files in the project `root` use (material_contract.py: checked first, as
    it says what moved and where we use it), or is not the version this site
    was written for, or lacks the files named above."""
    installed = metadata.version("mkdocs-material")
    theme = material_templates()
    both = f"Material for MkDocs {installed} with print-site {metadata.version('mkdocs-print-site-plugin')}"
    material_contract.check(theme, print_site_folder(), both, root)
    if installed != WRITTEN_FOR or not (theme / BUNDLE).is_file():
        raise LeafletError(
            "scripts/leaflet_site/material.py", None,
            f"This site was written for Material for MkDocs {WRITTEN_FOR}, and {installed} is installed.",
            "Install the pinned packages (make serve sets them up), or follow 'When Material changes' in "
            "CONTRIBUTING.md and update this file.")


# --- Material's templates, mended where no block reaches -----------------------
# Each fix names the fault an engine found (issues 18 and 19). A fix whose
# text is not found once and only once stops the build: Material has changed,
# so look again (CONTRIBUTING.md, "When Material changes").
TEMPLATE_FIXES: dict[str, list[tuple[str, str]]] = {
    # vnu: `autocomplete` is not allowed on a checkbox. Material sets it so
    # that Firefox does not restore an open menu or search on Back;
    # leaflet.js closes both when a page comes back from the cache instead.
    "base.html": [
        ('id="__drawer" autocomplete="off">', 'id="__drawer">'),
        # pa11y (WCAG 4.1.2, H91): the search's checkbox is named by the
        # header's search button; the print page has no header (main.html),
        # so no search and no checkbox either.
        ('<input class="md-toggle" data-md-toggle="search" type="checkbox" id="__search" autocomplete="off">',
         '{% if not (page and page.url == config.extra.print_page) %}'
         '<input class="md-toggle" data-md-toggle="search" type="checkbox" id="__search">{% endif %}'),
        # IBM and issue 19: a page with no table of contents (the 404 page)
        # had no skip link. It skips to the page's heading (overrides/404.html).
        ('          {{ lang.t("action.skip") }}\n        </a>\n      {% endif %}',
         '          {{ lang.t("action.skip") }}\n        </a>\n      {% else %}\n'
         '        <a href="#leaflet-content" class="md-skip">{{ lang.t("action.skip") }}</a>\n      {% endif %}'),
        # IBM: a second complementary landmark with no name. The old-version
        # banner's box is named for what it is.
        ('<aside class="md-banner md-banner--warning">',
         '<aside class="md-banner md-banner--warning" aria-label="Old version">'),
        # The phone checks in Firefox and WebKit (issue 24): on the "page not
        # found" page the search threw "File not found" twice and found
        # nothing. MkDocs gives that page an address from the site's root
        # with no slash at its end (/nerve-root-injection/1.0), so Material
        # looked for /nerve-root-injection/search/search_index.json. With the
        # slash it finds the version's index (and release.py's rewrite of
        # /VERSION/ to /latest/ then covers it too).
        ('"base": base_url,',
         '"base": base_url ~ "/" if base_url.startswith("/") and not base_url.endswith("/") else base_url,'),
    ],
    # pa11y (WCAG 3.2.2, H32.2): a form with no submit button; IBM: radios
    # not grouped. The colour choice is not a form to submit: a named group
    # of two radio buttons (the script in main.html listens to it as before).
    "partials/palette.html": [
        ('<form class="md-header__option" data-md-component="palette">',
         '<div class="md-header__option" data-md-component="palette" role="radiogroup" aria-label="Colours">'),
        ("</form>", "</div>"),
        # A radio is named for what it is, not for what pressing it does: a
        # screen reader said "Switch to dark mode, radio button, checked" in
        # light mode. Now: "Colours: Light colours, checked, 1 of 2". The
        # icon keeps its "Switch to ..." tooltip.
        ('{% if option.toggle %} aria-label="{{ option.toggle.name }}"',
         "{% if option.toggle %} aria-label=\"{{ 'Dark colours' if scheme == 'slate' else 'Light colours' }}\""),
    ],
    # pa11y (H32.2): the search form had no submit button. It gets one, shown
    # at all times and reachable by keyboard; leaflet.js moves to the first
    # result when it is pressed.
    "partials/search.html": [
        ('<nav class="md-search__options" aria-label="{{ lang.t(\'search\') }}">',
         '<nav class="md-search__options" aria-label="{{ lang.t(\'search\') }}">\n'
         '        <button type="submit" class="md-search__icon md-icon leaflet-search-go" aria-label="Show results"'
         ' title="Show results">{% include ".icons/material/magnify.svg" %}</button>'),
    ],
    # pa11y (WCAG 4.1.2, H91) and vnu: on a page with no headings below its
    # title (the glossary) the table-of-contents checkbox was written with no
    # label. It is written only when its label is.
    "partials/nav-item.html": [
        ('      <input class="md-nav__toggle md-toggle" type="checkbox" id="__toc">\n'
         '      {% set first = toc | first %}\n'
         '      {% if first and first.level == 1 %}\n'
         '        {% set toc = first.children %}\n'
         '      {% endif %}\n'
         '      {% if toc %}\n',
         '      {% set first = toc | first %}\n'
         '      {% if first and first.level == 1 %}\n'
         '        {% set toc = first.children %}\n'
         '      {% endif %}\n'
         '      {% if toc %}\n'
         '        <input class="md-nav__toggle md-toggle" type="checkbox" id="__toc">\n'),
    ],
}


def mend_template(name: str, source: str) -> str:
    """A template of Material's, with the fixes above. Every icon is
    decorative here (each sits in a control that has its own name), so it is
    hidden from screen readers (IBM: svg without a name)."""
    for old, new in TEMPLATE_FIXES.get(name, []):
        if source.count(old) != 1:
            raise LeafletError(
                "scripts/leaflet_site/material.py", None,
                f"Material's template {name} has changed: a fix in TEMPLATE_FIXES no longer fits it.",
                "Follow 'When Material changes' in CONTRIBUTING.md and update TEMPLATE_FIXES.")
        source = source.replace(old, new)
    if name.startswith(".icons/") and name.endswith(".svg"):
        source = source.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)
    return source


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept in memory between the rebuilds of `make serve`
    (compiling Material's templates again took about 1 s of each rebuild).
    Jinja files each one under its name and the checksum of its source, so
    a changed template is compiled again."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


COMPILED = _CompiledTemplates()
_FoldersKey = tuple[tuple[str, ...], tuple[int, ...]]
_LISTED: dict[_FoldersKey, list[str]] = {}  # the theme's template names, by folders and their times


def _folders_key(loader: jinja2.BaseLoader) -> _FoldersKey | None:
    """The loader's folders and the times their contents last changed, or None
    when the loader is not one of folders (then nothing is remembered)."""
    loaders = getattr(loader, "loaders", [loader])
    paths = [p for one in loaders for p in (getattr(one, "searchpath", None) or [None])]
    if None in paths:
        return None
    times: list[int] = []
    for path in paths:
        for folder, _dirs, _files in os.walk(path):
            times.append(os.stat(folder).st_mtime_ns)
    return tuple(str(p) for p in paths), tuple(times)


class MendedTemplates(jinja2.BaseLoader):
    """The theme's template loader, giving Material's templates with the
    fixes above (the templates change, not the pages they make)."""

    def __init__(self, loader: jinja2.BaseLoader):
        self.loader = loader

    def get_source(self, environment: jinja2.Environment,
                   template: str) -> tuple[str, str | None, Callable[[], bool] | None]:
        source, filename, uptodate = self.loader.get_source(environment, template)
        return mend_template(template, source), filename, uptodate

    def list_templates(self) -> list[str]:
        key = _folders_key(self.loader)
        if key is None:
            return self.loader.list_templates()
        if key not in _LISTED:  # a file added or removed changes its folder's time
            _LISTED.clear()
            _LISTED[key] = self.loader.list_templates()
        return list(_LISTED[key])


_UNMENDED = "_leaflet_unmended_get_env"  # the theme's own get_env, kept on the theme


def mend_theme(theme: Theme) -> None:
    """Every Jinja environment this theme makes loads mended templates
    (mended once, however many builds `make serve` runs with one theme)."""
    make_env: Callable[[], jinja2.Environment] = getattr(theme, _UNMENDED, theme.get_env)
    setattr(theme, _UNMENDED, make_env)

    def get_env() -> jinja2.Environment:
        env = make_env()
        if env.loader is not None:
            env.loader = MendedTemplates(env.loader)
        env.bytecode_cache = COMPILED
        return env

    theme.get_env = get_env  # type: ignore[method-assign]  # each environment it makes loads mended templates
