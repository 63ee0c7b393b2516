from __future__ import annotations

import os
from pathlib import Path

import pytest

from helpers import ROOT, build


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The real site, built once with --strict for the whole test run: the
    first pytest-xdist worker builds it, the others wait for it and share it
    (without xdist, the one process builds it)."""
    from filelock import FileLock

    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    out = shared / "site"
    with FileLock(str(shared / "site.lock")):
        if not (out / "index.html").is_file():
            done = build(ROOT, out, pdf=True)
            assert done.returncode == 0, done.stdout + done.stderr
    return out


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    from browser import CHROMIUM_FLAGS, chromium_path

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def base_url(site: Path):
    from browser import serve

    with serve(site) as url:
        yield url
