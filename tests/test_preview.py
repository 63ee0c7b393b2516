"""A pull request's preview (issue 28): `make preview PR=7` builds the site
for its own address, pr-preview/pr-7/ under site_url. Every page carries
noindex, the draft notice and the line naming the pull request and commit;
canonical links, QR codes (pictures and the PDFs' pages) and the PDFs'
text point at the preview and never at the published leaflet; there is no
sitemap, and published-urls.txt does not change. Publishing it beside
mike's versions (and taking it down) leaves every other file of gh-pages
byte for byte as it was. The comment on the pull request is written by
scripts/preview.py, as the workflow runs it.

Each check is a function that returns what is wrong, and is shown failing on
a copy of the preview with that fault."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from lxml import html as lxml_html

from helpers import GIT_ENV, LEAFLET, ROOT, decode_qr, git, once_a_run, qr_codes_printed
from leaflet_site import preview
from leaflet_site.addresses import PREVIEW_COMMIT, PREVIEW_PR, Addresses, Preview, configured_site_url, preview_from_env
from leaflet_site.findings import LeafletError
from leaflet_site.release import ENV as RELEASE_ENV

PR = 7
PUBLISHED = LEAFLET.addresses  # what the configuration publishes: no preview in the tests' environment
NOTICE = "Draft: not yet approved for patients."
REGISTER = ROOT / "published-urls.txt"
WORKFLOWS = ROOT / ".github" / "workflows"


def head() -> str:
    done = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def preview_addresses(number: int = PR, commit: str | None = None) -> Addresses:
    return Addresses.make(configured_site_url(ROOT / "mkdocs.yml"), LEAFLET.details.version,
                          preview=Preview(number, commit or head()))


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> tuple[Path, str]:
    """`make preview PR=7` into a folder of the test run's own (with PDFs,
    as the workflow builds it): the folder, and everything make printed.
    Built once a run: the first worker builds, the others wait and share it."""
    def make(folder: Path) -> tuple[str, str]:
        out = folder / f"pr-{PR}"
        register = REGISTER.read_bytes()
        done = subprocess.run(["make", "-s", "--no-print-directory", "preview", f"PR={PR}", f"OUT={out}"],
                              cwd=ROOT, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
        assert REGISTER.read_bytes() == register  # a preview is never registered as published
        return str(out), done.stdout

    out, printed = once_a_run(tmp_path_factory, "preview", make)
    return Path(out), printed


@pytest.fixture(scope="session")
def site(built) -> Path:
    return built[0]


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def _doc(page: Path):
    return lxml_html.fromstring(page.read_text(encoding="utf-8"))


# --- the checks, each returning what is wrong -------------------------------

def marking_problems(site: Path, number: int, commit: str) -> list[str]:
    """Pages without noindex, the draft notice or the line naming the pull request and commit."""
    found = []
    for page in pages(site):
        doc, where = _doc(page), page.relative_to(site).as_posix()
        if doc.xpath('//meta[@name="robots"]/@content') != ["noindex"]:
            found.append(f"{where}: no noindex")
        notice = doc.xpath('//*[contains(@class, "leaflet-draft")]')
        text = " ".join(notice[0].text_content().split()) if notice else ""
        if not text.startswith(NOTICE):
            found.append(f"{where}: no draft notice")
        if f"Preview of pull request {number} at commit {commit[:7]}." not in text:
            found.append(f"{where}: no line naming pull request {number} and commit {commit[:7]}")
    return found


def canonical_problems(site: Path, addresses: Addresses) -> list[str]:
    """Pages whose canonical link is not their own address in the preview."""
    found = []
    for page in site.rglob("index.html"):
        url = page.parent.relative_to(site).as_posix() + "/"
        url = "" if url == "./" else url
        links = _doc(page).xpath('//link[@rel="canonical"]/@href')
        if links != [addresses.page(url)]:
            found.append(f"{url or 'home'}: canonical {links}")
    return found


def pdf_texts(site: Path) -> dict[str, str]:
    """Each PDF's text with every space and line break taken out, so an
    address broken over two lines reads whole."""
    return {pdf.name: "".join(subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True,
                                             check=True).stdout.split())
            for pdf in sorted(site.glob("*.pdf"))}


def published_addresses(site: Path, addresses: Addresses) -> list[str]:
    """Every address of the published leaflet (written in full or as printed,
    without https://) in the preview's files and PDFs: anything under
    site_url that is not under the preview's folder."""
    elsewhere = rf"(?!{re.escape(addresses.preview.folder)})\S*"
    published = re.compile(re.escape(addresses.short(addresses.published)) + elsewhere)
    texts = {f.relative_to(site).as_posix(): f.read_text(encoding="utf-8") for f in sorted(site.rglob("*"))
             if f.suffix in (".html", ".xml", ".json", ".js", ".txt", ".svg") and f.is_file()}
    texts.update(pdf_texts(site))
    return [f"{where}: {m.group(0)[:80]}" for where, text in texts.items() for m in published.finditer(text)]


def qr_codes(site: Path, work: Path) -> dict[str, list[str]]:
    """What every QR code says: the posters (PNG), the comment's picture,
    and the codes printed on the PDFs' pages (the print cover's)."""
    codes = {p.relative_to(site).as_posix(): decode_qr([p]) for p in sorted(site.rglob("*.png"))
             if "qr" in p.relative_to(site).as_posix()}
    for pdf in sorted(site.glob("*.pdf")):
        codes[pdf.name] = qr_codes_printed(pdf, work / pdf.stem)
    return codes


def sitemap_problems(site: Path, addresses: Addresses) -> list[str]:
    """A sitemap in the preview, or a preview address in published-urls.txt."""
    found = [f"{name} is in the preview" for name in preview.SITEMAPS if (site / name).exists()]
    found += [f"published-urls.txt: {line}" for line in REGISTER.read_text(encoding="utf-8").splitlines()
              if addresses.preview.folder in line or line.startswith(addresses.base)]
    return found


# --- the preview as built -----------------------------------------------------

def test_make_preview_prints_its_folder_on_the_last_line(built):
    out, printed = built
    assert printed.splitlines()[-1] == str(out)
    assert (out / "index.html").is_file()


def test_every_page_carries_noindex_the_draft_notice_and_the_pull_request(site: Path):
    assert len(pages(site)) > len(LEAFLET.pages)  # every page, the print page and "page not found"
    assert marking_problems(site, PR, head()) == []


def test_canonical_links_are_the_previews_addresses(site: Path):
    addresses = preview_addresses()
    assert addresses.base == PUBLISHED.base + f"pr-preview/pr-{PR}/"
    assert canonical_problems(site, addresses) == []


def test_qr_codes_open_the_preview(site: Path, tmp_path: Path):
    codes = qr_codes(site, tmp_path)
    base = preview_addresses().base
    assert codes and all(codes.values()), codes  # every picture and PDF has its code
    assert (site / "assets" / "qr").is_dir() and any(p.endswith(".pdf") for p in codes)
    wrong = {where: c for where, cs in codes.items() for c in cs if not c.startswith(base)}
    assert not wrong, wrong
    assert codes[preview.QR_PICTURE] == [base]


def test_no_address_of_the_published_leaflet(site: Path):
    assert published_addresses(site, preview_addresses()) == []


def test_no_sitemap_and_nothing_registered(site: Path):
    assert sitemap_problems(site, preview_addresses()) == []


# --- each check, failing on a preview with that fault ---------------------------

def test_the_checks_find_each_fault(site: Path, tmp_path: Path):
    bad = tmp_path / "bad"
    shutil.copytree(site, bad)
    addresses = preview_addresses()
    page = bad / "risks" / "index.html"
    html = page.read_text(encoding="utf-8")
    html = html.replace('<meta name="robots" content="noindex">', "")
    html = html.replace(NOTICE, "Approved.")
    html = html.replace(f'rel="canonical" href="{addresses.page("risks/")}"',
                        f'rel="canonical" href="{PUBLISHED.page("risks/")}"')
    page.write_text(html, encoding="utf-8")
    (bad / "sitemap.xml").write_text(f"<urlset><url><loc>{PUBLISHED.latest}</loc></url></urlset>")
    import segno

    segno.make(PUBLISHED.latest).save(str(bad / "assets" / "qr" / "leaflet.png"), kind="png", scale=10, border=4)
    assert marking_problems(bad, PR, head()) == ["risks/index.html: no noindex", "risks/index.html: no draft notice"]
    assert marking_problems(site, PR + 1, head()) != []  # another pull request's line is not this one's
    assert canonical_problems(bad, addresses) == [f"risks/: canonical {[PUBLISHED.page('risks/')]}"]
    assert [f.split(":")[0] for f in published_addresses(bad, addresses)] == ["risks/index.html", "sitemap.xml"]
    assert sitemap_problems(bad, addresses) == ["sitemap.xml is in the preview"]
    assert decode_qr([bad / "assets" / "qr" / "leaflet.png"]) == [PUBLISHED.latest]  # what qr_codes reads it as


# --- where the build learns it is a preview -------------------------------------

def test_the_preview_is_read_from_the_environment_and_checked():
    assert preview_from_env({}) is None
    assert preview_from_env({PREVIEW_PR: "7", PREVIEW_COMMIT: "ABCDEF1"}) == Preview(7, "abcdef1")
    for bad, names in [({PREVIEW_PR: "seven", PREVIEW_COMMIT: "abcdef1"}, PREVIEW_PR),
                       ({PREVIEW_PR: "7"}, PREVIEW_COMMIT),
                       ({PREVIEW_PR: "7", PREVIEW_COMMIT: "main"}, PREVIEW_COMMIT)]:
        with pytest.raises(LeafletError) as err:
            preview_from_env(bad)
        assert names in str(err.value)
    # In a preview every address is in its folder, the version's too; the PDFs keep the leaflet's name.
    a = preview_addresses(PR, "abcdef1")
    assert a.page("risks/", LEAFLET.details.version) == a.page("risks/") == a.base + "risks/"
    assert a.published == PUBLISHED.base and a.name == PUBLISHED.name
    assert a.local_path(a.page("risks/")) == "risks/index.html"


# --- the service worker never controls the published pages ------------------------

@pytest.mark.browser
def test_the_previews_service_worker_controls_only_the_preview(site: Path, browser, tmp_path: Path):
    """Served as the host serves gh-pages: the preview in its folder and a
    published page at /latest/. After the preview's worker is running, the
    published page has no controller; the preview's own page has one (the
    probe works)."""
    from browser import serve

    tree = tmp_path / "tree"
    (tree / "latest").mkdir(parents=True)
    (tree / "latest" / "index.html").write_text('<!doctype html><html lang="en"><title>Published</title></html>')
    shutil.copytree(site, tree / preview_addresses().preview.folder)
    with serve(tree) as url:
        page = browser.new_page()
        page.goto(url + preview_addresses().preview.folder)
        page.wait_for_selector("html[data-leaflet-ready]", state="attached")
        scope = page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
        assert scope == url + preview_addresses().preview.folder
        page.reload()
        assert page.evaluate("!!navigator.serviceWorker.controller")
        page.goto(url + "latest/")
        assert page.evaluate("navigator.serviceWorker.controller") is None
        page.close()
    # No answer widens a worker's scope: the hosting configuration sends no Service-Worker-Allowed header.
    assert "service-worker-allowed" not in (ROOT / "hosting" / "nginx.conf").read_text().lower()


# --- publishing beside mike's versions ---------------------------------------------

def _mike(repo: Path, *args: str) -> None:
    bin_dir = Path(sys.executable).parent
    done = subprocess.run([str(bin_dir / "mike"), *args], cwd=repo, env={**GIT_ENV, "PATH": RELEASE_ENV["PATH"]},
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def files(repo: Path, ref: str = preview.BRANCH) -> dict[str, str]:
    """Every file of a branch: path to mode and blob (its exact bytes)."""
    listing = git(repo, "ls-tree", "-r", "--full-tree", ref).splitlines()
    return {line.split("\t", 1)[1]: line.split("\t", 1)[0] for line in listing}


def changed_outside(before: dict[str, str], after: dict[str, str], folder: str) -> list[str]:
    """Paths outside `folder` added, removed or changed between two listings."""
    paths = {p for p in before.keys() | after.keys() if not p.startswith(folder)}
    return sorted(p for p in paths if before.get(p) != after.get(p))


def run_preview(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """scripts/preview.py as the publishing job runs it: the runner's Python,
    no .venv (so nothing but the standard library)."""
    python = shutil.which("python3", path="/usr/bin:/bin") or sys.executable
    done = subprocess.run([python, str(ROOT / "scripts" / "preview.py"), *args], cwd=cwd, env=GIT_ENV,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


@pytest.fixture(scope="module")
def mike_repo(tmp_path_factory) -> Path:
    """A throwaway repository whose gh-pages branch holds two versions
    deployed by mike as a release deploys them (latest a copy, a default)."""
    repo = tmp_path_factory.mktemp("mike-repo")
    (repo / "docs").mkdir()
    (repo / "docs" / "index.md").write_text("# A leaflet\n")
    (repo / "mkdocs.yml").write_text(yaml.safe_dump({"site_name": "A leaflet", "site_url": PUBLISHED.base,
                                                     "theme": {"name": "material"}}))
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "A leaflet")
    for version in ("1.0", "1.1"):
        (repo / "docs" / "index.md").write_text(f"# A leaflet, version {version}\n")
        _mike(repo, "deploy", version, "latest", "--update-aliases", "--alias-type", "copy")
    _mike(repo, "set-default", "latest")
    return repo


def test_adding_and_removing_previews_leaves_mikes_versions_byte_for_byte(mike_repo: Path, site: Path):
    repo = mike_repo
    tree = git(repo, "rev-parse", f"{preview.BRANCH}^{{tree}}").strip()
    before = files(repo)
    assert {"versions.json", "1.0/index.html", "1.1/index.html", "latest/index.html"} <= before.keys()
    folder = preview.folder(PR)
    run_preview("publish", "--pr", str(PR), "--commit", head(), "--site", str(site), cwd=repo)
    after = files(repo)
    assert changed_outside(before, after, folder) == []
    # The preview's files, each exactly as built.
    built = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    assert {p[len(folder):] for p in after if p.startswith(folder)} == built
    for path in ("index.html", preview.QR_PICTURE, LEAFLET.pdf_names["standard"]):
        blob = subprocess.run(["git", "show", f"{preview.BRANCH}:{folder}{path}"], cwd=repo, capture_output=True).stdout
        assert blob == (site / path).read_bytes()
    # Taken down, the branch's tree is the very same tree as before: every file byte for byte.
    run_preview("remove", "--pr", str(PR), cwd=repo)
    assert git(repo, "rev-parse", f"{preview.BRANCH}^{{tree}}").strip() == tree
    assert "nothing to remove" in run_preview("remove", "--pr", str(PR), cwd=repo).stdout
    # Two previews, then a release by mike: both previews stay, and versions.json never lists them.
    run_preview("publish", "--pr", str(PR), "--commit", head(), "--site", str(site), cwd=repo)
    run_preview("publish", "--pr", str(PR + 1), "--commit", head(), "--site", str(site), cwd=repo)
    previews = {p: blob for p, blob in files(repo).items() if p.startswith(preview.FOLDER)}
    _mike(repo, "deploy", "1.2", "latest", "--update-aliases", "--alias-type", "copy")
    assert {p: blob for p, blob in files(repo).items() if p.startswith(preview.FOLDER)} == previews
    assert preview.FOLDER not in git(repo, "show", f"{preview.BRANCH}:versions.json")
    released = files(repo)
    run_preview("remove", "--pr", str(PR), cwd=repo)
    run_preview("remove", "--pr", str(PR + 1), cwd=repo)
    assert not any(p.startswith(preview.FOLDER) for p in files(repo))
    assert changed_outside(released, files(repo), preview.FOLDER) == []


def test_the_byte_for_byte_check_finds_a_changed_file(mike_repo: Path, tmp_path: Path):
    before = files(mike_repo)
    after = {**before, "versions.json": "100644 blob " + "0" * 40}
    after.pop("1.0/index.html")
    after["pr-preview/pr-7/index.html"] = "100644 blob " + "1" * 40
    assert changed_outside(before, after, preview.folder(PR)) == ["1.0/index.html", "versions.json"]


# --- the comment on the pull request -------------------------------------------------

def test_the_comment_names_the_address_qr_code_commit_readability_and_approval_pack(site: Path):
    commit, pack = head(), "https://github.com/example/leaflet/actions/runs/1/artifacts/2"
    text = _comment("published", commit, site, pack)
    address = preview_addresses().base
    assert text.startswith(preview.MARKER)
    assert f"open {address}" in text and f"]({address}{preview.QR_PICTURE})" in text
    assert f"`{commit[:7]}` ({commit})" in text
    assert f"[download the approval pack]({pack})" in text
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    assert rows[0].startswith("| Page | Words |")
    assert len(rows) - 2 >= len(LEAFLET.sections)  # a row a page, at least one a section
    assert PUBLISHED.short(PUBLISHED.latest) not in text


def test_the_comment_for_a_fork_says_how_to_download_the_preview(site: Path):
    run = "https://github.com/example/leaflet/actions/runs/1"
    text = _comment("fork", head(), site, "", run)
    assert f"[the checks' summary page]({run})" in text and "**pull-request-preview**" in text
    assert "CONTRIBUTING.md" in text and preview.QR_PICTURE not in text


def test_the_comment_after_closing_says_the_preview_is_removed():
    text = run_preview("comment", "--state", "removed", "--pr", str(PR), "--commit", "abcdef1234", cwd=ROOT).stdout
    assert text.startswith(preview.MARKER) and "removed" in text and "`abcdef1`" in text


def _comment(state: str, commit: str, site: Path, pack: str = "", run: str = "") -> str:
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "preview.py"), "comment", "--state", state,
                           "--pr", str(PR), "--commit", commit, "--site", str(site), "--pack-url", pack,
                           "--run-url", run], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


# --- the workflows -----------------------------------------------------------------

def _workflow(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text())


def test_previews_and_releases_share_one_concurrency_group():
    release = _workflow("release.yml")["concurrency"]
    jobs = _workflow("preview.yml")["jobs"]
    pushing = [job for job in jobs.values() if "git push" in yaml.safe_dump(job)]
    assert pushing and all(job["concurrency"]["group"] == release["group"] for job in pushing)
    assert release["cancel-in-progress"] is False and all(not j["concurrency"]["cancel-in-progress"] for j in pushing)


def test_the_preview_workflow_runs_the_tested_commands():
    text = (WORKFLOWS / "preview.yml").read_text()
    for command in ("make preview PR=", "scripts/preview.py publish", "scripts/preview.py remove",
                    "scripts/preview.py comment", "make approval-pack"):
        assert command in text, command
    on = _workflow("preview.yml")[True]["pull_request"]["types"]  # YAML reads the key on as True
    assert "closed" in on and "synchronize" in on
