"""The published tree served by real nginx with hosting/nginx.conf, over
real HTTPS, and what a browser gets from it.

A throwaway certificate authority (openssl, made at test time) signs the
server's certificate; the requests and the MDN HTTP Observatory trust only
it. nginx runs in the foreground from a temporary folder (its own pid file,
logs and temporary files), with the configuration's three values set to the
test's paths, and its `listen` lines to a loopback address of the test. Run
as root (CI), it listens on ports 80 and 443, the only ones the Observatory
reaches; otherwise (or when another server holds them) on free ports, and
the Observatory is not run.

Each check takes the running server and returns what is wrong, one line a
fault, so a test can show the same check failing on a broken configuration.
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import hashlib
import http.client
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from helpers import LEAFLET, ROOT

from leaflet_site import security

CONFIG = ROOT / "hosting" / "nginx.conf"
OBSERVATORY = ROOT / "tools" / "node" / "node_modules" / "@mdn" / "mdn-http-observatory"
GRADES = ROOT / "build" / "observatory.txt"  # the last scan's grades, printed by `make host-check`
SITE_PATH = LEAFLET.addresses.path  # /nerve-root-injection/

# The headers every answer carries (page, file, "page not found"), and their values.
SECURITY_HEADERS = {
    "Content-Security-Policy": security.header_policy(),
    "Strict-Transport-Security": None,  # any value: the test below reads max-age
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": None,  # any value: what it turns off is checked below
}
# The Observatory's and the HSTS preload list's floor is six months; the
# configuration asks for two years.
HSTS_MIN_SECONDS = 182 * 24 * 3600
# Features the leaflet uses, which the Permissions-Policy must leave on.
USED_FEATURES = ["web-share", "clipboard-write"]
# Features it never uses, which must be off.
UNUSED_FEATURES = ["camera", "microphone", "geolocation", "payment", "usb"]
# A published version's files: a year (the longest HTTP caching allows in practice).
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"


def nginx_binary() -> str | None:
    found = shutil.which("nginx") or "/usr/sbin/nginx"
    return found if Path(found).is_file() else None


# --- a throwaway certificate authority ------------------------------------

def certificate_authority(folder: Path, address: str) -> tuple[Path, Path, Path]:
    """A certificate authority and a server certificate it signs for
    `address` (an IP address, as the server has no name). Returns the
    authority's certificate, the server's certificate and its key."""
    ca_key, ca, key, csr, cert = (folder / n for n in ("ca.key", "ca.pem", "site.key", "site.csr", "site.pem"))
    ext = folder / "site.ext"
    ext.write_text(f"subjectAltName=IP:{address}\nbasicConstraints=critical,CA:FALSE\n"
                   "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n")
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    for cmd in (
        ["req", "-x509", *ec, "-keyout", ca_key, "-out", ca, "-days", "2", "-subj", "/CN=Leaflet test authority",
         "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign"],
        ["req", "-new", *ec, "-keyout", key, "-out", csr, "-subj", f"/CN={address}"],
        ["x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key, "-CAcreateserial", "-out", cert, "-days", "2",
         "-extfile", ext],
    ):
        subprocess.run(["openssl", *map(str, cmd)], check=True, capture_output=True)
    return ca, cert, key


def spki(cert: Path) -> str:
    """The base64 SHA-256 of a certificate's public key, as Chromium's
    --ignore-certificate-errors-spki-list takes it."""
    key = subprocess.run(["openssl", "x509", "-pubkey", "-noout", "-in", str(cert)], capture_output=True, check=True).stdout
    der = subprocess.run(["openssl", "pkey", "-pubin", "-outform", "der"], input=key, capture_output=True, check=True).stdout
    return base64.b64encode(hashlib.sha256(der).digest()).decode()


# --- the configuration, with the test's values ----------------------------

def render(config: str, root: Path, cert: Path, key: Path, address: str, http_port: int, https_port: int) -> str:
    """hosting/nginx.conf with its three values set to the test's paths and
    its `listen` lines to the test's address (no IPv6: the test needs none)."""
    values = {"root": root, "ssl_certificate": cert, "ssl_certificate_key": key}
    out = config
    for name, value in values.items():
        out, found = re.subn(rf"^(\s*){name} [^;]+;", rf"\g<1>{name} {value};", out, flags=re.M)
        assert found, f"hosting/nginx.conf has no {name} line to set"
    out = re.sub(r"^\s*listen \[::\].*\n", "", out, flags=re.M)
    out = re.sub(r"^(\s*)listen 80;", rf"\g<1>listen {address}:{http_port};", out, flags=re.M)
    out = re.sub(r"^(\s*)listen 443 ", rf"\g<1>listen {address}:{https_port} ", out, flags=re.M)
    return out


MAIN = """worker_processes 1;
daemon off;
{user}
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy; fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
    include {tmp}/leaflets.conf;
}}
"""


@dataclass
class Server:
    address: str
    http_port: int
    https_port: int
    ca: Path
    tree: Path  # the published tree it serves at SITE_PATH
    spki: str   # the server key's SHA-256 (base64), for Chromium to trust its certificate

    @property
    def https_url(self) -> str:
        return f"https://{self.host(self.https_port)}"

    @property
    def standard_ports(self) -> bool:
        return (self.http_port, self.https_port) == (80, 443)

    def host(self, port: int) -> str:
        return self.address if port in (80, 443) else f"{self.address}:{port}"

    def get(self, path: str, headers: dict | None = None, https: bool = True) -> Response:
        """One request, no redirect followed, nothing decompressed."""
        if https:
            context = ssl.create_default_context(cafile=str(self.ca))
            conn = http.client.HTTPSConnection(self.address, self.https_port, context=context, timeout=10)
        else:
            conn = http.client.HTTPConnection(self.address, self.http_port, timeout=10)
        try:
            conn.request("GET", path, headers=headers or {})
            r = conn.getresponse()
            return Response(path, r.status, {k.lower(): v for k, v in r.getheaders()}, r.read())
        finally:
            conn.close()


@dataclass
class Response:
    path: str
    status: int
    headers: dict[str, str]
    body: bytes

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


def _free_port(address: str) -> int:
    with socket.socket() as s:
        s.bind((address, 0))
        return s.getsockname()[1]


def _can_listen(address: str, port: int) -> bool:
    """False when another server holds the port on every address (0.0.0.0).
    A connection of a run before, closing (TIME_WAIT), does not count: nginx
    reuses the address too."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((address, port))
        except OSError:
            return False
    return True


@contextlib.contextmanager
def serve(tree: Path, config: str, address: str):
    """nginx serving `tree` at SITE_PATH with `config` (the text of a
    configuration like hosting/nginx.conf), until the block ends."""
    binary = nginx_binary()
    assert binary, "nginx is not installed. Fix: apt-get install nginx-light (or bash .ci/run)."
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ca, cert, key = certificate_authority(folder, address)
        www = folder / "www"
        (www / SITE_PATH.strip("/")).parent.mkdir(parents=True)
        (www / SITE_PATH.strip("/")).symlink_to(tree.resolve(), target_is_directory=True)
        # The tree has no web app manifest yet; one outside the leaflet's
        # folder checks the type the configuration gives it.
        (www / "probe").mkdir()
        (www / "probe" / "site.webmanifest").write_text('{"name": "probe"}')
        root = os.geteuid() == 0
        standard = root and _can_listen(address, 80) and _can_listen(address, 443)
        http_port, https_port = (80, 443) if standard else (_free_port(address), _free_port(address))
        (folder / "leaflets.conf").write_text(render(config, www, cert, key, address, http_port, https_port))
        # Started as root, nginx's workers would drop to a user that cannot
        # read this folder; keep them as the user that runs the test.
        (folder / "nginx.conf").write_text(MAIN.format(tmp=tmp, user="user root;" if root else ""))
        log = folder / "error.log"
        with open(folder / "output.log", "wb") as output:
            process = subprocess.Popen([binary, "-p", tmp, "-c", str(folder / "nginx.conf")],
                                       stdout=output, stderr=subprocess.STDOUT)
            try:
                _wait_for(process, address, https_port, log, folder / "output.log")
                yield Server(address, http_port, https_port, ca, tree, spki(cert))
            finally:
                process.terminate()
                process.wait(timeout=10)


def _wait_for(process: subprocess.Popen, address: str, port: int, *logs: Path) -> None:
    for _ in range(100):  # nginx starts in well under a second; give it 5 s on a busy machine
        if process.poll() is not None:
            said = " ".join(log.read_text() for log in logs if log.is_file())
            raise RuntimeError(f"nginx stopped: {said}")
        with contextlib.suppress(OSError), socket.create_connection((address, port), timeout=0.1):
            return
        time.sleep(0.05)
    raise RuntimeError(f"nginx did not start listening on {address}:{port}")


def loopback_address(slot: int) -> str:
    """A loopback address of this test: 127.0.31.N, one for each server a
    test run starts (pytest-xdist workers included), so none collides."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return f"127.0.31.{1 + int(worker.removeprefix('gw')) * 40 + slot}"


# --- what is served --------------------------------------------------------

@dataclass(frozen=True)
class Paths:
    """The addresses the checks ask for, from the tree and the leaflet's
    model (never written out): pages, files and missing pages of the root,
    /latest/ and each version."""
    root: str
    latest: str
    versions: list[str]  # /X.Y/ of every published version, oldest first

    @classmethod
    def of(cls, tree: Path) -> Paths:
        versions = [v["version"] for v in json.loads((tree / "versions.json").read_text())]
        folder = LEAFLET.addresses.page("").removeprefix(LEAFLET.addresses.base)  # latest/
        return cls(SITE_PATH, SITE_PATH + folder, [SITE_PATH + v + "/" for v in sorted(versions, key=_key)])

    @property
    def folders(self) -> list[str]:
        return [self.latest, *self.versions]

    def section(self, folder: str) -> str:
        return folder + LEAFLET.sections[0].url

    def missing(self, folder: str) -> str:
        return folder + "no-such-page/"


def _key(version: str) -> tuple[int, ...]:
    return tuple(int(n) for n in version.split("."))


def largest(tree: Path, folder: str, suffix: str) -> str:
    """The address of the largest file with `suffix` in a folder of the tree."""
    local = tree / folder.removeprefix(SITE_PATH)
    path = max((p for p in local.rglob(f"*{suffix}") if p.is_file()), key=lambda p: p.stat().st_size)
    return folder + path.relative_to(local).as_posix()


def every_kind(server: Server, paths: Paths) -> list[str]:
    """A page, a file of each kind and a missing page, at the root, /latest/ and each version."""
    out = [paths.root, paths.root + "versions.json", paths.missing(paths.root)]
    for folder in paths.folders:
        out += [folder, paths.section(folder), folder + "sw.js", paths.missing(folder),
                largest(server.tree, folder, ".pdf"), largest(server.tree, folder, ".css")]
    return out


# --- the checks: each returns what is wrong --------------------------------

def security_header_faults(server: Server, paths: Paths) -> list[str]:
    faults = []
    for path in every_kind(server, paths):
        r = server.get(path)
        for name, value in SECURITY_HEADERS.items():
            got = r.header(name)
            if got is None:
                faults.append(f"{path} ({r.status}): no {name}")
            elif value is not None and got != value:
                faults.append(f"{path}: {name} is {got!r}, not {value!r}")
        hsts = re.search(r"max-age=(\d+)", r.header("Strict-Transport-Security") or "")
        if hsts and int(hsts.group(1)) < HSTS_MIN_SECONDS:
            faults.append(f"{path}: Strict-Transport-Security max-age {hsts.group(1)} is under six months")
        policy = r.header("Permissions-Policy") or ""
        faults += [f"{path}: Permissions-Policy turns off {f}, which the leaflet uses" for f in USED_FEATURES
                   if f"{f}=()" in policy]
        if policy:
            faults += [f"{path}: Permissions-Policy leaves {f} on" for f in UNUSED_FEATURES if f"{f}=()" not in policy]
        if "server" in r.headers and re.search(r"\d", r.headers["server"]):
            faults.append(f"{path}: the Server header gives the version ({r.headers['server']})")
    return faults


def cache_faults(server: Server, paths: Paths) -> list[str]:
    """A published version's files are kept a year untouched; everything that
    changes with a release (the root, versions.json, /latest/, every sw.js)
    and every "page not found" is asked again, with a validator to ask with."""
    want = {}
    for path in every_kind(server, paths):
        in_version = any(path.startswith(v) for v in paths.versions)
        changes = path.endswith("/sw.js") or "no-such-page" in path
        want[path] = IMMUTABLE if in_version and not changes else REVALIDATE
    faults = []
    for path, expected in want.items():
        r = server.get(path)
        got = r.header("Cache-Control")
        if got != expected:
            faults.append(f"{path} ({r.status}): Cache-Control {got!r}, not {expected!r}")
        if expected == REVALIDATE and r.status == 200 and not (r.header("ETag") or r.header("Last-Modified")):
            faults.append(f"{path}: revalidated, but has no ETag or Last-Modified to revalidate with")
    return faults


def compression_faults(server: Server, paths: Paths) -> list[str]:
    """HTML, CSS, JavaScript, JSON, SVG and XML are sent compressed to a
    browser that accepts it, and unpack to the file."""
    faults = []
    for suffix in (".html", ".css", ".js", ".json", ".svg", ".xml"):
        path = largest(server.tree, paths.latest, suffix)
        r = server.get(path, {"Accept-Encoding": "gzip"})
        if r.header("Content-Encoding") != "gzip":
            faults.append(f"{path}: not compressed ({r.header('Content-Type')})")
        elif gzip.decompress(r.body) != (server.tree / path.removeprefix(SITE_PATH)).read_bytes():
            faults.append(f"{path}: compressed, but does not unpack to the file")
        elif "Accept-Encoding" not in (r.header("Vary") or ""):
            faults.append(f"{path}: compressed without Vary: Accept-Encoding (a shared cache could send it to any browser)")
    return faults


def content_type_faults(server: Server, paths: Paths) -> list[str]:
    want = {
        largest(server.tree, paths.latest, ".pdf"): "application/pdf",
        "/probe/site.webmanifest": "application/manifest+json",
        paths.latest: "text/html; charset=utf-8",
        paths.latest + "sw.js": "application/javascript",  # a service worker must be served as JavaScript
        paths.root + "versions.json": "application/json",
    }
    faults = []
    for path, expected in want.items():
        got = server.get(path).header("Content-Type") or ""
        if got.split(";")[0] != expected.split(";")[0] or ("charset" in expected and "utf-8" not in got.lower()):
            faults.append(f"{path}: Content-Type {got!r}, not {expected!r}")
    return faults


def not_found_faults(server: Server, paths: Paths) -> list[str]:
    """A missing address answers 404 with the leaflet's "page not found" page
    of its version (or of the root); a folder with no page lists nothing."""
    faults = []
    for folder in (paths.root, *paths.folders):
        path = paths.missing(folder)
        page = (server.tree / folder.removeprefix(SITE_PATH) / "404.html").read_bytes()
        r = server.get(path)
        if r.status != 404:
            faults.append(f"{path}: status {r.status}, not 404")
        if r.body != page:
            faults.append(f"{path}: not {folder}404.html ({r.body[:80]!r})")
    for folder in paths.folders:
        path = folder + "assets/"  # a folder of files, with no page
        r = server.get(path)
        if r.status != 404 or b"Index of" in r.body:
            faults.append(f"{path}: a folder with no page answers {r.status} {r.body[:60]!r}, not 404")
    return faults


def redirect_faults(server: Server, paths: Paths) -> list[str]:
    """Every address over HTTP moves for good to the same address over HTTPS."""
    faults = []
    for path in (paths.root, paths.section(paths.latest), paths.versions[0] + "sw.js"):
        r = server.get(path, https=False)
        want = f"https://{server.host(server.https_port)}{path}"
        if server.standard_ports and (r.status != 301 or r.header("Location") != want):
            faults.append(f"http://{server.host(server.http_port)}{path}: {r.status} to {r.header('Location')}, "
                          f"not 301 to {want}")
        elif not server.standard_ports and (r.status != 301 or not (r.header("Location") or "").startswith("https://")):
            faults.append(f"http:{path}: {r.status} to {r.header('Location')}, not 301 to HTTPS")
    return faults


CHECKS = {
    "security headers": security_header_faults,
    "cache": cache_faults,
    "compression": compression_faults,
    "content types": content_type_faults,
    "not found": not_found_faults,
    "redirect": redirect_faults,
}


def redirect_page_faults(root_page: str, latest_page: str) -> list[str]:
    """The root's redirect page has the security policy every page has (one
    home: leaflet_site.security) and the same language."""
    from lxml import html as lxml_html

    faults = []
    doc, latest = lxml_html.fromstring(root_page), lxml_html.fromstring(latest_page)
    metas = doc.xpath('//meta[@http-equiv="Content-Security-Policy"]/@content')
    if metas != [security.content_security_policy(root_page)]:
        faults.append(f"the root redirect page's security policy is {metas}")
    if doc.get("lang") != latest.get("lang"):
        faults.append(f"the root redirect page's lang is {doc.get('lang')!r}, /latest/'s {latest.get('lang')!r}")
    return faults


# --- the MDN HTTP Observatory ----------------------------------------------

def observatory_ready() -> str | None:
    """Why the Observatory cannot run here, or None."""
    if not (OBSERVATORY / "src" / "scan.js").is_file():
        return "the Node.js tools are not installed (make test installs them)"
    if not (OBSERVATORY / "conf" / "hsts-preload.json").is_file():
        return "conf/hsts-preload.json is missing (make test writes it)"
    if not shutil.which("node"):
        return "Node.js is not installed"
    return None


def observatory(server: Server, path: str) -> dict:
    """The Observatory's scan of one address (it reaches ports 80 and 443
    only; the address's path is passed with the host name). Its own script,
    not its wrapper, which would trust Mozilla's certificate authorities
    instead of the test's."""
    assert server.standard_ports, "the Observatory reaches ports 80 and 443 only"
    done = subprocess.run(["node", str(OBSERVATORY / "src" / "scan.js"), server.address + path],
                          capture_output=True, text=True, timeout=120, cwd=OBSERVATORY,
                          env={**os.environ, "NODE_EXTRA_CA_CERTS": str(server.ca)})
    result = json.loads(done.stdout or "{}")
    assert "scan" in result, f"the Observatory failed on {path}: {done.stdout}{done.stderr}"
    return result
