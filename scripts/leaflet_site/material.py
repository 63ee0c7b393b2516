"""Everything this site relies on inside Material for MkDocs (and print-site)
that is not a documented setting, in one place, for the version it was
written for. A build with another version of Material stops with a message
that says what to check (CONTRIBUTING.md, "When Material changes").

Material 9.8.1 is in maintenance mode and reaches its end of life on
5 May 2027; `make check-properdocs` keeps the build green on ProperDocs.
"""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

from .findings import LeafletError

WRITTEN_FOR = "9.8.1"
# The theme's own files, named in its base.html (the scripts and styles blocks).
BUNDLE = "assets/javascripts/bundle.a5f9d56c.min.js"
STYLESHEETS = ("assets/stylesheets/main.", "assets/stylesheets/palette.")
# Parts of Material this site does not switch on (mkdocs.yml): Material's
# script names them, but it never draws them here (styles.py prunes them).
UNUSED_FEATURES = ("md-annotation", "md-tooltip", "md-tag", "tabbed-", "md-code__", "md-clipboard",
                   "md-source", "md-consent", "md-progress", "md-top", "highlight")
# Also tied to 9.8.1's internals: overrides/main.html (the colour toggle's
# script reads __md_get and the palette form), overrides/partials/javascripts/
# outdated.html (a patched copy), and docs/assets/leaflet.js (the version list
# and the search, drawn with Material's class names).
# print-site 2.9 keeps its page as `print_page` and puts its files in these.
PRINT_SITE_PAGE = "print_page"
PRINT_SITE_FILES = ("css/print-site.css", "css/print-site-material.css", "js/print-site.js")


def check_version() -> None:
    """Stop the build when the installed Material is not the one this site
    was written for, or lacks the files named above."""
    installed = metadata.version("mkdocs-material")
    theme = Path(__import__("material").__file__).parent / "templates"
    if installed != WRITTEN_FOR or not (theme / BUNDLE).is_file():
        raise LeafletError(
            "scripts/leaflet_site/material.py", None,
            f"This site was written for Material for MkDocs {WRITTEN_FOR}, and {installed} is installed.",
            "Install the pinned packages (make serve sets them up), or follow 'When Material changes' in "
            "CONTRIBUTING.md and update this file.")
