"""The site's own absolute addresses (GP page, canonical and Open Graph links,
JSON-LD, sitemap, printed addresses) must open a page that is published.

In a built site (one version, as `make check` sees it) an address under
/latest/ or under this version's folder must name a built file, and the
site's root opens /latest/. Another version's folder is not in the build:
only the root of a version a clinician approved (docs/changelog.yml; its
release published it) is accepted there, as "What changed" links to it. In
a published tree (every version, as `make release` leaves gh-pages) an
address must name a file of the tree.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from pathlib import Path

from ..addresses import Addresses
from ..names import LATEST
from ..findings import Finding, line_of
from .pages import line_at

# An address in HTML, XML, JSON or text: up to a quote, a bracket, a space
# or a tag; a full stop or comma at the end belongs to the sentence.
_ADDRESS = re.compile(r"https?://[^\s\"'<>()\[\]\\`]+")


def addresses_in(text: str, addresses: Addresses) -> list[tuple[int, str]]:
    """(position, address) of each address of this site in `text`."""
    found = []
    for match in _ADDRESS.finditer(text):
        address = match.group(0).rstrip(".,;:")
        if address.startswith(addresses.base) or address + "/" == addresses.base:
            found.append((match.start(), address))
    return found


def site_file(address: str, addresses: Addresses, approved: Collection[str] = ()) -> str | None:
    """The file of a one-version build that an address opens, "" for a page
    a release puts outside it (the site's root, the redirect page a release
    adds, or the root of an `approved` version, which its own release
    published), or None when the address names a folder that a release of
    this version does not publish."""
    rest = addresses.local_path(address)
    if rest is None:
        return None
    if rest == "index.html":
        return ""
    folder, _, inside = rest.partition("/")
    if folder in approved and folder != addresses.version and inside == "index.html":
        return ""
    if folder not in (LATEST, addresses.version):
        return None
    return inside


def unresolved_in_tree(tree: Path, addresses: Addresses, texts: dict[str, str]) -> list[tuple[str, str]]:
    """(where, address) of each address that names no file of the published
    tree. `texts`: a name for each text (a file, a PDF's text, a decoded QR
    code) and the text."""
    problems = []
    for where, text in texts.items():
        for _, address in addresses_in(text, addresses):
            path = addresses.local_path(address)
            if path is None or not (tree / path).is_file():
                problems.append((where, address))
    return problems


def address_findings(site: Path, files: set[str], addresses: Addresses, docs: Path, root: Path,
                     approved: Collection[str] = ()) -> list[Finding]:
    """A finding for each address of our own site, in a built page or the
    sitemap, that does not open a built page (or the root of an `approved`
    version): on the Markdown line it was written on, or else in the page
    (it came from a template or the hook)."""
    found, seen = [], set()
    sources = {md: md.read_text(encoding="utf-8") for md in sorted(docs.rglob("*.md"))}
    for rel in sorted(f for f in files if f.endswith((".html", ".xml"))):
        text = (site / rel).read_text(encoding="utf-8")
        for position, address in addresses_in(text, addresses):
            target = site_file(address, addresses, approved)
            if target == "" or (target is not None and ((site / target).is_file() or (site / target / "index.html").is_file())):
                continue
            if (rel, address) in seen:
                continue
            seen.add((rel, address))
            written = next(((md, line_of(t, address)) for md, t in sources.items() if address in t), None)
            problem = f"The address {address} (on {rel}) does not open a page of the published site."
            if written:
                found.append(Finding(written[0].relative_to(root).as_posix(), written[1], problem,
                                     f"Use an address that starts with {addresses.latest} and names a page that exists."))
            else:
                found.append(Finding(f"site/{rel}", line_at(text, position), problem,
                                     "This address is made by a template in overrides/ or by the build "
                                     "(scripts/leaflet_site/addresses.py): correct it there."))
    return found
