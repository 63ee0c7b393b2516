"""Read offline: a service worker (sw.js at the root of each version) that
keeps every page of the version and what the pages load. Its code is the
real JavaScript file offline.js beside this one; the build puts the list of
files and the saved copy's name in front of it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path

from .names import SERVICE_WORKER
from .urls import in_site, page_loads

WORKER_CODE = Path(__file__).with_name("offline.js")


def offline_files(site: Path, pages: Mapping[str, str]) -> list[str]:
    """Every page of this version and the files the pages load (stylesheets,
    icons, scripts, pictures, the search index, its worker and Material's
    script), as ./paths. PDFs and poster PNGs are left out: patients download
    them on purpose. `pages`: each index.html's path in the site and its HTML
    as written (the pass over the pages has them)."""
    wanted = {"search/search_index.json"}
    for path, text in pages.items():
        folder = path.rpartition("/")[0]
        for load in page_loads(text):
            target = in_site(folder, load.url.split("#")[0].split("?")[0])
            if target and (site / target).is_file():
                wanted.add(target)
    urls = [path.rpartition("/")[0] + "/" for path in pages]
    return ["./" + ("" if u == "/" else u) for u in urls] + ["./" + f for f in sorted(wanted)]


def write_service_worker(site: Path, version: str, pages: Mapping[str, str]) -> None:
    """sw.js at the root of this version. Its cache name changes whenever a
    file it keeps changes, so a new build replaces the saved copy. `pages`:
    every index.html of the site, by its path in the site, in path order."""
    files = offline_files(site, pages)
    digest = hashlib.sha256()
    for f in files:
        page = pages.get(f[2:] + "index.html") if f.endswith("/") else None
        digest.update(f.encode() + (page.encode() if page is not None else (site / f[2:]).read_bytes()))
    head = (f"const CACHE_NAME = {json.dumps(f'{version}-{digest.hexdigest()[:12]}')};\n"
            f"const FILES = {json.dumps(files)};\n")
    (site / SERVICE_WORKER).write_text(head + WORKER_CODE.read_text(encoding="utf-8"), encoding="utf-8")
