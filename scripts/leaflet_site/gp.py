"""The GP page: permanent addresses, copy buttons and QR codes for the
leaflet and each section, and the one address that names this version."""

from __future__ import annotations

from .addresses import Addresses
from .model import Leaflet


def gp_links(leaflet: Leaflet, qr_dir: str) -> str:
    """The GP page's list: for the leaflet and each section, its permanent
    address (under /latest/), a copy button, and its QR code; and the address
    of this version, which never changes."""
    a = leaflet.addresses
    blocks = []
    for n, section in enumerate([None, *leaflet.sections]):
        address = a.page(section.url if section else "")
        slug = section.slug if section else "leaflet"
        name = section.title if section else "the whole leaflet"
        # In the page's table of contents the heading says what is under it,
        # so its link does not share the menu's words for the section's own
        # page (WCAG 2.4.4: the same words, the same place).
        heading = (f'### {section.title} {{ data-toc-label="Address of {section.title}" }}\n\n'
                   if section else "")
        if n == 1:
            heading = "## Each section\n\n" + heading
        # Raw HTML: the QR files are made after the pages, so MkDocs cannot
        # see them; the site check follows these links in the built site.
        lazy = ' loading="lazy"' if section else ""
        qr = (f'<img src="../{qr_dir}/{slug}.svg" width="132" height="132" alt="QR code that opens {name}"'
              f'{lazy}>\n\n'
              f'<a href="../{qr_dir}/{slug}.png" download>Download the QR code for {name} (PNG, for posters)</a>')
        if section:
            # A section's QR code shows when asked for, so the page does not
            # download eight pictures first (a closed lazy picture is not fetched).
            qr = f'<details class="leaflet-qr" markdown>\n<summary>QR code for {name}</summary>\n\n{qr}\n\n</details>'
        blocks.append(
            f"{heading}Address: `{address}`"
            f' <button type="button" class="leaflet-copy md-button" data-copy="{address}">Copy the address of {name}</button>\n\n'
            + qr
        )
    return "\n\n".join(blocks)


def version_address(addresses: Addresses) -> str:
    """The GP page's one version-specific address: this version's own."""
    return (f"Each version also keeps its own address: this one, version {addresses.version}, stays at "
            f"`{addresses.this_version}`. Use that only when you need the exact version a patient was given.")
