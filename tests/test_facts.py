"""Every clinical fact of the source leaflet is on the site, numbers unchanged."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from helpers import ROOT, article_text

FACTS = yaml.safe_load((Path(__file__).parent / "facts.yml").read_text(encoding="utf-8"))
SOURCE = ROOT.parent / "shared" / "source" / "nerve-root-injection-original.txt"
# The source's numbers, which must appear on the site exactly as written.
NUMBERS = ["up to 30 minutes", "less than 1 in 1000", "up to three weeks", "a couple of hours", "weeks to months"]


def missing_patterns(text: str, patterns: list[str]) -> list[str]:
    return [p for p in patterns if not re.search(p, text, re.IGNORECASE)]


@pytest.mark.parametrize("fact", FACTS, ids=lambda f: f["source"][:50])
def test_fact_is_on_its_page(site: Path, fact: dict):
    text = article_text(site / fact["page"] / "index.html")
    missing = missing_patterns(text, fact["patterns"])
    assert not missing, f"/{fact['page']}/ has lost: {fact['source']!r}\n(no match for {missing})"


def test_every_number_of_the_source_is_on_the_site(site: Path):
    text = " ".join(article_text(p) for p in site.glob("*/index.html"))
    assert [n for n in NUMBERS if n not in text] == []


def test_fact_list_covers_every_source_sentence():
    """Each sentence of the source appears (in part) in the fact list."""
    if not SOURCE.exists():
        pytest.fail(f"The source leaflet is missing: {SOURCE}")
    body = SOURCE.read_text(encoding="utf-8").split("\n", 2)[2]
    listed = " ".join(f["source"] for f in FACTS).lower()
    sentences = [s.strip() for s in re.split(r"(?<=\.)\s+", body) if s.strip()]
    unlisted = [s for s in sentences if " ".join(s.lower().split()[:5]) not in listed]
    assert not unlisted, f"Sentences of the source with no fact check: {unlisted}"


def test_removing_a_fact_fails_the_check(site: Path):
    fact = next(f for f in FACTS if "1 in 1000" in f["source"])
    text = article_text(site / "risks" / "index.html")
    assert missing_patterns(text, fact["patterns"]) == []
    without = text.replace("This risk is less than 1 in 1000.", "")
    assert missing_patterns(without, fact["patterns"]) == ["less than 1 in 1000"]


def test_changing_a_number_fails_the_check(site: Path):
    fact = next(f for f in FACTS if "30 minutes" in f["source"])
    text = article_text(site / "on-the-day" / "index.html").replace("30 minutes", "45 minutes")
    assert missing_patterns(text, fact["patterns"]) != []
