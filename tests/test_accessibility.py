"""Accessibility and privacy in a real browser: axe-core (WCAG 2.0, 2.1 and
2.2 A and AA, plus best practices) on every built page, the print page
included, at three window sizes in light and dark mode; no request to any
other host; no cookies; reflow at 320 CSS pixels; the Content-Security-Policy
blocks nothing the site needs."""

from __future__ import annotations

from pathlib import Path

import pytest

from browser import (SCHEMES, VIEWPORTS, axe_violations, csp_violations, describe, each_page, horizontal_overflow,
                     open_page, other_hosts, serve, site_pages, with_axe)
from helpers import build, copy_project, edit

pytestmark = pytest.mark.browser

@pytest.mark.slow
@pytest.mark.parametrize("scheme", SCHEMES)
def test_every_page_has_no_violations(browser, site: Path, base_url: str, scheme: str):
    """Each page is loaded once per colour scheme (the colours are chosen as
    it loads) and audited at each window size in turn (the layout follows the
    window at once)."""
    (width, height), *others = VIEWPORTS
    context = with_axe(browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme))
    problems = []
    for path, page in each_page(context, base_url, site_pages(site)):
        # Audit each size at rest, not halfway through Material's transitions.
        page.add_style_tag(content="*, ::before, ::after { transition: none !important; }")
        for width, height in VIEWPORTS:
            page.set_viewport_size({"width": width, "height": height})
            where = f"/{path} at {width}x{height} ({scheme})"
            problems += [f"{where}: {d}" for d in describe(axe_violations(page))]
            if width == 320 and horizontal_overflow(page) > 0:
                problems.append(f"{where}: scrolls sideways by {horizontal_overflow(page)} px")
        problems += [f"/{path}: request to another host: {u}" for u in other_hosts(page.requests, base_url)]
        problems += [f"/{path}: blocked by the Content-Security-Policy: {m}" for m in csp_violations(page.messages)]
    cookies = context.cookies()
    context.close()
    assert not cookies, f"The site set cookies: {cookies}"
    assert not problems, "\n".join(problems)


BAD_PAGE = """# Bad page

<img src="scan.png">

<p style="color: #bbbbbb">This grey text is too pale to read on white.</p>

<a href="../risks/"><span></span></a>

<img src="https://images.example.org/tracker.png" alt="A picture from another website">
"""


def test_a_page_with_known_faults_fails(browser, tmp_path: Path):
    """The audit is not blind: missing alt text, low contrast, a link with no
    name and an image from another host are all reported."""
    project = copy_project(tmp_path / "project")
    (project / "docs" / "bad.md").write_text(BAD_PAGE)
    (project / "docs" / "scan.png").write_bytes(Path(__file__).with_name("pixel.png").read_bytes())
    edit(project / "mkdocs.yml", "  - Words we use: glossary.md", "  - Words we use: glossary.md\n  - Bad: bad.md")
    assert build(project, strict=False).returncode == 0
    context = browser.new_context(viewport={"width": 375, "height": 812})
    with serve(project / "site") as url:
        page = open_page(context, url + "bad/")
        found = {v["id"] for v in axe_violations(page)}
        hosts = other_hosts(page.requests, url)
    context.close()
    assert {"image-alt", "color-contrast", "link-name"} <= found
    assert hosts == ["https://images.example.org/tracker.png"]


def test_the_old_versions_pages_have_no_violations(browser, published, tree_url: str):
    """A published older version stays as it was: its pages (banner and
    all) pass the same audit, here at the smallest phone size, as the other
    engines read it: its home page and the page that changed."""
    (width, height) = VIEWPORTS[0]
    context = with_axe(browser.new_context(viewport={"width": width, "height": height}))
    problems = []
    for path, page in each_page(context, tree_url, published.earlier_pages):
        page.add_style_tag(content="*, ::before, ::after { transition: none !important; }")
        problems += [f"/{path}: {d}" for d in describe(axe_violations(page))]
        problems += [f"/{path}: request to another host: {u}" for u in other_hosts(page.requests, tree_url)]
    context.close()
    assert not problems, "\n".join(problems)
