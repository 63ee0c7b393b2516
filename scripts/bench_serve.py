#!/usr/bin/env python3
"""Benchmark the editor's loop: `mkdocs serve` on a copy of the project, a
sentence saved into a page, and the time until the served page shows it,
five times. Also: an edit to the glossary shows on another page.

The target (issue 32): a saved page shows within 2 s (median of 5), 3 s at
most, on a 2-core machine.

Usage: python scripts/bench_serve.py [--saves 5] [--page after.md]
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from leaflet_site import model
from leaflet_site.check.build import ENV as MKDOCS_ENV

ROOT = Path(__file__).resolve().parent.parent
MEDIAN_MAX_S = 2.0   # issue 32: a saved page shows within 2 s (median of 5 saves)
SLOWEST_MAX_S = 3.0  # issue 32: and within 3 s at most
WAIT_S = 60          # a save not shown after a minute is a failure, not a slow result
COPIED = ["mkdocs.yml", "docs", "overrides", "readability.yml", "words.txt", "published-urls.txt", "approvals",
          "scripts"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def copy_project(dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.exists():
            shutil.copy2(src, dest / name)
    return dest


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.read().decode("utf-8", "replace")
    except OSError:
        return ""


@contextlib.contextmanager
def serving(project: Path, *options: str, env: dict | None = None):
    """`mkdocs serve` as `make serve` runs it (with more `options`), on a free
    port; yields the site's address once the first build is served."""
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--strict", *options,
                               "--dev-addr", f"127.0.0.1:{port}"], cwd=project, env={**MKDOCS_ENV, **(env or {})},
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}{model.load(project).addresses.path}"
    try:
        deadline = time.monotonic() + 120
        while not fetch(url):
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"mkdocs serve did not start:\n{server.stderr.read()}")
            time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)
        server.stderr.close()


def save_and_wait(path: Path, line: str, url: str) -> float:
    """Append a line to a file, as an editor's save; seconds until the page
    at url has it."""
    marker = line.split()[-1].rstrip(".")
    started = time.monotonic()
    with path.open("a", encoding="utf-8") as f:
        f.write(f"\n{line}\n")
    while marker not in fetch(url):
        if time.monotonic() - started > WAIT_S:
            raise RuntimeError(f"{url} did not show {marker!r} within {WAIT_S} s of the save")
        time.sleep(0.05)
    return time.monotonic() - started


def measure(saves: int, page: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        project = copy_project(Path(tmp) / "project")
        leaflet = model.load(project)
        url_of = {p.file: p.url for p in leaflet.pages}
        with serving(project) as base:
            time.sleep(2)  # let the first build's watcher settle
            times = []
            for n in range(saves):
                times.append(save_and_wait(project / "docs" / page, f"We added this sentence, number x{n}q{n}.",
                                           base + url_of[page]))
                time.sleep(1)  # an editor does not save twice a second
            # A glossary change shows on another page (nothing served is stale).
            glossary = project / "docs" / model.GLOSSARY_FILE
            term, other = next((t, s.url) for t in leaflet.terms for s in leaflet.sections
                               if t.term.lower() in (project / "docs" / s.file).read_text(encoding="utf-8").lower())
            text = glossary.read_text(encoding="utf-8")
            assert term.meaning in text, f"the meaning of {term.term!r} is not on one line of {glossary.name}"
            glossary.write_text(text.replace(term.meaning, term.meaning + " Glossy7.", 1), encoding="utf-8")
            started = time.monotonic()
            while "Glossy7" not in fetch(base + other) and time.monotonic() - started < WAIT_S:
                time.sleep(0.05)
            glossary_s = time.monotonic() - started
    return {"page": page, "saves_s": [round(t, 2) for t in times], "median_s": round(statistics.median(times), 2),
            "slowest_s": round(max(times), 2), "glossary_s": round(glossary_s, 2)}


def report(r: dict) -> str:
    ok = r["median_s"] <= MEDIAN_MAX_S and r["slowest_s"] <= SLOWEST_MAX_S
    return (f"Serve loop ({r['page']}, {len(r['saves_s'])} saves): {', '.join(f'{t:.2f}' for t in r['saves_s'])} s; "
            f"median {r['median_s']:.2f} s, slowest {r['slowest_s']:.2f} s (target {MEDIAN_MAX_S:g} s median, "
            f"{SLOWEST_MAX_S:g} s at most): {'met' if ok else 'NOT met'}. A glossary edit showed on another page "
            f"after {r['glossary_s']:.2f} s.")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=5)
    parser.add_argument("--page", default="after.md")
    args = parser.parse_args()
    r = measure(args.saves, args.page)
    print(report(r))
    return 0


if __name__ == "__main__":
    sys.exit(main())
