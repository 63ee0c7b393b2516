"""The one home of the names the leaflet's code shares: its files and
folders, the print page, the alias and branch of published versions, and the
environment MkDocs runs in. Everything else imports them from here."""

from __future__ import annotations

import os
from typing import Final

# The project's files (paths from the project's root unless said).
CONFIG_FILE: Final = "mkdocs.yml"
DOCS_DIR: Final = "docs"
GLOSSARY_FILE: Final = "glossary.yml"        # inside docs/: the words explained in pop-ups
CHANGELOG_FILE: Final = "changelog.yml"      # inside docs/: every version and who approved it
FACTS_FILE: Final = "facts.yml"              # inside docs/: the approved facts, each quoting the source
STATEMENTS_FILE: Final = "statements.yml"    # inside docs/: statements written once, shown on several pages
URGENT_FILE: Final = "urgent-advice.yml"     # inside docs/: when to get help straight away
RECORD_DIR: Final = "approvals"              # approvals/VERSION.txt: the text a clinician approved
APPROVAL_PACK_DIR: Final = "approval-pack"   # make approval-pack writes here
MIKE_REDIRECT_TEMPLATE: Final = "overrides/mike-redirect.html"  # the root's redirect page

# Pages (MkDocs page addresses, relative to a version's root).
GLOSSARY_PAGE: Final = "glossary.md"         # a word list printed with the leaflet, not a section
PRINT_PAGE_DIR: Final = "print_page"         # mkdocs-print-site-plugin's page of every section
PRINT_PAGE: Final = f"{PRINT_PAGE_DIR}/"
PRINT_PAGE_FILE: Final = f"{PRINT_PAGE_DIR}/index.html"
OTHER_FORMATS_PAGE: Final = "other-formats/"  # docs/other-formats.md: linked from every page's footer

# Files in a built site.
LEAFLET_JS: Final = "assets/leaflet.js"
SERVICE_WORKER: Final = "sw.js"
QR_FILE: Final = "assets/leaflet-qr.svg"
QR_DIR: Final = "assets/qr"
PREVIEW_FILE: Final = "assets/preview.png"
STYLESHEET_DIR: Final = "assets/stylesheets"
VERSIONS_FILE: Final = "versions.json"       # mike's list of published versions

# Publishing.
LATEST: Final = "latest"                     # the alias of the current version (make release)
BRANCH: Final = "gh-pages"                   # the branch mike publishes to
PREVIEW_FOLDER: Final = "pr-preview"         # beside mike's version folders on gh-pages; mike never writes it

# The environment.
PDF_SWITCH: Final = "LEAFLET_PDF"            # "off": build without PDFs; "on": make them while serving
SOURCE_ENV: Final = "LEAFLET_SOURCE"         # a path to the source text, instead of the default place
PREVIEW_PR: Final = "LEAFLET_PREVIEW_PR"     # a preview's pull request
PREVIEW_COMMIT: Final = "LEAFLET_PREVIEW_COMMIT"  # the commit it shows
CACHE_ENV: Final = "LEAFLET_CACHE"          # the build's cache folder (leaflet_site/cache.py), or "off"
# MkDocs 1.6 prints a banner about MkDocs 2.0 unless told not to
# (../shared/guides/tooling-facts.md).
QUIET_MKDOCS: Final = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


def mkdocs_env(**extra: str) -> dict[str, str]:
    """The environment every MkDocs run of ours has: this process's, quiet,
    with any extra settings."""
    return {**os.environ, **QUIET_MKDOCS, **extra}
