"""The security policy every page carries: it loads only from its own site."""

from __future__ import annotations

import base64
import hashlib

from .findings import LeafletError
from .html_tags import Tag, first_tag, scripts, start_tags


# What every page allows, whatever its scripts: also sent by a web server as
# a header (hosting/nginx.conf), for the files that are not pages.
SAME_ON_EVERY_PAGE = [
    "style-src 'self' 'unsafe-inline'",  # the theme sets style attributes
    "img-src 'self' data:",               # the theme's icons are data: URLs
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
]


def content_security_policy(page_html: str) -> str:
    """A policy that lets the page load only from its own site: the inline
    scripts the theme writes are allowed by their hashes, nothing else."""
    hashes = sorted({
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode() + "'"
        for body in (s.body(page_html) for s in scripts(page_html) if s.inline_code)
    })
    return "; ".join([
        "default-src 'self'",
        " ".join(["script-src 'self'", *hashes]),
        *SAME_ON_EVERY_PAGE,
    ])


def header_policy() -> str:
    """The policy a web server sends as a header with every response
    (hosting/nginx.conf). A browser applies both it and the page's own meta
    policy, so it leaves out what differs from page to page (default-src and
    script-src: the meta names each page's script hashes, and a header
    default-src would block them), and adds what only works in a header:
    frame-ancestors, so no other site can show the leaflet in a frame."""
    return "; ".join([*SAME_ON_EVERY_PAGE, "frame-ancestors 'none'"])


def add_csp(page_html: str) -> str:
    """The page with its policy first in its head. The policy hashes the
    page's scripts as they are: run it after every change to a script."""
    if _policy_meta(page_html) is not None:  # a page MkDocs did not build again (mkdocs serve --dirty)
        return renew_csp(page_html)
    meta = f'<meta http-equiv="Content-Security-Policy" content="{content_security_policy(page_html)}">'
    head = first_tag(page_html, "head")
    if head is None:
        raise LeafletError("overrides/main.html", None, "A built page has no <head>, so it cannot get its security policy.",
                           "Keep the theme's base.html as the page's template.")
    return page_html[:head.end] + "\n    " + meta + page_html[head.end:]


def _policy_meta(page_html: str) -> Tag | None:
    head = first_tag(page_html, "head")
    stop = page_html.find("</head>")
    if head is None or stop == -1:
        return None
    return next((t for t in start_tags(page_html, "meta", head.end, stop)
                 if t.get("http-equiv") == "Content-Security-Policy"), None)


def renew_csp(page_html: str) -> str:
    """The page's policy worked out again, after a change to its scripts."""
    tag = _policy_meta(page_html)
    if tag is None:
        return page_html
    written = page_html[tag.start:tag.end]
    old = f'content="{tag.get("content")}"'
    at = written.find(old)
    if at == -1:
        return page_html
    new = f'content="{content_security_policy(page_html)}"'
    return page_html[:tag.start + at] + new + page_html[tag.start + at + len(old):]
