"""hosting/nginx.conf, as a hospital would run it: the published tree (two
releases) served by real nginx over real HTTPS, every rule checked on the
answers, and the MDN HTTP Observatory's grade. Each check is also shown
failing on a configuration with one rule broken. `make host-check` runs this
file and prints the grades."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from hosting import (CHECKS, CONFIG, GRADES, Paths, nginx_binary, loopback_address, observatory, observatory_ready,
                     redirect_page_faults, serve)

pytestmark = pytest.mark.skipif(nginx_binary() is None, reason="nginx is not installed (apt-get install nginx-light)")

CONFIG_TEXT = CONFIG.read_text(encoding="utf-8")
# The service worker takes charge and fills its cache in about a second here;
# ten allow for a busy CI machine.
SERVICE_WORKER_WAIT_MS = 10_000
# Observatory grade wanted everywhere: A+ is its top grade (100 or more of 100,
# with extra credit); the aim.
WANTED_GRADE = "A+"
NO_STANDARD_PORTS = "it reaches ports 80 and 443 only, which need root and no other server on them"


@pytest.fixture(scope="module")
def server(published):
    with serve(published.tree, CONFIG_TEXT, loopback_address(0)) as running:
        yield running


@pytest.fixture(scope="module")
def paths(published) -> Paths:
    return Paths.of(published.tree)


@pytest.mark.parametrize("check", list(CHECKS))
def test_the_configuration_passes(server, paths, check):
    assert CHECKS[check](server, paths) == []


# One rule broken at a time: the check that guards it must fail. Each is
# (what is broken, the text of hosting/nginx.conf it changes, what it
# becomes, the check that must find it).
BROKEN = [
    ("one security header removed", 'add_header X-Content-Type-Options "nosniff" always;', "", "security headers"),
    ("security headers left off 404s", '" always;\n', '";\n', "security headers"),
    ("frame-ancestors left out", "; frame-ancestors 'none'", "", "security headers"),
    ("a published version revalidated", '"public, max-age=31536000, immutable"', '"no-cache"', "cache"),
    ("sw.js cached like its version", '~/sw\\.js$             "no-cache";', "", "cache"),
    ("a 404 cached for a year", "~^[23]    $leaflet_cache_by_kind;", "~.    $leaflet_cache_by_kind;", "cache"),
    ("no JSON compression", "application/json ", "", "compression"),
    ("no Vary header", "gzip_vary on;", "gzip_vary off;", "compression"),
    ("no manifest type", "default_type application/manifest+json;", "", "content types"),
    ("folders listed", "autoindex off;", "autoindex on;", "not found"),
    ("the root's 404 page everywhere", "${leaflet_version}404.html", "${leaflet_version}../404.html", "not found"),
    ("404 page with status 200", "error_page 403 404 =404", "error_page 403 404 =200", "not found"),
    ("HTTP served as it is", "return 301 https://$host$request_uri;", "root /nowhere;", "redirect"),
]


@pytest.mark.parametrize("slot, what, old, new, check", [(i + 1, *b) for i, b in enumerate(BROKEN)],
                         ids=[b[0] for b in BROKEN])
def test_each_check_fails_on_a_broken_configuration(published, paths, slot, what, old, new, check):
    assert old in CONFIG_TEXT, f"hosting/nginx.conf no longer has {old!r}: update this test"
    broken = CONFIG_TEXT.replace(old, new)
    with serve(published.tree, broken, loopback_address(slot)) as running:
        assert CHECKS[check](running, paths), f"{what}: the {check} check did not notice"


def test_the_root_redirect_page_has_the_policy_and_language_of_every_page(published):
    root = (published.tree / "index.html").read_text(encoding="utf-8")
    latest = (published.latest / "index.html").read_text(encoding="utf-8")
    assert redirect_page_faults(root, latest) == []
    # Shown failing: the page without its policy, or in another language.
    no_policy = root.replace("Content-Security-Policy", "X-Nothing")
    assert redirect_page_faults(no_policy, latest)
    assert redirect_page_faults(root.replace('lang="', 'lang="x-', 1), latest)


def _grades(server, paths) -> dict[str, tuple[str, int]]:
    out = {}
    for path in (paths.root, paths.latest, paths.versions[0]):
        scan = observatory(server, path)["scan"]
        out[path] = (scan["grade"], scan["score"])
    return out


def test_the_observatory_grades_it_a_plus(server, paths):
    why_not = observatory_ready() or (None if server.standard_ports else NO_STANDARD_PORTS)
    if why_not:
        pytest.skip(f"MDN HTTP Observatory not run: {why_not}")
    grades = _grades(server, paths)
    GRADES.parent.mkdir(exist_ok=True)
    GRADES.write_text("MDN HTTP Observatory: " + ", ".join(f"{p} {g} ({s})" for p, (g, s) in grades.items()) + "\n")
    assert {p: g for p, (g, _) in grades.items()} == {p: WANTED_GRADE for p in grades}, grades


def test_the_observatory_grade_falls_without_one_header(published, paths):
    why_not = observatory_ready()
    if why_not:
        pytest.skip(f"MDN HTTP Observatory not run: {why_not}")
    broken = CONFIG_TEXT.replace('add_header Strict-Transport-Security "max-age=63072000" always;', "")
    with serve(published.tree, broken, loopback_address(len(BROKEN) + 1)) as running:
        if not running.standard_ports:
            pytest.skip(f"MDN HTTP Observatory not run: {NO_STANDARD_PORTS}")
        scan = observatory(running, paths.latest)["scan"]
    assert scan["grade"] != WANTED_GRADE, scan



def browser_faults(server, paths, latest: Path) -> list[str]:
    """Chromium (trusting the test's certificate, so the service worker may
    register) opens a section of the oldest version and of /latest/: what the
    header policy and the page's own refuse, and the sections of /latest/
    that do not open offline afterwards."""
    from playwright.sync_api import Error

    from browser import open_page, site_pages
    from leaflet_site import chromium
    from leaflet_site.names import SERVICE_WORKER

    faults = []
    with chromium.launched(f"--ignore-certificate-errors-spki-list={server.spki}") as browser:
        context = browser.new_context(viewport={"width": 375, "height": 812})
        for folder in (paths.versions[0], paths.latest):
            page = open_page(context, server.https_url + paths.section(folder))
            faults += [f"{folder}: {m}" for m in page.messages
                       if "Content Security Policy" in m or "Permissions" in m or "ServiceWorker" in m]
        if faults:
            return faults
        try:
            # A worker the browser refuses is refused at once: registering it
            # again (as leaflet.js did; the same registration) says why, with
            # no need to wait for it to take charge.
            refused = page.evaluate("url => navigator.serviceWorker.register(url).then(() => '', e => e.message)",
                                    server.https_url + paths.latest + SERVICE_WORKER)
            if refused:
                return faults + [f"the service worker was refused: {refused}"]
            # The service worker takes charge and fills its cache (it
            # fetches the version's pages in the background).
            page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=SERVICE_WORKER_WAIT_MS)
            page.wait_for_function("""() => caches.keys().then(keys => Promise.all(keys.map(k => caches.open(k).then(c => c.keys()))))
                                      .then(lists => lists.flat().length > 20)""", timeout=SERVICE_WORKER_WAIT_MS)
        except Error as error:
            return faults + [f"the service worker did not take charge: {error.message.splitlines()[0]}"]
        context.set_offline(True)
        for path in [p for p in site_pages(latest) if p != "404.html"]:
            with contextlib.suppress(Error):
                page.goto(server.https_url + paths.latest + path)
            if page.locator("article h1").count() < 1:
                faults.append(f"{paths.latest}{path} did not open offline")
        context.close()
    return faults


@pytest.mark.browser
def test_pages_work_and_read_offline_under_the_headers(server, paths, published):
    assert browser_faults(server, paths, published.latest) == []


BROKEN_FOR_BROWSERS = [
    # A header policy that names no script: it blocks the theme's inline scripts.
    ("scripts blocked", "add_header Content-Security-Policy \"", "add_header Content-Security-Policy \"script-src 'self'; "),
    # A service worker served as text: the browser refuses to register it.
    ("sw.js as text", "    location / {\n    }", "    location / {\n    }\n    location ~ sw\\.js$ { types { } default_type text/plain; }"),
]


@pytest.mark.browser
@pytest.mark.parametrize("slot, what, old, new", [(len(BROKEN) + 2 + i, *b) for i, b in enumerate(BROKEN_FOR_BROWSERS)],
                         ids=[b[0] for b in BROKEN_FOR_BROWSERS])
def test_the_browser_check_fails_on_a_broken_configuration(published, paths, slot, what, old, new):
    assert old in CONFIG_TEXT, f"hosting/nginx.conf no longer has {old!r}: update this test"
    with serve(published.tree, CONFIG_TEXT.replace(old, new, 1), loopback_address(slot)) as running:
        assert browser_faults(running, paths, published.latest), f"{what}: the browser check did not notice"
