#!/usr/bin/env python3
"""Page weight and speed, served the way a real host serves the site.

The working tree is published as `make release` does it (mike deploy, into a
throwaway git repository, so the project's own gh-pages branch is left
alone), and the patient-facing addresses /latest/... are measured. nginx
(Debian's package) serves the gh-pages files on 127.0.0.1 with gzip and
cache headers; headless Chromium (the system one, through Playwright) opens
every page with an empty cache and counts the bytes that cross the network
(Chrome's own encodedDataLength), by kind, and the requests to other hosts;
then it opens a second page in the same visit. Lighthouse 12 (npm, from
tools/node) scores each page with its mobile settings when it is
installed. Prints a table and writes bench-web.json.

Usage: python scripts/bench_web.py [--site FOLDER] [--page risks/] [--no-lighthouse]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from leaflet_site import chromium, model
from leaflet_site.check.weight import FIRST_PAINT_BUDGET, FIRST_VISIT_BUDGET, NEXT_PAGE_BUDGET
from leaflet_site.release import deploy
from leaflet_site.names import BRANCH

ROOT = Path(__file__).resolve().parent.parent

# Targets: the check's budgets (leaflet_site/check/weight.py says why each),
# here measured in Chromium as a host serves the pages.
FIRST_VISIT_MAX_KB = FIRST_VISIT_BUDGET // 1024  # everything the first page needs, compressed
NEXT_PAGE_MAX_KB = NEXT_PAGE_BUDGET // 1024      # a second page in the same visit (assets cached)
FIRST_PAINT_MAX_KB = FIRST_PAINT_BUDGET // 1024  # the HTML and what blocks its first paint
# Issue 17's aim for a patient on a slow phone connection:
LCP_MAX_S = 1.0          # Lighthouse's mobile run: text on screen within 1 s
LIGHTHOUSE = ROOT / "tools" / "node" / "node_modules" / ".bin" / "lighthouse"

NGINX_CONF = """
worker_processes 1;
{user}
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{ worker_connections 64; }}
http {{
  include /etc/nginx/mime.types;
  access_log off;
  client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy; fastcgi_temp_path {tmp}/fastcgi;
  uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
  gzip on; gzip_comp_level 6; gzip_min_length 256;
  gzip_types text/css application/javascript application/json image/svg+xml text/xml;
  server {{
    listen 127.0.0.1:{port};
    root {root};
    location ~* \\.(css|js|svg|png|json|pdf)$ {{ add_header Cache-Control "public, max-age=86400"; }}
    location ~* /assets/(stylesheets|javascripts)/ {{ add_header Cache-Control "public, max-age=31536000, immutable"; }}
    location / {{ add_header Cache-Control "no-cache"; }}
  }}
}}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def nginx(site: Path, path: str):
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(binary).exists():
        raise SystemExit("nginx is not installed. Fix: apt-get install nginx-light")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "www"
        mount = root / path.strip("/")
        mount.parent.mkdir(parents=True)
        mount.symlink_to(site.resolve(), target_is_directory=True)
        port = free_port()
        conf = Path(tmp) / "nginx.conf"
        # Started as root (CI), nginx's workers would drop to a user that cannot
        # read this folder; keep them as the user that runs the benchmark.
        user = "user root;" if os.geteuid() == 0 else ""
        conf.write_text(NGINX_CONF.format(tmp=tmp, port=port, root=root, user=user))
        server = subprocess.Popen([binary, "-c", str(conf), "-p", tmp], stderr=subprocess.PIPE)
        try:
            for _ in range(50):
                with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.1):
                    break
                time.sleep(0.1)
            yield f"http://127.0.0.1:{port}{path}"
        finally:
            server.terminate()
            server.wait(timeout=10)


@contextlib.contextmanager
def published():
    """The gh-pages files of the working tree, published by mike into a
    throwaway repository: the versions list, /latest/ and the root redirect
    exactly as patients get them."""
    with tempfile.TemporaryDirectory() as tmp:
        git_dir = Path(tmp) / "repo.git"
        subprocess.run(["git", "init", "-q", "--bare", str(git_dir)], check=True)
        env = {"GIT_DIR": str(git_dir), "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@localhost",
               "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@localhost"}
        deploy(model.load(ROOT).details.version, ROOT, "Speed benchmark", env)
        www = Path(tmp) / "www"
        www.mkdir()
        archive = subprocess.run(["git", "--git-dir", str(git_dir), "archive", BRANCH],
                                 capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(www)], input=archive, check=True)
        yield www


KINDS = {"Document": "html", "Stylesheet": "css", "Script": "js", "Fetch": "search", "XHR": "search",
         "Image": "images", "Font": "fonts"}


# What the browser must have before it paints: stylesheets for the screen and
# scripts in the head that are neither async nor deferred, as the page comes
# from the server (the script before the header switches the rest of the
# stylesheet on once it has arrived; <noscript> is for browsers without scripts).
BLOCKING = """html => {
  const doc = new DOMParser().parseFromString(html.replace(/<noscript>[\\s\\S]*?<\\/noscript>/g, ''), 'text/html');
  return [
    ...[...doc.querySelectorAll('link[rel=stylesheet]')].filter(l => !l.media || matchMedia(l.media).matches),
    ...doc.querySelectorAll('head script[src]:not([async]):not([defer]):not([type=module])'),
  ].map(e => new URL(e.getAttribute('href') || e.getAttribute('src'), location.href).href);
}"""


def measure(context, url: str, own_host: str) -> dict:
    """Bytes over the network for one page load, by kind (CDP encodedDataLength)."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    kinds, sizes, hosts, failed = {}, {}, set(), []

    def received(e):
        kinds[e["requestId"]] = e.get("type", "Other")
        # versions.json exists only in the published site (not with --site).
        if e["response"]["status"] >= 400 and not e["response"]["url"].endswith("/versions.json"):
            failed.append(f"{e['response']['status']} {e['response']['url']}")

    urls = {}

    def sent(e):
        hosts.add(urlsplit(e["request"]["url"]).netloc)
        urls[e["requestId"]] = e["request"]["url"]

    cdp.on("Network.requestWillBeSent", sent)
    cdp.on("Network.responseReceived", received)
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
    response = page.goto(url, wait_until="networkidle")
    blocking = set(page.evaluate(BLOCKING, response.text() if response else ""))
    page.close()
    if failed:
        raise SystemExit(f"Loading {url} failed: {failed}")
    row = {k: 0 for k in ["html", "css", "js", "search", "images", "fonts", "other"]}
    for request, size in sizes.items():
        row[KINDS.get(kinds.get(request, "Other"), "other")] += size
    row["total"] = sum(sizes.values())
    # Before the first paint: the page itself and what blocks painting it.
    row["before_paint"] = row["html"] + sum(size for request, size in sizes.items() if urls.get(request) in blocking)
    row["requests"] = len(sizes)
    row["third_party"] = sorted(h for h in hosts if h and h != own_host)
    return row


def lighthouse(url: str, runs: int = 3) -> dict | None:
    """Lighthouse's scores for the page: the run with the median LCP of `runs`
    (Lighthouse's advice: its simulated timings move with the machine's load)."""
    if not LIGHTHOUSE.exists():
        return None
    results = sorted((one_lighthouse(url) for _ in range(runs)), key=lambda r: r.get("lcp_s", 99))
    median = dict(results[len(results) // 2])
    median["lcp_runs_s"] = [r.get("lcp_s") for r in results]
    return median


def one_lighthouse(url: str) -> dict:
    flags = " ".join(["--headless=new", *chromium.FLAGS])
    done = subprocess.run([str(LIGHTHOUSE), url, "--quiet", "--output=json", "--output-path=stdout",
                           "--only-categories=performance,accessibility,best-practices,seo",
                           f"--chrome-flags={flags}"], capture_output=True, text=True,
                          env={**os.environ, "CHROME_PATH": chromium.required("for Lighthouse", full=True)}, timeout=180)
    if done.returncode:
        return {"error": done.stderr.strip()[-300:]}
    report = json.loads(done.stdout)
    scores = {k: round(v["score"] * 100) for k, v in report["categories"].items()}
    scores["lcp_s"] = round(report["audits"]["largest-contentful-paint"]["numericValue"] / 1000, 2)
    scores["cls"] = report["audits"]["cumulative-layout-shift"]["numericValue"]
    # What cost points: the audits that count towards a score and did not pass.
    scores["failed"] = sorted({ref["id"] for cat in report["categories"].values() for ref in cat["auditRefs"]
                               if ref.get("weight") and (report["audits"][ref["id"]].get("score") or 0) < 1
                               and report["audits"][ref["id"]].get("scoreDisplayMode") in ("binary", "numeric", "metricSavings")})
    return scores


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="measure this built folder as it is, instead of publishing")
    parser.add_argument("--no-lighthouse", action="store_true")
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page (the median is kept)")
    parser.add_argument("--json", type=Path, default=ROOT / "bench-web.json")
    parser.add_argument("--page", action="append", help="only this page, e.g. risks/ (repeatable)")
    args = parser.parse_args()
    rows = []
    with contextlib.ExitStack() as stack:
        root, latest = (args.site, "") if args.site else (stack.enter_context(published()), "latest/")
        pages = sorted(p.parent.relative_to(root / latest).as_posix() + "/" for p in (root / latest).rglob("index.html"))
        pages = ["" if p == "./" else p for p in pages]
        if args.page:
            pages = [p for p in pages if p in args.page or "/" + p in args.page]
        base = stack.enter_context(nginx(root, model.load(ROOT).addresses.path)) + latest
        browser = stack.enter_context(chromium.launched(needed_for="to measure the pages", full=True))
        own = urlsplit(base).netloc
        for path in pages:
            # Service workers blocked: their requests (the offline copy, fetched
            # in the background) do not show in the page's network log, and a
            # second page answered by the worker would look free.
            context = browser.new_context(viewport={"width": 375, "height": 812}, service_workers="block")
            first = measure(context, base + path, own)
            other = "risks/" if path != "risks/" else "after/"
            second = measure(context, base + other, own)
            context.close()
            rows.append({"page": "/" + latest + path, **first, "next_page": second["total"],
                         "lighthouse": None if args.no_lighthouse else lighthouse(base + path, args.runs)})

    kb = lambda n: f"{n / 1024:.1f}"  # noqa: E731
    print("| Page | HTML | CSS | JS | Search | Images | Before paint KB | Total KB | Requests | Other hosts "
          "| Next page KB | Lighthouse P/A/BP/SEO | LCP s (3 runs) | CLS |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |")
    for r in rows:
        lh = r["lighthouse"] or {}
        scores = "/".join(str(lh.get(k, "-")) for k in ["performance", "accessibility", "best-practices", "seo"])
        runs = "/".join(str(x) for x in lh.get("lcp_runs_s", []))
        print(f"| {r['page']} | {kb(r['html'])} | {kb(r['css'])} | {kb(r['js'])} | {kb(r['search'])} | {kb(r['images'])} | "
              f"{kb(r['before_paint'])} | {kb(r['total'])} | {r['requests']} | {len(r['third_party'])} | "
              f"{kb(r['next_page'])} | {scores} | {lh.get('lcp_s', '-')} ({runs}) | {lh.get('cls', '-')} |")
    args.json.write_text(json.dumps(rows, indent=2) + "\n")
    misses = [f"{r['page']}: {miss}" for r in rows for miss in target_misses(r)]
    print(f"\nTargets: before first paint {FIRST_PAINT_MAX_KB} KB, first visit {FIRST_VISIT_MAX_KB} KB, next page {NEXT_PAGE_MAX_KB} KB, no other hosts"
          + ("" if args.no_lighthouse else f", Lighthouse 100 in all four, LCP {LCP_MAX_S} s, no layout shift")
          + (". All pages meet them." if not misses else ". Missed:\n" + "\n".join(misses)))
    return 0


def target_misses(row: dict) -> list[str]:
    misses = []
    if row["before_paint"] > FIRST_PAINT_MAX_KB * 1024:
        misses.append(f"before first paint {row['before_paint'] / 1024:.1f} KB")
    if row["total"] > FIRST_VISIT_MAX_KB * 1024:
        misses.append(f"first visit {row['total'] / 1024:.1f} KB")
    if row["next_page"] > NEXT_PAGE_MAX_KB * 1024:
        misses.append(f"next page {row['next_page'] / 1024:.1f} KB")
    if row["third_party"]:
        misses.append(f"other hosts {row['third_party']}")
    lh = row["lighthouse"]
    if lh:
        misses += [f"{k} {lh.get(k)}" for k in ["performance", "accessibility", "best-practices", "seo"]
                   if lh.get(k) != 100]
        if lh.get("lcp_s", 99) > LCP_MAX_S:
            misses.append(f"LCP {lh.get('lcp_s')} s")
        if lh.get("cls", 1) > 0:
            misses.append(f"layout shift {lh.get('cls')}")
    return misses


if __name__ == "__main__":
    sys.exit(main())
