"""Shared helpers: build a copy of the site, run the check, read pages."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from lxml import html as lxml_html

from leaflet_site import model
from leaflet_site.check.build import ENV as MKDOCS_ENV

ROOT = Path(__file__).resolve().parent.parent
# What the tests expect comes from the project's own configuration, read by
# the same code as the build: a new version or new dates change no test.
LEAFLET = model.load(ROOT)
PROJECT_FILES = ["mkdocs.yml", "docs", "overrides", "readability.yml", "published-urls.txt", "scripts", "words.txt"]
ENV = MKDOCS_ENV  # the environment the scripts build with

SECTIONS = [s.url.strip("/") for s in LEAFLET.sections]


def copy_project(dest: Path) -> Path:
    """A copy of the real site's sources, for a test to change."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, dest / name)
    return dest


def build(root: Path, site: Path | None = None, strict: bool = True, pdf: bool = False) -> subprocess.CompletedProcess:
    """Build a site. PDFs take a browser and a second or two, so only the
    builds that test them make them."""
    site = site or root / "site"
    cmd = [sys.executable, "-m", "mkdocs", "build", "--clean", "-f", str(root / "mkdocs.yml"), "-d", str(site)]
    cmd.append("--strict" if strict else "--no-strict")
    env = {**ENV, "LEAFLET_PDF": "on" if pdf else "off"}
    return subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=root)


def check(root: Path, *args: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, str(root / "scripts" / "check.py"), "--root", str(root), *args]
    return subprocess.run(cmd, capture_output=True, text=True, env=ENV, cwd=root)


def make_check(root: Path) -> tuple[int, str]:
    """What `make check` does: a strict build, then the check (no PDFs)."""
    env = {**ENV, "LEAFLET_PDF": "off"}
    cmd = [sys.executable, str(root / "scripts" / "check.py"), "--root", str(root), "--build"]
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=root)
    return done.returncode, done.stdout + done.stderr


def article_text(page: Path) -> str:
    """The text a reader sees in a page's article (hidden search words left out)."""
    doc = lxml_html.fromstring(page.read_text(encoding="utf-8"))
    article = doc.xpath('//article[contains(@class, "md-content__inner")]')[0]
    for hidden in article.xpath('.//*[@hidden]'):
        hidden.drop_tree()
    return " ".join(article.text_content().split())


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
