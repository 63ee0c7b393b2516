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

A pull request's preview (`make preview PR=N`, the preview workflow) is one
build at its own folder of the same tree, with no version folder:

    https://host/nerve-root-injection/pr-preview/pr-7/   every address of the preview

The build learns it is a preview from two environment variables, read here
and nowhere else (`preview_from_env`): LEAFLET_PREVIEW_PR, the pull
request's number, and LEAFLET_PREVIEW_COMMIT, the commit it shows. Every
address of a preview is then under its folder, so nothing in it points at the
published leaflet.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .findings import LeafletError

from .names import CONFIG_FILE, LATEST, PREVIEW_COMMIT, PREVIEW_PR


@dataclass(frozen=True)
class Preview:
    """A pull request's preview: which pull request, and which commit."""
    number: int
    commit: str

    @property
    def folder(self) -> str:
        """Its folder in the published tree: pr-preview/pr-7/."""
        from .preview import folder

        return folder(self.number)

    @property
    def short_commit(self) -> str:
        return self.commit[:7]  # as GitHub shows a commit


def preview_from_env(environ: Mapping[str, str] | None = None) -> Preview | None:
    """The preview this build is, from LEAFLET_PREVIEW_PR and
    LEAFLET_PREVIEW_COMMIT; None for every other build."""
    environ = os.environ if environ is None else environ
    number = environ.get(PREVIEW_PR, "").strip()
    if not number:
        return None
    commit = environ.get(PREVIEW_COMMIT, "").strip().lower()
    if not re.fullmatch(r"[1-9]\d*", number):
        raise LeafletError(PREVIEW_PR, None, f"{PREVIEW_PR} is {number!r}, which is not a pull request's number.",
                           "Give the number alone, for example make preview PR=7.")
    # 7 to 40 hexadecimal digits: what git prints for a commit, short or whole.
    if not re.fullmatch(r"[0-9a-f]{7,40}", commit):
        raise LeafletError(PREVIEW_COMMIT, None, f"{PREVIEW_COMMIT} is {commit!r}, which is not a commit.",
                           "Give the commit the preview shows, as git rev-parse HEAD prints it.")
    return Preview(int(number), commit)


def configured_site_url(config_file: str | Path) -> str:
    """site_url as the configuration file says (INHERIT and !ENV resolved)."""
    from mkdocs.utils.yaml import yaml_load

    with open(config_file, "rb") as f:
        raw = yaml_load(f) or {}
    return str(raw.get("site_url") or "")


@dataclass(frozen=True)
class Addresses:
    base: str     # the root of this build's addresses, ending in /: the published site's, or a preview's folder
    version: str  # the version this build is
    preview: Preview | None = None  # a pull request's preview: every address is under its folder

    @classmethod
    def make(cls, site_url: str, version: str, source: str = CONFIG_FILE, line: int | None = None,
             preview: Preview | None = None) -> Addresses:
        parts = urlsplit(site_url or "")
        if parts.scheme not in ("https", "http") or not parts.netloc or parts.query or parts.fragment:
            raise LeafletError(source, line, f"site_url is {site_url!r}, which is not a web address.",
                               "Write the address the leaflet is published at, for example "
                               "site_url: https://leaflets.example.nhs.uk/nerve-root-injection/")
        root = site_url.rstrip("/") + "/"
        return cls(root + preview.folder if preview else root, version, preview)

    @property
    def published(self) -> str:
        """The published leaflet's root (the configured site_url), in a preview too."""
        return self.base.removesuffix(self.preview.folder) if self.preview else self.base

    @property
    def path(self) -> str:
        """The base's path on its host: /nerve-root-injection/ (a preview's: /nerve-root-injection/pr-preview/pr-7/)."""
        return urlsplit(self.base).path

    @property
    def name(self) -> str:
        """The last part of the published path (nerve-root-injection): names the PDFs."""
        return urlsplit(self.published).path.strip("/").rsplit("/", 1)[-1] or "leaflet"

    @property
    def latest(self) -> str:
        return self.page("")

    @property
    def this_version(self) -> str:
        return self.page("", self.version)

    def page(self, url: str, version: str = LATEST) -> str:
        """The address of a page (its MkDocs url, such as "risks/") under
        /latest/, or under one version's folder. A preview has one version,
        in its own folder."""
        if self.preview:
            return f"{self.base}{url}"
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
