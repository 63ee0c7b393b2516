"""The site's public addresses, worked out once from the configured site_url.

A release puts every version in its own folder and copies the newest to
/latest/ (make release):

    https://host/nerve-root-injection/          opens /latest/ (a redirect page)
    https://host/nerve-root-injection/latest/   the current version: the permanent address
    https://host/nerve-root-injection/1.0/      version 1.0, as it was published, for ever

Every address the site gives out (GP page, QR codes, canonical and Open Graph
links, JSON-LD, sitemap, printed addresses) is a page under /latest/, except
where the GP page names this version, and "What changed" earlier ones, on
purpose. They are worked out from the
site_url written in the configuration file, never from the config MkDocs
hands the hooks: `mike deploy` ends that one in the version being built, and
`mkdocs serve` replaces it with the local address.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .findings import LeafletError

LATEST = "latest"  # the alias of the current version (make release)


def configured_site_url(config_file: str | Path) -> str:
    """site_url as the configuration file says (INHERIT and !ENV resolved)."""
    from mkdocs.utils import yaml_load

    with open(config_file, "rb") as f:
        raw = yaml_load(f) or {}
    return str(raw.get("site_url") or "")


@dataclass(frozen=True)
class Addresses:
    base: str     # the published site's root, ending in /
    version: str  # the version this build is

    @classmethod
    def make(cls, site_url: str, version: str, source: str = "mkdocs.yml", line: int | None = None) -> Addresses:
        parts = urlsplit(site_url or "")
        if parts.scheme not in ("https", "http") or not parts.netloc or parts.query or parts.fragment:
            raise LeafletError(source, line, f"site_url is {site_url!r}, which is not a web address.",
                               "Write the address the leaflet is published at, for example "
                               "site_url: https://leaflets.example.nhs.uk/nerve-root-injection/")
        return cls(site_url.rstrip("/") + "/", version)

    @property
    def path(self) -> str:
        """The base's path on its host: /nerve-root-injection/."""
        return urlsplit(self.base).path

    @property
    def name(self) -> str:
        """The last part of the path (nerve-root-injection): names the PDFs."""
        return self.path.strip("/").rsplit("/", 1)[-1] or "leaflet"

    @property
    def latest(self) -> str:
        return self.page("")

    @property
    def this_version(self) -> str:
        return self.page("", self.version)

    def page(self, url: str, version: str = LATEST) -> str:
        """The address of a page (its MkDocs url, such as "risks/") under
        /latest/, or under one version's folder."""
        return f"{self.base}{version}/{url}"

    @staticmethod
    def short(address: str) -> str:
        """An address as printed on paper: no https://."""
        return address.split("://", 1)[-1]

    def local_path(self, address: str) -> str | None:
        """The file an address of ours opens in the published tree (a path
        from the tree's root, index.html for a folder), or None if the
        address is not on this site."""
        if address + "/" == self.base:
            return "index.html"
        if not address.startswith(self.base):
            return None
        rest = urlsplit(address[len(self.base):]).path
        return rest + "index.html" if rest == "" or rest.endswith("/") else rest
