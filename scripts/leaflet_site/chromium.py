"""The one way this project starts Chromium: the build's PDFs and link
preview, the approval pack, `make bench-web`, the browser tests and the Node
accessibility engines all use the system Chromium (Playwright's own browser
download is not used) with the flags below.

Which program: Debian's `chromium-headless-shell` where it is installed (what
.ci/run installs), else `chromium`. Both are Chromium of the same version,
with the same engine (Blink and V8) drawing, laying out, running scripts and
printing; the headless shell leaves out the desktop browser around the
engine, which everything here runs without a window anyway. Measured here
(issue 29), the same work (14 pages loaded and audited with axe, 60 Tab
stops), four runs turn about: 8.5-9.8 CPU-seconds in the shell against
11.7-14.2 in `chromium`; `make test` in a fresh clone, one run each on one
machine, 259 s against 347 s. The PDFs it prints
have the same pages and text, tags, outline and language; only their Creator
field differs ("Chromium"). Playwright itself uses this shell for headless
runs.

`make bench-web` measures what a patient's browser does: it takes the full
`chromium` first where both are installed (full=True).

Set CHROMIUM to a program's name or path to use another Chromium.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Playwright is imported only when a browser is started.
    from playwright.sync_api import Browser, Playwright

# The names it goes by, in the order tried, after $CHROMIUM: the headless
# shell first (above); FULL, the desktop browser's names.
SHELL = "chromium-headless-shell"
FULL = ("chromium", "chromium-browser", "google-chrome")
NAMES = (SHELL, *FULL)
INSTALL = SHELL  # the Debian package that gives it
CHOICE = "CHROMIUM"

# Every start of Chromium uses these, so that Chromium itself calls no other
# host and every request it makes comes from the page:
FLAGS: tuple[str, ...] = (
    "--no-sandbox",                      # CI runs as root, and Chromium's sandbox will not start as root
    "--disable-gpu",                     # servers have no GPU: Chromium draws in software from the start
    "--disable-background-networking",   # without these three, Chromium calls Google's services
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",                    # no first-run tasks (welcome page, default-browser check)
    "--disable-default-apps",            # no bundled apps or extensions to load or update
    "--disable-extensions",
    "--disable-quic",                    # no QUIC (HTTP/3) attempts: pages come over the plain HTTP served
)



class ChromiumMissing(RuntimeError):
    """No Chromium on this machine. (The build never meets it: it checks for
    Chromium before it prints, printing.pdf_wanted, and says what to do.)"""

    def __init__(self, needed_for: str = ""):
        what = f"Chromium is needed {needed_for}, and it is not installed." if needed_for else "Chromium is not installed."
        super().__init__(f"{what} Fix: run apt-get install {INSTALL} (or bash .ci/run), or set {CHOICE} to its path.")


def executable(full: bool = False) -> str | None:
    """The Chromium program to start, or None when there is none; with
    `full`, the desktop browser before the headless shell."""
    for name in (os.environ.get(CHOICE), *(FULL + (SHELL,) if full else NAMES)):
        found = shutil.which(name) if name else None
        if found:
            return found
    return None


def required(needed_for: str = "", full: bool = False) -> str:
    """The Chromium program (executable), or ChromiumMissing saying how to
    install it. `needed_for` ends its first sentence: "to print the PDFs"."""
    found = executable(full)
    if not found:
        raise ChromiumMissing(needed_for)
    return found


def flags_json(*extra: str) -> str:
    """The flags for a program of another language (the Node engines read
    them as JSON from their command line)."""
    return json.dumps([*FLAGS, *extra])


_RUNNING: list[Playwright] = []  # the Playwright started by launched(), while it runs


@contextlib.contextmanager
def launched(*extra: str, needed_for: str = "", full: bool = False) -> Iterator[Browser]:
    """Headless Chromium (executable) through Playwright, with FLAGS and any
    `extra` flags, closed when the block ends."""
    from playwright.sync_api import sync_playwright

    program = required(needed_for, full)
    with contextlib.ExitStack() as stack:
        # One Playwright a thread: a second one started inside the first
        # (a browser with other flags, while the tests' browser is open)
        # stops with "Playwright Sync API inside the asyncio loop".
        if _RUNNING:
            playwright = _RUNNING[-1]
        else:
            playwright = stack.enter_context(sync_playwright())
            _RUNNING.append(playwright)
            stack.callback(_RUNNING.pop)
        browser = playwright.chromium.launch(executable_path=program, args=[*FLAGS, *extra])
        try:
            yield browser
        finally:
            browser.close()


