"""Every name of Material for MkDocs that our script, styles, templates and
package rely on, and where Material has it: its classes, ids, data
attributes, CSS variables, breakpoints, script globals and storage keys,
events, template files and blocks; and the names of print-site's page.
Material's documented settings are not here (mkdocs.yml); the template texts
material.py mends are checked there (TEMPLATE_FIXES).

Every build checks each name against the installed Material (its templates,
its script assets/javascripts/bundle.*.min.js and its stylesheets) and
print-site, so an update that renames one stops the build, naming it and the
line of ours that uses it (material.check_version, from the hook's
on_config). tests/test_material.py checks that every
name our files use is listed here, read from the files themselves: a new use
with no entry fails there, with the entry to add.

Each name is listed under the places Material 9.8.1 has it; a name that
leaves any of them is reported, since what our file needs from it may have
gone with it.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .findings import LeafletError

# Where in Material a name is.
TEMPLATES = "templates"            # the words of its templates (the HTML it writes)
SCRIPT = "script"                  # its script, assets/javascripts/bundle.*.min.js
STYLESHEET = "stylesheet"          # its stylesheets, assets/stylesheets/*.min.css
FILES = "template files"           # its templates' names (ours replace, extend or include them)
BLOCKS = "template blocks"         # the blocks of its templates (ours fill them)
PRINT_SITE = "print-site"          # mkdocs-print-site-plugin's files: the print page it writes, its styles
SAID = {TEMPLATES: "Material's templates", SCRIPT: "Material's script (assets/javascripts/bundle.*.min.js)",
        STYLESHEET: "Material's stylesheets", FILES: "Material's templates",
        BLOCKS: "the blocks of Material's templates", PRINT_SITE: "print-site's files"}


@dataclass(frozen=True)
class Relied:
    """A name of Material's that a file of ours uses, and where Material has it."""

    name: str                  # as our files write it
    where: tuple[str, ...]     # the places (above) Material has it
    probe: str = ""            # the text Material has, when the name is not one of its words


def _each(where: tuple[str, ...], *names: str) -> tuple[Relied, ...]:
    return tuple(Relied(name, where) for name in names)


T_S = (TEMPLATES, STYLESHEET)
T_J = (TEMPLATES, SCRIPT)
T_J_S = (TEMPLATES, SCRIPT, STYLESHEET)
J_S = (SCRIPT, STYLESHEET)

RELIED_ON: tuple[Relied, ...] = (
    # Parts of Material's pages that our styles restyle or hide (leaflet.css,
    # print.css), our script finds (leaflet.js) and the build reads (check/,
    # printing.py): written by its templates, styled by its stylesheets.
    *_each(T_S, "md-button", "md-container", "md-content__inner", "md-feedback", "md-footer", "md-footer__link",
           "md-footer__title", "md-header", "md-header__button", "md-header__ellipsis", "md-header__option",
           "md-header__title", "md-logo", "md-main", "md-main__inner", "md-nav__title", "md-option", "md-search",
           "md-search-result__meta", "md-search__inner", "md-search__input", "md-search__options",
           "md-search__output", "md-sidebar", "md-sidebar--primary", "md-skip", "md-source-file", "md-tabs",
           "md-top"),
    # (md-tag: styles.py keeps the rules of the classes Material's script
    # makes from it, md-tag-- and a name.)
    *_each(T_J_S, "md-content", "md-ellipsis", "md-header__topic", "md-tag", "md-typeset"),
    # Drawn by Material's script, styled by its stylesheet. leaflet.js draws
    # the version list itself with these classes, so that Material styles it.
    *_each(J_S, "md-header__title--active", "md-search-result__link", "md-typeset__scrollwrap", "md-typeset__table",
           "md-version", "md-version__alias", "md-version__current", "md-version__item", "md-version__link",
           "md-version__list"),
    # The colours leaflet.css sets and reads (its stylesheets define them).
    *_each((STYLESHEET,), "--md-accent-fg-color", "--md-default-bg-color", "--md-default-fg-color",
           "--md-default-fg-color--light", "--md-default-fg-color--lighter", "--md-default-fg-color--lightest",
           "--md-footer-bg-color", "--md-footer-bg-color--dark", "--md-footer-fg-color--light",
           "--md-footer-fg-color--lighter", "--md-primary-bg-color", "--md-primary-fg-color",
           "--md-primary-fg-color--dark", "--md-primary-fg-color--light", "--md-scroll-margin", "--md-shadow-z2",
           "--md-typeset-a-color"),
    # Material's breakpoints, which leaflet.css repeats so that its rules
    # change where Material's layout does (the menu folds away below 76.25em,
    # the search below 60em).
    *_each((STYLESHEET,), "(min-width: 60em)", "(max-width: 59.984375em)", "(min-width: 76.25em)",
           "(max-width: 76.234375em)", "(min-width: 45em)"),
    # Data attributes, and the values our selectors test.
    *_each(T_J, "data-md-component", "data-md-component=outdated", "data-md-color-"),
    *_each((TEMPLATES,), "data-md-component=palette"),
    *_each(T_J_S, "data-md-toggle", "data-md-toggle=drawer", "data-md-toggle=search", "data-md-color-scheme",
           "data-md-color-primary", "data-md-color-accent"),
    *_each(T_S, "data-md-color-scheme=default"),
    *_each((STYLESHEET,), "data-md-color-scheme=slate"),
    # Ids: the menu's and the search's checkboxes, the table of contents'
    # checkbox, and the page's settings (__config, which leaflet.js reads and
    # edits before it starts Material's script).
    *_each(T_S, "__drawer", "__toc"),
    *_each(T_J_S, "__search"),
    *_each(T_J, "__config"),
    # The settings in __config that leaflet.js reads (config.base, config.version).
    Relied("__config.base", (TEMPLATES,), probe='"base":'),
    Relied("__config.version", (TEMPLATES,), probe='"version":'),
    # Script globals from base.html (storage helpers), and the keys Material
    # keeps in storage that our scripts share with it.
    *_each(T_J, "__md_get", "__md_set", "__palette", "__outdated"),
    # Events: leaflet.js starts Material's script late by firing
    # DOMContentLoaded again (its document$ waits for it), and opens and
    # closes the menu and search by their checkboxes' change event.
    *_each((SCRIPT,), "DOMContentLoaded", "change"),
    # A search result opens its page with ?h=words, which Material's script
    # highlights (leaflet.js loads it then).
    Relied("?h=", (SCRIPT,), probe='searchParams.get("h")'),
    # Templates: ours extend base.html, replace main.html, 404.html and the
    # old-version script, and give the language en-GB (mkdocs.yml) its words
    # through Material's language files.
    *_each((FILES,), "base.html", "main.html", "404.html", "partials/javascripts/outdated.html",
           # Emptied: the script before the header does the palette's job (main.html, issue 29).
           "partials/javascripts/palette.html",
           # Only with content tabs, which the leaflet does not use (issue 29).
           "partials/javascripts/content.html"),
    # What a phone shows folded away at first (the menu's and the search's
    # insides), whose rules paint.py moves out of the first paint; and the
    # width from which the rest of the stylesheet is linked (just above
    # Material's widest phone layout, 44.984375em).
    *_each(T_S, "md-nav", "md-search-result", "md-search__form", "md-search__icon", "md-search__scrollwrap",
           "md-search__suggest", "md-sidebar__inner"),
    *_each(T_J_S, "md-sidebar__scrollwrap"),
    Relied("partials/languages/en-GB.html", (TEMPLATES,), probe='"partials/languages/" ~ config.theme.language'),
    *_each((BLOCKS,), "content", "extrahead", "header", "htmltitle", "outdated", "scripts", "site_nav", "footer"),
    # print-site's page: its cover and sections (print.css lays them out for
    # paper), and the heading numbers printing.py makes valid HTML of.
    *_each((PRINT_SITE,), "print-site-cover-page", "print-site-page", "print-page", "print-site-enumerate-headings",
           "heading-number"),
)

# Names our files use that look like Material's but are ours, each with why.
OURS: dict[str, str] = {
    "__versions": "leaflet.js's list of published versions, kept with Material's own storage helpers",
    "partials/leaflet-contents.html": "the sections list (contents.py)",
    "partials/leaflet-draft.html": "the draft notice",
    "print-cover.html": "print-site's cover page (mkdocs.yml: cover_page_template)",
    "mike-redirect.html": "mike's page that opens /latest/ (names.MIKE_REDIRECT_TEMPLATE)",
}

# --- where our files use them ------------------------------------------------

# Our files that use Material's names. material.py names Material's parts
# for its own checks (TEMPLATE_FIXES, UNUSED_FEATURES), and this file lists them.
USERS = ("docs/assets/*.js", "docs/assets/*.css", "overrides/**/*.html", "scripts/leaflet_site/**/*.py")
NOT_USERS = {"scripts/leaflet_site/material.py", "scripts/leaflet_site/material_contract.py"}

_CLASSLIKE = re.compile(r"(?<![\w-])(?:--md-[\w-]*\w|data-md-[\w-]*|md-[\w-]*\w)")
_PRINT_SITE = re.compile(r"(?<![\w-])(?:print-site-[\w-]*\w|print-page|heading-number)(?![\w-])")
_ATTRIBUTE_VALUE = re.compile(r"""(data-md-[\w-]+)=["']?([\w-]+)""")  # no look-behind: 30 times quicker
_WIDTH = re.compile(r"\((min|max)-width:\s*([\d.]+em)\)")  # a media query's breakpoint
_ID = re.compile(r"(?<!\w)__[a-z][a-z_]*[a-z](?!\w)")
_QUOTED_ID = re.compile(r'(?<=")__[a-z][a-z_]*[a-z](?=")')  # in Python, "__toc" but not __name__
_EVENT = re.compile(r'new Event\("(\w+)"\)')
_CONFIG = re.compile(r"(?<![\w.])config\.([a-z]\w*)")
_PARAMETER = re.compile(r"\[\?&\](\w+)=")
_TEMPLATE = re.compile(r'{%-?\s*(?:extends|include|import)\s+"([^"]+)"')
_BLOCK = re.compile(r"{%-?\s*block\s+(\w+)")


def used_names(path: str, text: str) -> Iterable[tuple[str, int]]:
    """The names of Material's that one of our files uses, each with the
    offset it is at in `text`; `path` is the file's path from the project."""
    found = [(m.group(), m.start()) for m in _CLASSLIKE.finditer(text)]
    found += [(m.group(), m.start()) for m in _PRINT_SITE.finditer(text)]
    found += [(f"{m[1]}={m[2]}", m.start()) for m in _ATTRIBUTE_VALUE.finditer(text)]
    found += [(f"({m[1]}-width: {m[2]})", m.start()) for m in _WIDTH.finditer(text)]
    found += [(m.group(), m.start()) for m in (_QUOTED_ID if path.endswith(".py") else _ID).finditer(text)]
    if path.endswith(".js"):
        found += [(m[1], m.start()) for m in _EVENT.finditer(text)]
        found += [(f"__config.{m[1]}", m.start()) for m in _CONFIG.finditer(text)]
        found += [(f"?{m[1]}=", m.start()) for m in _PARAMETER.finditer(text)]
    if path.startswith("overrides/") and path.endswith(".html"):
        found.append((path.removeprefix("overrides/"), 0))  # it replaces Material's template of that name
        found += [(m[1], m.start()) for m in _TEMPLATE.finditer(text)]
        found += [(m[1], m.start()) for m in _BLOCK.finditer(text)]
    return found


def uses(root: Path) -> dict[str, list[str]]:
    """Every name of Material's our files use, with where: "file:line"."""
    found: dict[str, list[str]] = {}
    paths = sorted({p for pattern in USERS for p in root.glob(pattern) if p.is_file()})
    for path in paths:
        name = path.relative_to(root).as_posix()
        if name in NOT_USERS:
            continue
        text = path.read_text(encoding="utf-8")
        for used, at in used_names(name, text):
            place = f"{name}:{text.count(chr(10), 0, at) + 1}"
            if place not in found.setdefault(used, []):
                found[used].append(place)
    return found


# --- what the installed Material has ----------------------------------------

# A word: letters, digits, _ and -. Every other byte becomes a space, and the
# text is split at spaces (ten times quicker than a regular expression).
_NOT_WORD = bytes(b if chr(b).isascii() and (chr(b).isalnum() or chr(b) in "_-") else 32 for b in range(256))
_MATERIAL_BLOCK = re.compile(r"{%-?\s*block\s+(\w+)")


@dataclass(frozen=True)
class Material:
    """The installed Material and print-site, read once: the words of each
    place, and its text where a name is looked for as text (Relied.probe)."""

    words: dict[str, frozenset[str]]
    texts: dict[str, str]


def _words(text: str) -> set[str]:
    words = {word.decode("ascii") for word in set(text.encode().translate(_NOT_WORD).split())}
    words.update(f"{m[1]}={m[2]}" for m in _ATTRIBUTE_VALUE.finditer(text))
    words.update(f"({m[1]}-width: {m[2]})" for m in _WIDTH.finditer(text))
    return words


def _templates(theme: Path) -> list[Path]:
    """Material's templates, without walking its thousands of icons."""
    found = []
    for folder, folders, files in os.walk(theme):
        folders[:] = sorted(f for f in folders if f != ".icons")
        found += [Path(folder) / f for f in sorted(files) if f.endswith(".html")]
    return found


def _read(paths: Iterable[Path]) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(paths))


@functools.cache
def read_material(theme: Path, print_site: Path) -> Material:
    """Material's templates folder (material/templates) and print-site's
    package folder, read once a process: `make serve` checks them at each
    rebuild for nothing."""
    templates = _templates(theme)
    html = _read(templates)
    script = _read(theme.glob("assets/javascripts/bundle.*.min.js"))
    styles = _read(theme.glob("assets/stylesheets/*.min.css"))
    printing = _read(p for pattern in ("*.py", "css/*.css", "js/*.js", "templates/*") for p in print_site.glob(pattern))
    texts = {TEMPLATES: html, SCRIPT: script, STYLESHEET: styles, PRINT_SITE: printing}
    words = {place: frozenset(_words(text)) for place, text in texts.items()}
    words[FILES] = frozenset(p.relative_to(theme).as_posix() for p in templates)
    words[BLOCKS] = frozenset(_MATERIAL_BLOCK.findall(html))
    return Material(words, texts)


def moved(material: Material, relied: Iterable[Relied] = RELIED_ON) -> list[tuple[Relied, str]]:
    """The names Material no longer has in a place the list says it has
    them, each with that place."""
    gone = []
    for entry in relied:
        for place in entry.where:
            present = entry.probe in material.texts[place] if entry.probe else entry.name in material.words[place]
            if not present:
                gone.append((entry, place))
    return gone


def check(theme: Path, print_site: Path, installed: str, root: Path) -> None:
    """Stop the build, in one sentence, when the installed Material (its
    templates folder `theme`) or print-site (its package folder), which are
    `installed` ("Material for MkDocs 9.8.1 with print-site 2.9"), have
    lost a name that our files in `root` use."""
    gone = moved(read_material(theme, print_site))
    if not gone:
        return
    used = uses(root)  # only now: a build that passes never reads our files for this
    first = used.get(gone[0][0].name, ["scripts/leaflet_site/material_contract.py"])[0]
    file, _, line = first.rpartition(":")
    told = [f"{entry.name} (not in {SAID[place]}, and used at {', '.join(used.get(entry.name, ['no file of ours']))})"
            for entry, place in gone]
    raise LeafletError(
        file, int(line) if line.isdigit() else None,
        f"{installed} no longer has {'this name' if len(told) == 1 else f'these {len(told)} names'} "
        f"that our files use: {'; '.join(told)}.",
        "Find each one's new name where it was (Material's templates, script or stylesheets, or print-site's files), "
        "use it in our files and in "
        "scripts/leaflet_site/material_contract.py (CONTRIBUTING.md, 'When Material changes').")
