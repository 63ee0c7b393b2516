"""`make check` on the real site and on a fixture site per editor mistake:
each is a copy of the real site with one thing broken, built in a temporary
folder, and must fail with a message that names the file to fix."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from leaflet_site.check.pages import read_site
from helpers import LEAFLET, add_to_page, build, check, copy_project, edit, make_check
from leaflet_site.check.links import broken_links, contact_link_problem, lychee_command, run_lychee
from leaflet_site.check.pages import Link, Page, find_line, prose_blocks
from leaflet_site.check.readability import split_sentences

LONG_SENTENCE = ("Some people find that the pain in their back or leg gets worse for a while after they go home, "
                 "so they should rest at home until it eases off.")
FOUR_SENTENCES = "Rest at home. Drink some water. Take it easy. Call us if you are worried."
JARGON = ("Periradicular corticosteroid infiltration necessitates fluoroscopic or computed tomographic visualisation. "
          "Intravascular administration is contraindicated. Anticoagulation therapy requires haematological evaluation. "
          "Hyperglycaemic complications necessitate glycaemic monitoring. Immunocompromised individuals demonstrate susceptibility.")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def test_real_site_passes(project: Path):
    code, output = make_check(project)
    assert code == 0, output
    assert "0 to fix" in output
    assert "| docs/risks.md |" in output  # the per-page table


def _line_of(path: Path, text: str) -> int:
    return path.read_text().splitlines().index(text) + 1


def test_broken_page_link(project: Path):
    add_to_page(project, "See [the old page](nowhere.md).", "docs/risks.md")
    code, output = make_check(project)
    line = _line_of(project / "docs/risks.md", "See [the old page](nowhere.md).")
    assert code == 1
    assert f"ERROR docs/risks.md:{line}: The link to 'nowhere.md' points at a page or file that does not exist." in output
    # The check finds it too, on a build that did not stop.
    assert build(project, strict=False).returncode == 0
    done = check(project)
    line = _line_of(project / "docs/risks.md", "See [the old page](nowhere.md).")
    assert done.returncode == 1
    assert f"ERROR docs/risks.md:{line}: Broken link to 'nowhere.md' on page risks/index.html" in done.stdout
    # print-site copies the link to the print page; that finding names risks.md too.
    assert f"ERROR docs/risks.md:{line}: Broken anchor (#...) to '#risks-nowhere.md' on page print_page/index.html" in done.stdout


def test_broken_anchor(project: Path):
    add_to_page(project, "Read [more](after.md#no-such-part).", "docs/risks.md")
    code, output = make_check(project)
    assert code == 1
    assert "The link to 'after.md#no-such-part' points at a part of after.md that does not exist (#no-such-part)." in output
    assert build(project, strict=False).returncode == 0
    done = check(project)
    assert re.search(r"ERROR docs/risks\.md:\d+: Broken anchor \(#\.\.\.\) to '\.\./after/#no-such-part'", done.stdout)


def test_an_address_of_our_own_site_that_opens_nothing(project: Path):
    """A full address of this site is checked like a link: it must name a
    page under /latest/ (or this version's folder) that is built."""
    a = LEAFLET.addresses
    wrong = [a.page("no-such-page/"), a.page("risks/", "9.9"), a.base + "risks/"]
    good = a.page("risks/")
    add_to_page(project, f"Send patients to {good} but not to {wrong[0]}, {wrong[1]} or {wrong[2]}.", "docs/risks.md")
    line = _line_of(project / "docs/risks.md", f"Send patients to {good} but not to {wrong[0]}, {wrong[1]} or {wrong[2]}.")
    assert build(project, strict=False).returncode == 0
    done = check(project)
    assert done.returncode == 1
    for address in wrong:
        assert f"ERROR docs/risks.md:{line}: The address {address} (on risks/index.html) does not open a page" in done.stdout
    assert f"The address {good} " not in done.stdout


def test_broken_link_in_raw_html(project: Path):
    add_to_page(project, '<a href="../nowhere/">Old page</a>', "docs/risks.md")
    code, output = make_check(project)  # MkDocs does not see raw HTML links
    line = _line_of(project / "docs/risks.md", '<a href="../nowhere/">Old page</a>')
    assert code == 1
    assert f"ERROR docs/risks.md:{line}: Broken link to '../nowhere/' on page risks/index.html" in output
    assert "Fix: Correct the link, or remove it." in output


def test_broken_link_in_a_template(project: Path):
    edit(project / "overrides/main.html", '<div class="leaflet-review">',
         '<div class="leaflet-review"><a href="{{ \'nowhere/\' | url }}">x</a>')
    code, output = make_check(project)
    assert code == 1
    assert "Broken link to '../nowhere/' on page risks/index.html" in output
    assert "it comes from a template in overrides/" in output


def test_missing_image(project: Path):
    add_to_page(project, "![A CT scanner](scanner.png)", "docs/risks.md")
    code, output = make_check(project)
    assert code == 1
    assert "ERROR docs/risks.md:" in output and "The link to 'scanner.png' points at a page or file that does not exist." in output


def test_picture_without_alt_text(project: Path):
    (project / "docs/scanner.png").write_bytes((Path(__file__).parent / "pixel.png").read_bytes())
    add_to_page(project, "![](scanner.png)", "docs/on-the-day.md")
    code, output = make_check(project)
    line = _line_of(project / "docs/on-the-day.md", "![](scanner.png)")
    assert code == 1
    assert f"ERROR docs/on-the-day.md:{line}: The picture 'scanner.png' has no text description (alt text)" in output
    assert "Fix: Describe the picture in the square brackets" in output


def test_page_renamed_without_a_redirect(project: Path):
    (project / "docs/after.md").rename(project / "docs/aftercare.md")
    edit(project / "mkdocs.yml", "after.md", "aftercare.md")
    edit(project / "docs/on-the-day.md", "(after.md)", "(aftercare.md)")
    edit(project / "docs/index.md", "(after.md)", "(aftercare.md)")
    code, output = make_check(project)
    assert code == 1
    assert "ERROR published-urls.txt: The published address /after/ no longer opens a page." in output
    assert "add a redirect from after.md to its new page in mkdocs.yml" in output
    assert "The new page /aftercare/ is not in the register" in output
    # The fix the message gives works: a redirect, and `make register`.
    edit(project / "mkdocs.yml", "redirect_maps: {}", "redirect_maps:\n        after.md: aftercare.md")
    assert build(project).returncode == 0
    assert check(project, "--update-register").returncode == 0
    code, output = make_check(project)
    assert code == 0, output


def test_sentence_of_30_words(project: Path):
    sentence = LONG_SENTENCE
    assert len(sentence.split()) == 30
    add_to_page(project, f"{sentence}", "docs/risks.md")
    code, output = make_check(project)
    line = _line_of(project / "docs/risks.md", sentence)
    assert code == 1
    assert f'ERROR docs/risks.md:{line}: This sentence has 30 words: "Some people find' in output
    assert "Fix: Split this 30-word sentence into sentences of 20 words or fewer." in output


def test_a_long_description_or_misspelt_alt_text_fails_at_its_line(project: Path):
    """What patients read outside a page's body goes through the same checks."""
    page = project / "docs" / LEAFLET.sections[0].file
    text = page.read_text(encoding="utf-8")
    old = next(line for line in text.splitlines() if line.startswith("description: "))
    edit(page, old, f"description: {LONG_SENTENCE}")
    (project / "docs/scanner.png").write_bytes((Path(__file__).parent / "pixel.png").read_bytes())
    add_to_page(project, "![A CT scaner in the x-ray room](scanner.png)", f"docs/{LEAFLET.sections[1].file}")
    code, output = make_check(project)
    assert code == 1
    line = _line_of(page, f"description: {LONG_SENTENCE}")
    assert (f"ERROR docs/{LEAFLET.sections[0].file}:{line}: In the page's description (front matter), this sentence "
            "has 30 words") in output
    alt = _line_of(project / "docs" / LEAFLET.sections[1].file, "![A CT scaner in the x-ray room](scanner.png)")
    assert f"ERROR docs/{LEAFLET.sections[1].file}:{alt}: 'scaner' is not in the British English dictionary." in output


def test_paragraph_of_four_sentences(project: Path):
    add_to_page(project, f"{FOUR_SENTENCES}", "docs/after.md")
    code, output = make_check(project)
    line = _line_of(project / "docs/after.md", FOUR_SENTENCES)
    assert code == 1
    assert f'ERROR docs/after.md:{line}: This paragraph has 4 sentences: "Rest at home.' in output
    assert "Split it into paragraphs of 3 sentences or fewer" in output


def test_page_full_of_medical_jargon(project: Path):
    (project / "docs/questions.md").write_text(f"# Questions you may want to ask\n\n{JARGON}\n")
    code, output = make_check(project)
    assert code == 1
    assert re.search(r"ERROR docs/questions\.md: The page reads at SMOG grade \d+\.\d \(the limit is 9\)", output)
    assert re.search(r"ERROR docs/questions\.md: The page reads at Flesch-Kincaid grade \d+\.\d \(the limit is 7\)", output)


def test_empty_page(project: Path):
    (project / "docs/risks.md").write_text("# Risks and side effects\n")
    code, output = make_check(project)
    assert code == 1
    assert "ERROR docs/risks.md: This page has 0 words of text; it looks empty or unfinished." in output


def test_markdown_file_missing_from_navigation(project: Path):
    (project / "docs/parking.md").write_text("# Parking\n\nYou can park in the car park next to the main door.\n")
    code, output = make_check(project)
    assert code == 1
    assert "ERROR docs/parking.md: This page is not in the site's menu (nav in mkdocs.yml)" in output
    assert "Fix: Add it to nav in mkdocs.yml" in output


def test_no_built_site_gives_a_clear_message(project: Path):
    done = check(project)
    assert done.returncode == 2
    assert "There is no built site" in done.stderr and "make build" in done.stderr


def test_readability_table_goes_to_the_job_summary(project: Path, monkeypatch):
    assert build(project).returncode == 0
    summary = project / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    import helpers
    monkeypatch.setitem(helpers.ENV, "GITHUB_STEP_SUMMARY", str(summary))
    assert check(project).returncode == 0
    assert "| docs/after.md |" in summary.read_text()


# --- the pure functions behind the check ---------------------------------

def test_sentences_split_at_full_stops_and_block_ends():
    assert split_sentences("This is one. This is two! Is this three? 1 in 1000 is rare.") == [
        "This is one.", "This is two!", "Is this three?", "1 in 1000 is rare."]
    assert split_sentences("a list item with no stop") == ["a list item with no stop"]


def test_prose_blocks_leave_out_headings_code_and_review_dates():
    page = ('<article class="md-content__inner md-typeset"><h1>Title words here</h1>'
            '<p>Body <abbr title="long pop-up meaning">text</abbr> here.</p><p><code>x = 1</code> code.</p>'
            '<ul><li>Item one<ul><li>Nested</li></ul></li></ul>'
            '<div class="leaflet-review"><p>Page last reviewed</p></div></article>')
    assert [b.text for b in prose_blocks(page)] == ["Body text here.", "code.", "Item one", "Nested"]


def test_find_line_points_at_the_markdown_line():
    source = "# Title\n\nFirst para.\n\nThe [radiologist](x.md) will see you today.\n"
    assert find_line(source, "The radiologist will see you today.") == 5
    assert find_line(source, "Nothing like this") is None


@pytest.mark.parametrize("href, ok", [
    ("mailto:radiology@example.nhs.uk", True), ("mailto:radiology", False),
    ("tel:+441234567890", True), ("tel:01234 567890", True), ("tel:call-us", False),
])
def test_mailto_and_tel_links_are_checked_for_form(href: str, ok: bool):
    assert (contact_link_problem(href) is None) == ok


def test_bad_contact_link_on_a_page_fails(project: Path):
    add_to_page(project, "[Email us](mailto:radiology)", "docs/about.md")
    code, output = make_check(project)
    assert code == 1
    assert "The email link 'mailto:radiology' is not a valid address." in output


def _page(rel: str, links: list[str], ids: set[str] = frozenset()) -> Page:
    return Page(rel, frozenset(ids), tuple(Link(1, u) for u in links), ())


def test_broken_links_resolves_like_a_web_server():
    pages = {
        "index.html": _page("index.html", ["risks/", "risks/#stroke", "#top", "/leaflet/risks/", "img.png"], {"top"}),
        "risks/index.html": _page("risks/index.html", ["../", "../index.html#gone", "../nowhere/", "#none",
                                                        "https://example.org/", "mailto:a@b.uk", "/other/x/"], {"stroke"}),
    }
    files = {"index.html", "risks/index.html", "img.png"}
    assert broken_links(pages, files, "/leaflet/") == [
        ("risks/index.html", 1, "../index.html#gone", "anchor (#...)"),
        ("risks/index.html", 1, "../nowhere/", "link"),
        ("risks/index.html", 1, "#none", "anchor (#...)"),
        ("risks/index.html", 1, "/other/x/", "link"),
    ]


def test_our_link_check_agrees_with_lychee(project: Path):
    """On a site with a broken link and a broken anchor in raw HTML, our
    check and lychee --offline report the same pages and links."""
    add_to_page(project, '<a href="../nowhere/">Old</a> and <a href="../after/#gone">gone</a>', "docs/risks.md")
    assert build(project).returncode == 0
    site = project / "site"
    ours = {(rel, url) for rel, _, url, _ in broken_links(*read_site(site), LEAFLET.addresses.path)}
    report = run_lychee(lychee_command(site, LEAFLET.addresses.path))
    # lychee does not know the versioned layout: the old-version banner's link
    # to /latest/ leaves this build's folder, so lychee reports it on every page.
    theirs = {(Path(page).resolve().relative_to(site.resolve()).as_posix(), e["url"])
              for page, errors in report["error_map"].items() for e in errors if not re.search(r"/latest(/|$)", e["url"])}
    assert {rel for rel, _ in ours} == {rel for rel, _ in theirs} == {"risks/index.html", "print_page/index.html"}
    assert ("risks/index.html", "../nowhere/") in ours and ("risks/index.html", "../after/#gone") in ours
    assert len(theirs) == len(ours)


def test_spelling_checks_words_but_not_names_inside_a_sentence():
    from leaflet_site.check.spelling import misspelt

    words = {"approved", "by", "dr", "the", "colour", "is", "red"}
    assert misspelt("Approved by: Dr Jo Bloggs. Colect the colour.", words) == ["colect"]
    assert misspelt("Anesthetic is red.", words) == ["anesthetic"]  # first word of a sentence is checked
    assert misspelt("The color is red.", words) == ["color"]  # American spelling


def test_a_build_warning_we_have_no_words_for_still_fails(project: Path):
    """The check gathers the build's warnings without stopping at the first;
    one it cannot explain is shown as MkDocs wrote it, and still fails."""

    text = (project / "mkdocs.yml").read_text()
    nav = text.index("\nnav:\n") + len("\nnav:\n")
    (project / "mkdocs.yml").write_text(text[:nav] + "  - Parking: parking.md\n" + text[nav:])
    code, output = make_check(project)
    assert code == 1, output
    assert "ERROR mkdocs.yml: The build warned: A reference to 'parking.md' is included in the 'nav'" in output


def _scores(project: Path):
    """Readability of the project's pages at its base commit, as the check scores them."""
    from leaflet_site.check.build import build as build_in_process
    from leaflet_site.check.pages import read_site
    from leaflet_site.check.run import readability

    site = project.parent / "base-site"
    assert not build_in_process(project, site).stopped
    pages, _ = read_site(site)
    return readability(pages, site, project / "docs", project / "readability.yml", project)[1]


def test_on_github_each_finding_is_an_annotation_and_the_summary_lists_changed_pages(project: Path, tmp_path: Path,
                                                                                    monkeypatch):
    import subprocess

    from helpers import ENV, GIT_ENV

    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "base"], ["checkout", "-qb", "change"]):
        subprocess.run(["git", *args], cwd=project, env=GIT_ENV, check=True)
    monkeypatch.setenv("LEAFLET_PDF", "off")
    before = next(s for name, s in _scores(project) if name == "docs/risks.md")
    add_to_page(project, "Ask someone to colect you.", "docs/risks.md")
    subprocess.run(["git", "commit", "-qam", "A change"], cwd=project, env=GIT_ENV, check=True)
    line = _line_of(project / "docs/risks.md", "Ask someone to colect you.")
    summary = tmp_path / "summary.md"
    env = {**ENV, "LEAFLET_PDF": "off", "GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary),
           "GITHUB_BASE_REF": "main", "GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "nhs/leaflet",
           "GITHUB_RUN_ID": "7"}
    done = subprocess.run([sys.executable, "scripts/check.py", "--root", str(project), "--build"], cwd=project,
                          env=env, capture_output=True, text=True)
    assert done.returncode == 1
    assert (f"::error file=docs/risks.md,line={line},title=Leaflet check::'colect' is not in the British English "
            "dictionary.") in done.stdout
    text = summary.read_text()
    assert "## Leaflet check: 1 to fix" in text and "| `docs/risks.md` |" in text
    assert f"| `docs/risks.md` | {before.words} → {before.words + 5} |" in text  # readability before, then after
    assert "(https://github.com/nhs/leaflet/actions/runs/7)" in text
