"""Clinical text written once in a data file: the statements several pages
share (docs/statements.yml) and the clinical team's urgent advice
(docs/urgent-advice.yml), shown on After and Risks only when filled in."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from lxml import html as lxml_html

from helpers import LEAFLET, ROOT, SECTIONS, article_text, build, copy_project, once_a_run
from leaflet_site import page_text, placeholders, statements
from leaflet_site.check.pages import prose_blocks
from leaflet_site.findings import LeafletError

# Sample text, only ever in a copy of the project: the real leaflet shows no
# urgent advice until the clinical team writes it.
SAMPLE = {
    "immediate": {"lead": "SAMPLE Call 999 if:", "items": ["SAMPLE you cannot move your legs"]},
    "urgent": {"lead": "SAMPLE Phone the department if:", "items": ["SAMPLE the pain is getting worse"]},
}
BOX_PAGES = {"after", "risks"}  # the pages that hold <!-- leaflet:urgent-advice -->


# --- statements ---------------------------------------------------------------

def test_an_unknown_statement_names_the_file_and_line():
    parts = statements.statement_parts(statements.load_statements(ROOT / "docs"))
    with pytest.raises(LeafletError) as err:
        placeholders.fill_placeholders("# Title\n\n<!-- leaflet:statement drive-hom -->\n", "docs/x.md", parts)
    assert str(err.value).startswith("docs/x.md:3: Unknown statement 'drive-hom' in 'leaflet:statement drive-hom'.")
    assert "do-not-drive-home" in err.value.finding.fix


def test_a_statement_is_put_in_place():
    parts = statements.statement_parts({"x": "One. Two."})
    assert placeholders.fill_placeholders("a\n\n<!-- leaflet:statement x -->\n", "x.md", parts) == "a\n\nOne. Two.\n"


def test_every_statement_is_used():
    used = " ".join((ROOT / "docs" / s.file).read_text(encoding="utf-8") for s in LEAFLET.pages)
    assert [n for n in statements.load_statements(ROOT / "docs") if f"<!-- leaflet:statement {n} -->" not in used] == []


@pytest.mark.parametrize("text, line, says", [
    ("a-b: One.\nA_B: Two.\n", 2, "has letters a page cannot use"),
    ("a-b: One.\na-b: Two.\n", 2, "is written twice"),
    ("# c\na-b: One.\nc-d:\n", 3, "has no text"),
    ("- One.\n", 1, "should be a list of named statements"),
])
def test_a_bad_statements_file_names_its_line(tmp_path: Path, text: str, line: int, says: str):
    (tmp_path / statements.STATEMENTS_FILE).write_text(text, encoding="utf-8")
    with pytest.raises(LeafletError) as err:
        statements.load_statements(tmp_path)
    assert err.value.finding.where == f"docs/{statements.STATEMENTS_FILE}:{line}" and says in err.value.finding.problem


# --- urgent advice ----------------------------------------------------------------

@pytest.mark.parametrize("text, line, says", [
    ('urgent:\n  lead: "Phone us if:"\n  items: []\n', 1, "has a lead but no items"),
    ('immediate:\n  lead: ""\n  items: [a]\n', 1, "has items but no lead"),
    ('# c\nsoon:\n  lead: ""\n', 2, "'soon' is not a part"),
    ('urgent:\n  lead: "x"\n  items: a\n', 3, "should be a list"),
])
def test_a_bad_urgent_advice_file_names_its_line(tmp_path: Path, text: str, line: int, says: str):
    (tmp_path / statements.URGENT_FILE).write_text(text, encoding="utf-8")
    with pytest.raises(LeafletError) as err:
        statements.load_urgent_advice(tmp_path)
    assert err.value.finding.where == f"docs/{statements.URGENT_FILE}:{line}" and says in err.value.finding.problem


def test_the_real_leaflet_shows_the_box_only_if_the_clinical_team_wrote_it(site: Path):
    written = statements.load_urgent_advice(ROOT / "docs")
    shown = {p.parent.name for p in site.glob("*/index.html") if statements.URGENT_CLASS in p.read_text(encoding="utf-8")}
    assert shown == ((BOX_PAGES | {"print_page"}) if written else set())


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory) -> Path:
    """A copy of the project with sample urgent advice, built (once a test
    run, whichever worker asks first)."""
    return Path(once_a_run(tmp_path_factory, "urgent-advice", _sample_site))


def _sample_site(folder: Path) -> str:
    project = copy_project(folder / "project")
    path = project / "docs" / statements.URGENT_FILE
    comments = "".join(line for line in path.read_text(encoding="utf-8").splitlines(keepends=True) if line.startswith("#"))
    path.write_text(comments + yaml.safe_dump(SAMPLE, sort_keys=False), encoding="utf-8")
    done = build(project)
    assert done.returncode == 0, done.stdout + done.stderr
    return str(project / "site")


def sample_words() -> list[str]:
    return [text for part in SAMPLE.values() for text in (part["lead"], *part["items"])]


def test_the_box_is_on_after_and_risks_only(sample_site: Path):
    for section in SECTIONS:
        text = article_text(sample_site / section / "index.html")
        missing = [w for w in sample_words() if w not in text]
        assert missing == ([] if section in BOX_PAGES else sample_words()), section


def test_the_box_names_each_part_in_words_in_nhs_order(sample_site: Path):
    text = article_text(sample_site / "after" / "index.html")
    immediate = text.index(f"Immediate action required: {SAMPLE['immediate']['lead']}")
    assert immediate < text.index(f"Urgent advice: {SAMPLE['urgent']['lead']}")


def test_the_box_is_checked_like_every_sentence(sample_site: Path):
    """Its lead and items are prose of the page: read by the readability
    check and the approval pack."""
    blocks = [b.text for b in prose_blocks((sample_site / "risks" / "index.html").read_text(encoding="utf-8"))]
    assert [w for w in sample_words() if not any(w in b for b in blocks)] == []


def test_the_box_is_printed(sample_site: Path):
    text = (sample_site / "print_page" / "index.html").read_text(encoding="utf-8")
    assert all(text.count(w) == len(BOX_PAGES) for w in sample_words())


def listen_text(page_html: str) -> str:
    """What "Listen to this page" reads: the page's text as the package
    defines it (leaflet_site.page_text; tests/test_page_text.py shows that
    leaflet.js says exactly these words in Chromium)."""
    return " ".join(page_text.words(page_text.read_article(page_html)))


def test_the_box_is_read_aloud(sample_site: Path):
    for page in BOX_PAGES:
        heard = listen_text((sample_site / page / "index.html").read_text(encoding="utf-8"))
        assert [w for w in sample_words() if w not in heard] == [], page


def test_listen_text_leaves_out_what_leaflet_js_leaves_out(sample_site: Path):
    """The Listen and Share buttons are in the article, and are not read."""
    page = (sample_site / "after" / "index.html").read_text(encoding="utf-8")
    [tools] = lxml_html.fromstring(page).xpath('//article//*[@class="leaflet-tools"]')
    assert "Listen to this page" in tools.text_content()
    heard = listen_text(page)
    assert "After the injection" in heard and "Listen to this page" not in heard
