"""Read offline: a service worker (sw.js at the root of each version) that
keeps every page of the version and what the pages load. Its code is the
real JavaScript file offline.js beside this one; the build puts the list of
files and the saved copy's name in front of it."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .urls import in_site, page_loads
from .names import SERVICE_WORKER

WORKER_CODE = Path(__file__).with_name("offline.js")


def offline_files(site: Path) -> list[str]:
    """Every page of this version and the files the pages load (stylesheets,
    icons, scripts, pictures, the search index, its worker and Material's
    script), as ./paths. PDFs and poster PNGs are left out: patients download
    them on purpose."""
    wanted = {"search/search_index.json"}
    pages = sorted(site.rglob("index.html"))
    for page in pages:
        folder = page.parent.relative_to(site).as_posix()
        for load in page_loads(page.read_text(encoding="utf-8")):
            target = in_site(folder, load.url.split("#")[0].split("?")[0])
            if target and (site / target).is_file():
                wanted.add(target)
    urls = [p.parent.relative_to(site).as_posix() + "/" for p in pages]
    return ["./" + ("" if u == "./" else u) for u in urls] + ["./" + f for f in sorted(wanted)]


def write_service_worker(site: Path, version: str) -> None:
    """sw.js at the root of this version. Its cache name changes whenever a
    file it keeps changes, so a new build replaces the saved copy."""
    files = offline_files(site)
    digest = hashlib.sha256()
    for f in files:
        path = site / f[2:]
        digest.update(f.encode() + (path / "index.html" if f.endswith("/") else path).read_bytes())
    head = (f"const CACHE_NAME = {json.dumps(f'{version}-{digest.hexdigest()[:12]}')};\n"
            f"const FILES = {json.dumps(files)};\n")
    (site / SERVICE_WORKER).write_text(head + WORKER_CODE.read_text(encoding="utf-8"), encoding="utf-8")
