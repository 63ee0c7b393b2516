"""The approval pack (`make approval-pack`): every source sentence beside the
site's, new clinical sentences flagged for approval, and what changed since
the published version, word by word. Versions and titles come from the
configuration, never from the test."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import html as lxml_html

from leaflet_site.names import BRANCH
from helpers import ENV, LEAFLET, NO_SOURCE, ROOT, SOURCE, add_to_page, copy_project, git, once_a_run
from leaflet_site import approval
from leaflet_site.page_text import Block

# Advice the source does not give, added to a copy of the project only.
ADDED = "Stop eating and drinking 6 hours before your injection."


def make_pack(root: Path, out: Path, *extra: str) -> list[Path]:
    """`make approval-pack` for the project at root (one build, no PDF
    unless asked): the fact list and source are the real project's (without
    the source where this machine has none)."""
    source = ["--source", str(SOURCE)] if SOURCE else ["--no-source"]
    cmd = [sys.executable, str(ROOT / "scripts" / "approval_pack.py"), "--root", str(root), "--out", str(out),
           "--facts", str(ROOT / approval.FACTS_FILE), *source, *extra]
    done = subprocess.run(cmd, capture_output=True, text=True, env=ENV, cwd=root)
    assert done.returncode == 0, done.stdout + done.stderr
    return sorted(out.iterdir())


def read(path: Path):
    return lxml_html.fromstring(path.read_bytes())


def text(el) -> str:
    return " ".join(el.text_content().split())


def table(doc, caption: str):
    """The rows (lists of cell texts) of the table whose caption has `caption`."""
    [found] = [t for t in doc.iter("table") if caption in text(t.find("caption"))]
    return [[text(c) for c in row] for row in found.xpath("./tbody/tr")]


@pytest.fixture(scope="module")
def packed(tmp_path_factory) -> list[Path]:
    """A copy of the project (not a git repository, so nothing is
    published) with one clinical sentence added, and its pack (HTML and
    PDF). Made once a test run, whichever worker needs it first."""
    def make(folder: Path) -> list[str]:
        project = copy_project(folder / "project")
        add_to_page(project, ADDED, f"docs/{LEAFLET.sections[0].file}")
        html_file, pdf_file = make_pack(project, project / "approval-pack")
        return [str(project), str(html_file), str(pdf_file)]

    return [Path(p) for p in once_a_run(tmp_path_factory, "approval-pack", make)]


@pytest.fixture(scope="module")
def pack_project(packed: list[Path]) -> Path:
    return packed[0]


@pytest.fixture(scope="module")
def pack(packed: list[Path]) -> tuple[Path, Path]:
    return packed[1], packed[2]


def test_the_sign_off_binds_to_the_fingerprint_of_the_text(pack, pack_project: Path):
    """The clinician signs one exact text: the fingerprint `make approve`
    would record for it, on the first page and in the sign-off."""
    from leaflet_site import model, patient_text

    short = patient_text.short(model.load(pack_project).fingerprint)
    doc = read(pack[0])
    summary = {r[0]: r[1] for r in table(doc, "Summary")}
    assert summary["Fingerprint of this text"] == short
    sign = {r[0]: r[-1] for r in table(doc, "Approval of version")}
    assert sign["Fingerprint"] == short
    # The copy without the added sentence has another fingerprint.
    assert short != patient_text.short(LEAFLET.fingerprint)


def test_the_pack_shows_the_other_words_patients_read(pack):
    doc = read(pack[0])
    rows = table(doc, "Other words patients read, page by page")
    described = {r[0] for r in rows if r[1].startswith("Description")}
    assert {s.title for s in LEAFLET.sections} <= described
    assert any(r[1].startswith("Search words") for r in rows)
    assert any(r[0] == "Print cover" for r in rows)
    scored = [text(th) for th in doc.xpath('//h2[@id="readability"]/following-sibling::table[1]//tbody/tr/th')]
    assert "Descriptions, picture descriptions and the print cover" in scored


def test_the_pack_lists_every_source_sentence_beside_the_site(pack):
    doc = read(pack[0])
    rows = table(doc, "Source sentences and the site sentences that carry them")
    if SOURCE:
        sentences = approval.source_sentences(SOURCE.read_text(encoding="utf-8"))
    else:  # the facts list's quotes of the source, each once
        sentences = list(dict.fromkeys(f.source for f in approval.load_facts(ROOT / approval.FACTS_FILE)))
    assert [row[0] for row in rows] == sentences
    titles = {s.title for s in LEAFLET.sections}
    for source, carried in rows:
        assert "NOT FOUND" not in carried and "NOT CHECKED" not in carried, source
        assert any(f"{title}:" in carried for title in titles), source


def test_a_new_clinical_sentence_needs_approval(pack):
    doc = read(pack[0])
    rows = table(doc, "sentences that need your approval")
    [row] = [r for r in rows if r[1] == ADDED]
    assert row[0] == LEAFLET.sections[0].title and row[3] == approval.NEEDS_APPROVAL
    # A sentence that carries a source fact is not listed as new.
    assert not [r for r in rows if "1 in 1000" in r[1]]


def test_the_pack_shows_whether_it_had_the_whole_source(pack):
    doc = read(pack[0])
    says_missing = approval.SOURCE_MISSING in text(doc.xpath('//h2[@id="source"]/following-sibling::p[1]')[0])
    assert says_missing == (SOURCE is None)


def test_without_the_source_the_pack_says_so(site: Path, tmp_path: Path):
    """As on a clone alone: the pack is made from the facts list's quotes,
    and its first page and its source section say the full text was missing."""
    [html_file] = make_pack(ROOT, tmp_path, "--no-source", "--no-pdf", "--site", str(site))
    doc = read(html_file)
    assert approval.SOURCE_MISSING in text(doc.xpath('//table[caption="Summary"]')[0])
    assert approval.SOURCE_MISSING in text(doc.xpath('//h2[@id="source"]/following-sibling::p[1]')[0])
    # The pack's source column is the quotes, and it never claims the whole text was read.
    assert "The source has" not in text(doc.xpath("//main")[0])


@pytest.mark.skipif(SOURCE is None, reason=NO_SOURCE)
def test_provenance_the_pack_shows_the_whole_source(pack):
    doc = read(pack[0])
    rows = table(doc, "Source sentences and the site sentences that carry them")
    assert len(rows) == len(approval.source_sentences(SOURCE.read_text(encoding="utf-8")))


def test_without_a_published_version_the_pack_says_so(pack):
    doc = read(pack[0])
    [section] = doc.xpath('//h2[@id="changes"]')
    assert "No version has been published yet" in text(section.getnext())


def test_the_pack_is_accessible_html_for_this_version(pack):
    doc = read(pack[0])
    assert doc.get("lang") == "en-GB" and len(doc.xpath("//h1")) == 1
    assert LEAFLET.details.version in text(doc.xpath("//title")[0])
    for t in doc.iter("table"):
        assert t.find("caption") is not None
        assert all(th.get("scope") in ("col", "row") for th in t.iter("th"))
    # Each id once, and each entry of the contents opens a part's heading.
    ids = doc.xpath("//@id")
    assert sorted(ids) == sorted(set(ids))
    targets = [doc.xpath(f'//*[@id="{a.get("href")[1:]}"]') for a in doc.xpath('//nav[@aria-labelledby="contents"]//a')]
    assert [t[0].tag for t in targets] == ["h2"] * 8
    assert [c for row in table(doc, "Approval of version") for c in row][:2] == ["Version", LEAFLET.details.version]
    questions = doc.xpath('//h2[@id="questions"]/following-sibling::ol[1]/li')
    assert len(questions) == len(approval.OPEN_QUESTIONS)
    assert all(text(q).endswith("?") for q in questions)  # asked, never answered


@pytest.mark.browser
def test_the_pack_passes_an_accessibility_audit(pack, browser):
    from browser import axe_violations, describe, horizontal_overflow

    context = browser.new_context(viewport={"width": 320, "height": 640})
    try:
        page = context.new_page()
        page.goto(pack[0].as_uri(), wait_until="load")
        assert describe(axe_violations(page)) == []
        assert horizontal_overflow(page) <= 0  # reflows at 320 CSS px (400% zoom)
    finally:
        context.close()


@pytest.mark.browser
def test_the_pdf_is_tagged_a4(pack):
    pdf = pack[1].read_bytes()
    assert pdf.startswith(b"%PDF") and b"/StructTreeRoot" in pdf
    assert re.search(rb"/MediaBox \[0 0 594\.9\d* 841\.9\d*\]", pdf)


def test_a_word_changed_since_the_published_version_shows(published, tmp_path: Path):
    repo = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(published.repo), str(repo))
    git(repo, "branch", "-q", BRANCH, f"origin/{BRANCH}")
    # Change the first word of the first paragraph of a section, whatever it says today.
    section = LEAFLET.sections[0]
    path = repo / "docs" / section.file
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    body = lines.index("---\n", 1) + 1
    at = next(i for i in range(body, len(lines)) if re.match(r"[A-Z][a-z]+ ", lines[i]))
    old = lines[at].split()[0]
    lines[at] = lines[at].replace(old, "Zebra", 1)
    path.write_text("".join(lines), encoding="utf-8")

    [html_file] = make_pack(repo, tmp_path / "pack", "--no-pdf")
    doc = read(html_file)
    [section_h2] = doc.xpath('//h2[@id="changes"]')
    assert f"version {published.versions[-1]}" in text(section_h2.getnext())
    in_changes = doc.xpath('//h2[@id="changes"]/following-sibling::h3[following-sibling::h2[@id="other"]]')
    [heading] = [h for h in in_changes if text(h).startswith(f"{section.title}:")]
    # The same change, since the text the clinician approved (approvals/VERSION.txt of the published commit).
    since = doc.xpath('//h2[@id="approved"]/following-sibling::h3[following-sibling::h2[@id="readability"]]')
    assert [text(h) for h in since] == [f"{section.title}: 1 change"]
    cell_del = heading.getnext().xpath(".//tbody/tr/td[1]//del")
    cell_ins = heading.getnext().xpath(".//tbody/tr/td[2]//ins")
    assert [text(d) for d in cell_del] == [old] and [text(i) for i in cell_ins] == ["Zebra"]
    # Shown by words too, not by colour alone.
    row = text(heading.getnext().xpath(".//tbody/tr")[0])
    assert f"[removed: {old}]" in row and "[added: Zebra]" in row


# --- the pure functions ------------------------------------------------------

def test_word_changes_mark_insertions_and_deletions():
    old = [Block("heading", "Going home"), Block("paragraph", "We advise you not to drive home.")]
    new = [Block("heading", "Going home"), Block("paragraph", "We advise you not to drive or cycle home.")]
    [change] = approval.word_changes(old, new)
    assert (change.removed, change.added) == ("", "or cycle") and change.before.endswith("not to drive")
    assert "[nothing here]" in approval.changed_words(change, "was")
    assert "[added: <ins>or cycle</ins>]" in approval.changed_words(change, "now")
    [change] = approval.word_changes(new, old[:1] + [Block("paragraph", "We advise you not to cycle home.")])
    assert (change.removed, change.added) == ("drive or", "")
    assert approval.word_changes(old, old) == []


def test_a_new_item_in_a_list_of_facts_is_new():
    fact = approval.Fact("Other risks include infection, bleeding and facial flushing ...", "risks",
                         ("other risks include", "infection", "bleeding"))
    page = approval.PageText("risks/", "Risks", (
        Block("paragraph", "Other risks include:"), Block("list item", "infection"), Block("list item", "bleeding"),
        Block("list item", "hair loss")))
    new = approval.new_sentences([page], [fact])
    assert [n.sentence for n in new] == ["hair loss"]


def test_clinical_words_decide_what_needs_approval():
    assert approval.clinical_words("Stop taking warfarin.") == ["warfarin"]
    assert approval.clinical_words("Tap a word to see what it means.") == []


def test_the_pack_escapes_the_words_it_shows():
    """The pack's templates escape every word (Jinja's autoescape): a page
    or source that says "<b>" shows the characters, and adds no element."""
    said = 'Ask about <b>risks</b> & "side effects".'
    row = approval.SourceRow(said, (approval.Carrier("Risks", said),), (), True)
    pack = approval.Pack(title="A <i>leaflet</i>", version="1.0", made_on="1 January 2026", made_from="commit abc",
                         rows=(row,), new=(approval.NewSentence(("Risks",), said, ("risk",)),), published=None,
                         readability=(), limits={"sentence_words_max": 20, "smog_max": 9}, pages_read=("Risks",))
    doc = lxml_html.fromstring(approval.render(pack))
    assert doc.xpath("//b | //i") == []
    assert text(doc.xpath("//h1")[0]) == "Approval pack: A <i>leaflet</i>, version 1.0"
    assert table(doc, "Source sentences")[0] == [said, f"Risks: {said}"]
    assert [r[1] for r in table(doc, "sentence that needs your approval")] == [said]
