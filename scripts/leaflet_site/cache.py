"""A cache on disk for work a build repeats with the same inputs, which every
build of the site (`make serve`'s rebuilds, the tests' builds, CI) would
otherwise do again: each page's patient text (patient_text.collect,
converted from Markdown), each built page's class names and ids
(styles.page_facts), the theme's stylesheet pruned to what the pages use
(styles.prune_once) and its split for the first paint (paint.split_once).

A result is found by the SHA-256 of everything it depends on, and of the
package's own source, so a change to the inputs or to the code that makes it
never reads an old result. The files are in the virtual environment
(.venv/share/leaflet-cache), so a new environment starts empty; set
LEAFLET_CACHE to another folder, or to "off" for none. What is cached is the
same bytes the work would make, so two builds of one commit stay the same.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
from collections.abc import Callable
from typing import Any
from pathlib import Path

from .names import CACHE_ENV

KEPT = 400  # results kept per kind: a long `make serve` session writes one a save; the oldest go first


@functools.cache
def code_version() -> str:
    """The SHA-256 of the package's own files and of the names and versions
    of every installed distribution (MkDocs, Markdown's extensions...), read
    once a process: an upgrade in the lock file never reads an old result."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.rglob("*")):
        if path.suffix in (".py", ".html", ".css", ".js", ".yml"):
            digest.update(path.name.encode() + path.read_bytes())
    for folder in sorted({p for p in sys.path if p.startswith(sys.prefix) and p.endswith("site-packages")}):
        # A distribution's folder is named by its name and version (Markdown-3.11.3.dist-info).
        digest.update("\n".join(sorted(e.name for e in os.scandir(folder) if e.name.endswith(".dist-info"))).encode())
    return digest.hexdigest()


def folder() -> Path | None:
    setting = os.environ.get(CACHE_ENV, "").strip()
    if setting.lower() == "off":
        return None
    return Path(setting) if setting else Path(sys.prefix) / "share" / "leaflet-cache"


def key(*parts: str | bytes) -> str:
    """The key of a result: its inputs, in order, and the code's version."""
    digest = hashlib.sha256(code_version().encode())
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))  # "ab","c" is not "a","bc"
        digest.update(data)
    return digest.hexdigest()


def cached(kind: str, parts: tuple[str | bytes, ...], make: Callable[[], bytes]) -> bytes:
    """`make()`'s result for these inputs: from the cache when it has it,
    else made now and kept. A cache that cannot be written is no cache."""
    where = folder()
    if where is None:
        return make()
    path = where / kind / key(*parts)
    try:
        return path.read_bytes()
    except OSError:
        pass
    result = make()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(result)
        tmp.replace(path)  # whole or not at all: a reader never sees half a file
        _trim(path.parent)
    except OSError:
        pass
    return result



def cached_json(kind: str, parts: tuple[str | bytes, ...], make: Callable[[], Any]) -> Any:
    """`cached` for a result that is JSON (lists, dicts, strings, numbers):
    stored as JSON, given back as it reads (tuples come back as lists)."""
    return json.loads(cached(kind, parts, lambda: json.dumps(make()).encode()))

def _trim(kind_folder: Path) -> None:
    entries = [p for p in kind_folder.iterdir() if p.suffix != ".tmp"]
    if len(entries) <= KEPT:
        return
    entries.sort(key=lambda p: p.stat().st_mtime)
    for old in entries[: len(entries) - KEPT]:
        old.unlink(missing_ok=True)
