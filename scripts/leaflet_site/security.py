"""The security policy every page carries: it loads only from its own site."""

from __future__ import annotations

import base64
import hashlib

from .findings import LeafletError
from .styles import INLINE_SCRIPT


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
        for body in INLINE_SCRIPT.findall(page_html)
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
    meta = f'<meta http-equiv="Content-Security-Policy" content="{content_security_policy(page_html)}">'
    head = page_html.find("<head>")
    if head == -1:
        raise LeafletError("overrides/main.html", None, "A built page has no <head>, so it cannot get its security policy.",
                           "Keep the theme's base.html as the page's template.")
    at = head + len("<head>")
    return page_html[:at] + "\n    " + meta + page_html[at:]
