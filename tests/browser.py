"""Real HTTP and real Chromium for the browser tests.

The built site is served over HTTP on 127.0.0.1 under the same path as its
published address, and driven by the system Chromium through Playwright (no
browser download), started as the build starts it (leaflet_site/chromium.py:
the flags that stop it calling Google's services, so every request it makes
comes from the page). The session's browser is conftest's `browser`."""

from __future__ import annotations

import contextlib
import functools
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit
from helpers import LEAFLET

from leaflet_site.printing import QuietHandler, QuietServer

SITE_PATH = LEAFLET.addresses.path


class RevalidatedHandler(QuietHandler):
    """Every answer says it must be checked with the server before it is used
    again (Cache-Control: no-cache), as hosting/nginx.conf serves pages: so the
    browser's own cache never answers for the network, and a test offline
    sees what the service worker does, whatever the age of the files."""

    def end_headers(self):
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()


class InTwoPartsHandler(RevalidatedHandler):
    """A page asked for as PAGE?cut=N&t=T arrives in two parts, as on a slow
    connection, where the browser may draw what it has so far: its first N
    bytes, then the rest once the browser has drawn them (the page's
    DRAWN_SO_FAR script asks for /drawn?cut=N&t=T) or after two seconds.
    Other files, and pages asked for without ?cut, come whole."""

    drawn: dict[str, threading.Event]   # by the query, shared by the server's handlers

    def do_GET(self):
        address = urlsplit(self.path)
        if address.path == "/drawn":
            self.drawn.setdefault(address.query, threading.Event()).set()
            self.send_response(204)
            self.end_headers()
            return
        super().do_GET()

    def copyfile(self, source, outputfile):
        query = urlsplit(self.path).query
        cut = dict(p.partition("=")[::2] for p in query.split("&")).get("cut")
        if cut is None:
            return super().copyfile(source, outputfile)
        outputfile.write(source.read(int(cut)))
        outputfile.flush()
        self.drawn.setdefault(query, threading.Event()).wait(2)
        outputfile.write(source.read())


# For pages served in two parts (InTwoPartsHandler): tells the server once the
# browser has drawn the first part. The second frame's callback runs after
# the first frame was painted (no frame is drawn before the stylesheets
# that hold up painting have arrived).
DRAWN_SO_FAR = """if (/[?&]cut=/.test(location.search)) requestAnimationFrame(() => requestAnimationFrame(
  () => fetch('/drawn' + location.search)));"""


@contextlib.contextmanager
def serve(site: Path, path: str = SITE_PATH, in_two_parts: bool = False):
    """Serve `site` at http://127.0.0.1:PORT{path} until the block ends
    (with `in_two_parts`, pages asked for with ?cut=N come as
    InTwoPartsHandler sends them)."""
    with tempfile.TemporaryDirectory() as root:
        mount = Path(root) / path.strip("/")
        mount.parent.mkdir(parents=True, exist_ok=True)
        mount.symlink_to(site.resolve(), target_is_directory=True)
        handler = RevalidatedHandler
        if in_two_parts:
            handler = type("Handler", (InTwoPartsHandler,), {"drawn": {}})
        server = QuietServer(("127.0.0.1", 0), functools.partial(handler, directory=root))
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}{path}"
        finally:
            server.shutdown()
            server.server_close()


def site_pages(site: Path) -> list[str]:
    """Every built page, as a URL path relative to the site's address."""
    pages = [p.parent.relative_to(site).as_posix() + "/" for p in site.rglob("index.html")]
    return sorted("" if p == "./" else p for p in pages) + ["404.html"]


def page_file(site: Path, page: str) -> Path:
    """The file of a page that site_pages lists (a folder's index.html, or 404.html)."""
    return site / page if page.endswith(".html") else site / page / "index.html"


# --- accessibility and privacy audit of one page -----------------------------

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
VIEWPORTS = [(320, 640), (375, 812), (1280, 800)]  # smallest phone (400% zoom), common phone, laptop
SCHEMES = ["light", "dark"]


def open_page(context, url: str):
    """A page that records every request and console message it causes."""
    return go(_recording(context.new_page()), url)


def each_page(context, base: str, paths: list[str]) -> Iterator[tuple[str, object]]:
    """Each of `paths` (below the address `base`) with its page, opened in
    turn as open_page opens it, at the context's window size, in one tab: a
    new tab starts a new renderer process, and going from page to page in
    one tab took a third of the processor time (measured: 7 CPU-seconds
    against 19 for the leaflet's 15 pages). A patient moves between the
    leaflet's pages in one tab too."""
    page = _recording(context.new_page())
    window = page.viewport_size
    try:
        for path in paths:
            if page.viewport_size != window:
                page.set_viewport_size(window)
            yield path, go(page, base + path)
    finally:
        page.close()


def _recording(page):
    page.requests, page.messages = [], []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("console", lambda message: page.messages.append(message.text))
    return page


# A page is ready to use when it has loaded and, where scripts run (the
# leaflet-js class, set before the header), leaflet.js has set it up: it
# loads after the page. Every browser the tests drive waits for this.
READY = ("document.readyState === 'complete' && (!document.documentElement.classList.contains('leaflet-js')"
         " || document.documentElement.hasAttribute('data-leaflet-ready'))")


def go(page, url: str):
    """Open `url` in `page`, recording afresh, and wait until the page is
    ready to use."""
    page.requests.clear()
    page.messages.clear()
    page.goto(url, wait_until="load")
    page.wait_for_function(f"() => {READY}")
    return page


def axe_source() -> Path:
    """axe-core as axe-playwright-python ships it."""
    import axe_playwright_python

    return Path(axe_playwright_python.__file__).with_name("axe.min.js")


def with_axe(context):
    """Every page of this context starts with axe-core loaded, so each audit
    does not send the 550 KB script again."""
    context.add_init_script(path=axe_source())
    return context


def axe_violations(page) -> list[dict]:
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    if page.evaluate("typeof window.axe === 'undefined'"):
        page.evaluate(axe_source().read_text(encoding="utf-8"))
    return page.evaluate("options => axe.run(document, options)", options)["violations"]


def describe(violations: list[dict]) -> list[str]:
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in violations]


def other_hosts(requests: list[str], base_url: str) -> list[str]:
    own = urlsplit(base_url).netloc
    return sorted({u for u in requests if urlsplit(u).scheme in ("http", "https", "ws", "wss") and urlsplit(u).netloc != own})


def horizontal_overflow(page) -> int:
    """How many CSS pixels the page is wider than the window (0 = reflows)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def csp_violations(messages: list[str]) -> list[str]:
    return [m for m in messages if "Content Security Policy" in m]
