"""The phone checks in the two other browser engines patients use: Firefox
(Gecko) and WebKit (Safari's engine), beside Chromium (every other browser
test).

Firefox ESR is driven by Puppeteer over WebDriver BiDi (tools/node/firefox.mjs),
WebKitGTK by Selenium over WebDriver (Debian's WebKitWebDriver, under
xvfb-run). Both come from Debian packages; nothing is downloaded. One checker
(`check_page`, `check_offline`) runs the same checks in each engine through a
small driver: open, evaluate, tap, type, errors.

WebKitGTK's window is never narrower than 447 CSS px, so there each page
opens in a frame of phone width (375 px) on a page of the test server; the
checks run inside the frame and measure its real width."""

from __future__ import annotations

import html
import json
import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

from browser import READY
from leaflet_site.printing import QuietHandler, QuietServer

NODE_TOOLS = Path(__file__).resolve().parent.parent / "tools" / "node"
PHONE = (375, 812)   # a common phone, as in the Chromium tests (test_phone.py, test_keyboard.py)
WAIT = 10.0          # seconds for the search's results or the offline copy: both take well under 2 s here
POLL = 0.05          # seconds between looks while waiting

# Debian's Firefox ESR, or the Firefox that FIREFOX names (GitHub's runner
# has one, and Ubuntu no firefox-esr package).
FIREFOX = os.environ.get("FIREFOX") or "/usr/bin/firefox-esr"
WEBKIT_DRIVER = "/usr/bin/WebKitWebDriver"
# What each engine needs, and the Debian package that brings it.
NEEDS = {
    "firefox": [(FIREFOX, "firefox-esr"), ("node", "nodejs")],
    "webkit": [(WEBKIT_DRIVER, "webkit2gtk-driver"), ("xvfb-run", "xvfb"), ("xauth", "xauth")],
}
ENGINE_NAMES = {"firefox": "Firefox ESR", "webkit": "WebKitGTK"}


def missing(engine: str, which=shutil.which) -> str | None:
    """A one-line message naming the Debian package to install when the
    engine is not on this machine, else None."""
    for program, package in NEEDS[engine]:
        if not which(program):
            return (f"{ENGINE_NAMES[engine]} is needed for the phone checks and {program} is not installed. "
                    f"Fix: apt-get install {package} (or bash .ci/run).")
    if engine == "firefox" and not (NODE_TOOLS / "node_modules" / "puppeteer").is_dir():
        return "Puppeteer is not installed in tools/node. Fix: run make test (it runs npm ci there)."
    return None


class EngineError(RuntimeError):
    pass


# --- the test server ---------------------------------------------------------

# Records script errors where the driver cannot listen for them (WebDriver
# classic has no log of them): loaded first in every page the server sends.
ERROR_PROBE = """window.__engineErrors = [];
addEventListener("error", function (e) { if (e.message) __engineErrors.push(String(e.message)); });
addEventListener("unhandledrejection", function (e) {
  __engineErrors.push("Unhandled promise rejection: " + e.reason);
});
"""
PROBE_PATH = "/__engine/errors.js"
FRAME_PATH = "/__engine/phone"


class EngineServer:
    """Folders over HTTP on 127.0.0.1 (each at its own path), with what the
    other engines' checks need:
    - `offline`: when set, every request for a page or file is answered by
      closing the connection, as a phone with no signal sees it (the test's
      own pages under /__engine/ still answer);
    - a phone-sized frame (`framed`) for WebKit, whose window is wider;
    - with `probe`, every HTML page loads the script-error recorder first.
    Nothing is cached by the browser (no-store): what opens offline comes
    from the site's service worker."""

    def __init__(self, mounts: dict[str, Path], probe: bool = False):
        self._root = tempfile.TemporaryDirectory()
        root = Path(self._root.name)
        for path, folder in mounts.items():
            mount = root / path.strip("/")
            mount.parent.mkdir(parents=True, exist_ok=True)
            mount.symlink_to(folder.resolve(), target_is_directory=True)
        self.offline = False
        server = self

        class Handler(QuietHandler):
            def end_headers(self):
                self.send_header("Cache-Control", "no-store")
                super().end_headers()

            def do_GET(self):
                path = urlsplit(self.path).path
                if path == PROBE_PATH:
                    return self._send(ERROR_PROBE.encode(), "text/javascript")
                if path == FRAME_PATH:
                    return self._send(framed_page(parse_qs(urlsplit(self.path).query)).encode(), "text/html")
                if server.offline:
                    self.close_connection = True  # no answer at all: the browser sees a network error
                    return None
                file = Path(self.translate_path(self.path))
                if probe and not path.endswith("/") and file.is_dir():
                    return super().do_GET()  # the redirect to the folder's address, as a host does
                page = file / "index.html" if file.is_dir() else file
                if probe and page.suffix == ".html" and page.is_file():
                    text = page.read_text(encoding="utf-8")
                    probe_tag = f'<script src="{PROBE_PATH}"></script>'
                    text = re.sub(r"<head[^>]*>", lambda m: m.group(0) + probe_tag, text, count=1)
                    return self._send(text.encode(), "text/html; charset=utf-8")
                return super().do_GET()

            def _send(self, body: bytes, kind: str):
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self._server = QuietServer(("127.0.0.1", 0), lambda *a: Handler(*a, directory=str(root)))
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def framed(self, url: str, width: int, height: int) -> str:
        return f"{self.url}{FRAME_PATH}?w={width}&h={height}&src={quote(url, safe='')}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._root.cleanup()


def framed_page(query: dict[str, list[str]]) -> str:
    src, width, height = query["src"][0], int(query["w"][0]), int(query["h"][0])
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Phone</title></head>'
            f'<body style="margin:0"><iframe src="{html.escape(src)}" title="Phone" width="{width}" height="{height}" '
            f'style="border:0;display:block"></iframe></body></html>')


# --- the drivers ---------------------------------------------------------------

class Firefox:
    """Firefox ESR through tools/node/firefox.mjs (Puppeteer, WebDriver BiDi)."""

    name = ENGINE_NAMES["firefox"]

    def __init__(self, server: EngineServer, size: tuple[int, int] = PHONE):
        self._log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 (closed in quit())
        firefox = shutil.which(FIREFOX) or FIREFOX
        self._process = subprocess.Popen(["node", "firefox.mjs", firefox, str(size[0]), str(size[1])], cwd=NODE_TOOLS,
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log, text=True)
        self.version = self.eval("navigator.userAgent.match(/Firefox\\/[\\d.]+/)[0]")

    def _ask(self, **command):
        self._process.stdin.write(json.dumps(command) + "\n")
        self._process.stdin.flush()
        line = self._process.stdout.readline()
        if not line:
            self._log.seek(0)
            raise EngineError(f"Firefox stopped: {self._log.read().strip()[-500:]}")
        answer = json.loads(line)
        if "error" in answer:
            raise EngineError(answer["error"])
        return answer["ok"]

    def open(self, url: str) -> None:
        self._ask(op="goto", url=url)

    def eval(self, js: str):
        return self._ask(op="eval", js=js)

    def tap(self, selector: str) -> None:
        self._ask(op="click", selector=selector)

    def type(self, text: str) -> None:
        self._ask(op="type", text=text)

    def errors(self) -> list[str]:
        return self._ask(op="errors")

    def quit(self) -> None:
        self._process.stdin.close()
        try:
            self._process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._process.stdout.close()
        self._log.close()


class WebKit:
    """WebKitGTK's MiniBrowser through Debian's WebKitWebDriver (Selenium),
    in a virtual display (xvfb-run). Each page opens in a frame of phone
    width; script errors come from the server's error probe."""

    name = ENGINE_NAMES["webkit"]

    def __init__(self, server: EngineServer, size: tuple[int, int] = PHONE):
        from selenium import webdriver
        from selenium.webdriver.remote.client_config import ClientConfig
        from selenium.webdriver.remote.remote_connection import RemoteConnection
        from selenium.webdriver.webkitgtk.options import Options

        self._server, self._size = server, size
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        # Its own process group: xvfb-run starts Xvfb and the driver, and all
        # of them end with the test.
        self._process = subprocess.Popen(["xvfb-run", "-a", WEBKIT_DRIVER, f"--port={port}"], start_new_session=True,
                                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + WAIT
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=POLL).close()
                break
            except OSError:
                if time.monotonic() > deadline or self._process.poll() is not None:
                    self.quit()
                    raise EngineError("WebKitWebDriver did not start under xvfb-run") from None
                time.sleep(POLL)
        try:
            connection = RemoteConnection(client_config=ClientConfig(remote_server_addr=f"http://127.0.0.1:{port}"))
            self._driver = webdriver.Remote(command_executor=connection, options=Options())
            self._driver.set_window_size(*size)
            self._driver.set_script_timeout(WAIT * 3)
            self.version = "WebKitGTK " + self._driver.capabilities.get("browserVersion", "?")
            # What the window gives without the frame (the engine's minimum width).
            self._driver.get(server.url + FRAME_PATH + "?w=1&h=1&src=about%3Ablank")
            self.window_width = self._driver.execute_script("return innerWidth")
        except Exception:
            self.quit()
            raise

    def open(self, url: str) -> None:
        from selenium.webdriver.common.by import By

        self._driver.switch_to.default_content()
        self._driver.get(self._server.framed(url, *self._size))  # returns when the frame has loaded too
        self._driver.switch_to.frame(self._driver.find_element(By.TAG_NAME, "iframe"))
        if self.eval("location.href") == "about:blank":
            raise EngineError(f"{url} did not open")

    def eval(self, js: str):
        answer = self._driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            f"Promise.resolve().then(() => ({js})).then(v => done({{ok: v === undefined ? null : v}}),"
            " e => done({error: String(e)}));")
        if "error" in answer:
            raise EngineError(answer["error"])
        return answer["ok"]

    def tap(self, selector: str) -> None:
        from selenium.webdriver.common.by import By

        self._driver.find_element(By.CSS_SELECTOR, selector).click()

    def type(self, text: str) -> None:
        # The focused element of the frame (WebKitGTK's "active element"
        # answers for the top page, which the frame is not part of).
        self._driver.execute_script("return document.activeElement").send_keys(text)

    def errors(self) -> list[str]:
        return self.eval("(window.__engineErrors || ['the error probe did not load']).splice(0)")

    def quit(self) -> None:
        driver = getattr(self, "_driver", None)
        if driver:
            with contextlib.suppress(Exception):  # a browser that has gone already
                driver.quit()
        with contextlib.suppress(ProcessLookupError):  # it has ended already
            os.killpg(self._process.pid, signal.SIGTERM)
        self._process.wait(timeout=20)


DRIVERS = {"firefox": Firefox, "webkit": WebKit}


# --- the checks ------------------------------------------------------------

def wait_for(driver, js: str, timeout: float = WAIT):
    """The value of `js` once it is truthy, or its last value after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        value = driver.eval(js)
        if value or time.monotonic() > deadline:
            return value
        time.sleep(POLL)


# What a patient sees on opening a page: the window's width, how far the
# page reaches beyond it, and whether the heading (in the first screen) and
# the list of sections are drawn where they can be read. 1 px of room on the
# right: box edges fall on fractions of a pixel. Opacity 0.1: below that the
# eye does not see it (the keyboard walk's rule, test_keyboard.py).
LAYOUT = """(() => {
  const drawn = (el) => {
    if (!el) return false;
    const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    let opacity = 1;
    for (let e = el; e; e = e.parentElement) opacity *= parseFloat(getComputedStyle(e).opacity);
    return r.width > 0 && r.height > 0 && r.left >= 0 && r.right <= innerWidth + 1
      && s.visibility === 'visible' && opacity > 0.1;
  };
  const h1 = document.querySelector('article h1') || document.querySelector('h1');
  const root = document.documentElement;
  return {width: innerWidth, sideways: Math.max(root.scrollWidth, document.body.scrollWidth) - root.clientWidth,
          heading: drawn(h1) && h1.getBoundingClientRect().top < innerHeight && h1.getBoundingClientRect().bottom > 0,
          contents: drawn(document.querySelector('article .leaflet-contents')),
          search: drawn(document.querySelector('.leaflet-search-button')),
          word: !!document.querySelector('article abbr')};
})()"""
# The pages of the search's results, best first (each result groups one page;
# its first link is the page itself).
RESULTS = """[...document.querySelectorAll('.md-search-result__item')].map(item => {
  const link = item.querySelector('a'); if (!link) return '';
  const url = new URL(link.href); return url.origin + url.pathname; })"""
TIP = """(() => {
  const word = document.querySelector('article abbr');
  const tip = [...document.querySelectorAll('.leaflet-tip')].find(t => !t.hidden);
  const r = tip ? tip.getBoundingClientRect() : null;
  return {word: word.textContent.trim(), text: tip ? tip.textContent.trim() : null,
          inWindow: !!r && r.width > 0 && r.left >= 0 && r.right <= innerWidth + 1
            && r.top < innerHeight && r.bottom > 0};
})()"""


@dataclass
class Seen:
    """What the checks did in one engine: for the summary, and to prove that
    each check ran."""
    widths: set[int] = field(default_factory=set)
    pages: int = 0
    searches: int = 0
    taps: int = 0
    offline: int = 0


def check_page(driver, url: str, seen: Seen, *, question: tuple[str, str] | None = None,
               meanings: dict[str, str] | None = None, contents: bool = False, search: bool = False) -> list[str]:
    """The phone checks of one page, online. `question` is (words typed,
    address of the page that answers them; asked when given); `meanings` the
    glossary's words and meanings (a word on the page is tapped when given);
    `contents` and `search`: whether the list of sections and the search
    button belong on this page. Returns the problems, in plain words."""
    where = f"{driver.name}: {urlsplit(url).path}"
    try:
        driver.open(url)
    except EngineError as error:
        return [f"{where} did not open: {error}"]
    seen.pages += 1
    if not wait_for(driver, READY):
        return ([f"{where}: the page's script never finished setting it up"]
                + [f"{where}: script error: {e}" for e in driver.errors()])
    layout = driver.eval(LAYOUT)
    seen.widths.add(layout["width"])
    problems = []
    if layout["width"] != PHONE[0]:
        problems.append(f"{where}: the window is {layout['width']} px wide, "
                        f"not the {PHONE[0]} px of the phone asked for")
    if layout["sideways"] > 0:
        problems.append(f"{where}: the page scrolls sideways by {layout['sideways']} px")
    if not layout["heading"]:
        problems.append(f"{where}: the page's heading is not visible on opening it")
    if contents and not layout["contents"]:
        problems.append(f"{where}: the list of sections is not visible")
    if meanings is not None and layout["word"]:
        problems += _tap_a_word(driver, where, meanings, seen)
    if search and not layout["search"]:
        problems.append(f"{where}: no search button to tap")
    elif search and question is not None:
        problems += _search(driver, where, question, seen)
    problems += [f"{where}: script error: {e}" for e in driver.errors()]
    return problems


def _tap_a_word(driver, where: str, meanings: dict[str, str], seen: Seen) -> list[str]:
    driver.eval("document.querySelector('article abbr').scrollIntoView({block: 'center'})")
    driver.tap("article abbr")
    seen.taps += 1
    tip = driver.eval(TIP)
    if tip["text"] is None:
        return [f"{where}: tapping the word '{tip['word']}' showed no meaning"]
    if tip["text"] != meanings.get(tip["word"]):
        return [f"{where}: tapping '{tip['word']}' showed '{tip['text']}', not its meaning in the glossary"]
    if not tip["inWindow"]:
        return [f"{where}: the meaning of '{tip['word']}' shows outside the screen"]
    return []


def _search(driver, where: str, question: tuple[str, str], seen: Seen) -> list[str]:
    words, answer = question
    driver.tap(".leaflet-search-button")
    if not wait_for(driver, "document.activeElement && document.activeElement.matches('.md-search__input')"):
        return [f"{where}: tapping Search did not put the cursor in the search box"]
    driver.type(words)
    seen.searches += 1
    found = wait_for(driver, f"(r => r.slice(0, 3).includes({json.dumps(answer)}) && r)({RESULTS})")
    top = found or driver.eval(RESULTS)[:3]
    if answer not in top:
        return [f"{where}: searching for '{words}' did not find {urlsplit(answer).path} in the first 3 results "
                f"(found {[urlsplit(u).path for u in top]})"]
    return []


# The service worker has finished keeping this version (it activates only
# once every file of its list is saved).
KEPT = """(() => {
  if (!('serviceWorker' in navigator)) return 'this browser has no service workers';
  if (!window.isSecureContext) return 'the page is not a secure context';
  return navigator.serviceWorker.getRegistration().then(r => !r ? 'no service worker registered'
    : (r.active ? 'kept' : 'the service worker did not finish'));
})()"""


def wait_until_kept(driver, url: str) -> list[str]:
    """After a visit: wait until the page's version is kept for reading offline."""
    driver.open(url)
    state = None
    deadline = time.monotonic() + WAIT
    while state != "kept" and time.monotonic() < deadline:
        state = driver.eval(KEPT)
        time.sleep(POLL)
    return [] if state == "kept" else [f"{driver.name}: offline reading is not set up: {state}"]


def check_offline(driver, url: str, seen: Seen) -> list[str]:
    """With no connection, the page opens from what the first visit kept."""
    where = f"{driver.name}: {urlsplit(url).path}"
    try:
        driver.open(url)
        heading = driver.eval("(document.querySelector('article h1') || {}).textContent || ''").strip()
    except EngineError as error:
        return [f"{where} did not open offline: {error}"]
    if not heading:
        return [f"{where} did not open offline"]
    seen.offline += 1
    return []
