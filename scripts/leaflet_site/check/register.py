"""The register of published URLs: every page address the site has ever
published. GP practices link to them and print them as QR codes, so each must
keep resolving to a page or a redirect."""

from __future__ import annotations

from pathlib import Path

from ..findings import Finding

HEADER = """\
# Every page address this leaflet has published, one a line, relative to the
# site's address. GP practices link to these and print them as QR codes, so
# each must always open a page or a redirect. Never delete a line: when you
# rename a page, add a redirect in mkdocs.yml (plugins > redirects). Update
# this file with `make register`, not by hand.
"""


def read_register(path: Path) -> list[str]:
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def built_page_urls(site: Path) -> list[str]:
    """Directory URLs of every built page (404.html is not an address)."""
    urls = []
    for page in site.rglob("index.html"):
        rel = page.parent.relative_to(site).as_posix()
        urls.append("/" if rel == "." else f"/{rel}/")
    return sorted(urls)


def resolves(site: Path, url: str) -> bool:
    return (site / url.strip("/") / "index.html").is_file()


def register_findings(register: list[str], site: Path, register_name: str, redirects_hint: str) -> list[Finding]:
    found = []
    for url in register:
        if not resolves(site, url):
            found.append(Finding(register_name, None,
                f"The published address {url} no longer opens a page. GP links and printed QR codes to it are broken.",
                f"Put the page back, or add a redirect from {url.strip('/')}.md to its new page in {redirects_hint}."))
    known = set(register)
    for url in built_page_urls(site):
        if url not in known:
            found.append(Finding(register_name, None,
                f"The new page {url} is not in the register of published addresses.",
                "Run `make register` and commit the changed file."))
    return found


def updated_register(register: list[str], site: Path) -> str:
    """The register with new page URLs added; no line is ever removed."""
    urls = list(dict.fromkeys(register + built_page_urls(site)))
    return HEADER + "\n".join(sorted(urls)) + "\n"
