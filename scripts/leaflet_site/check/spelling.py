"""British English spelling of the prose a patient reads.

Words must be in the British English word list (Debian's wbritish package,
/usr/share/dict/british-english) or in our reviewed list of medical and
service words (words.txt), each with a reason."""

from __future__ import annotations

import re
from pathlib import Path

from ..findings import Finding
from .pages import find_line

DICTIONARY = Path("/usr/share/dict/british-english")
_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")


def load_words(dictionary: Path, reviewed: Path) -> set[str]:
    if not dictionary.exists():
        raise FileNotFoundError(
            f"The British English word list is missing ({dictionary}). Fix: apt-get install wbritish")
    words = {w.strip().lower() for w in dictionary.read_text(encoding="utf-8", errors="ignore").splitlines()}
    for line in reviewed.read_text(encoding="utf-8").splitlines():
        word = line.split("#")[0].strip()
        if word:
            words.add(word.lower())
    return words


_SENTENCE_START = re.compile(r"(?:^|[.!?:]\s+)([A-Za-z]+)")


def misspelt(text: str, words: set[str]) -> list[str]:
    """Words of `text` in neither list, in order, each once. A word with a
    capital letter inside a sentence is a name (of a person, place or
    organisation) and is not checked."""
    found = []
    starts = {m.start(1) for m in _SENTENCE_START.finditer(text)}
    for match in _WORD.finditer(text):
        word = match.group(0)
        if word[0].isupper() and match.start() not in starts:
            continue
        plain = word.replace("’", "'")
        lower = plain.lower()
        if lower in words or lower.removesuffix("'s") in words or len(lower) == 1:
            continue
        if lower not in found:
            found.append(lower)
    return found


def spelling_findings(texts: list[str], words: set[str], source: str, source_text: str) -> list[Finding]:
    found = []
    for text in texts:
        for word in misspelt(text, words):
            found.append(Finding(source, find_line(source_text, word) or None,
                f"{word!r} is not in the British English dictionary.",
                "Check the spelling (British, not American: 'anaesthetic', not 'anesthetic'). "
                "If the word is right, add it to words.txt with a reason."))
    return found
