"""Numbers compared by value, so the facts check reads "3 weeks" on a page
as the source's "three weeks", and "1 in 1,000" as its "1 in 1000".

The site writes numbers in NHS style (numerals, with a comma in 1,000 and
above); the facts list quotes the source as it is written. Both sides are
put in one form before a pattern is matched.
"""

from __future__ import annotations

import re

# The number words a leaflet uses for quantities. "one" is in the list so
# that "one" and "1" match either way; NHS style keeps "one" in phrases
# ("one of them"), which only has to read the same on both sides.
WORDS = {w: n for n, w in enumerate(
    ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"])}
WORDS.update(thirty=30, forty=40, fifty=50, sixty=60, hundred=100, thousand=1000)
_WORD = re.compile(r"\b(" + "|".join(sorted(WORDS, key=len, reverse=True)) + r")\b", re.IGNORECASE)
# A comma between thousands: 1,000 and 12,500 (not "1, 2" or a regex's {0,20}).
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")


def by_value(text: str) -> str:
    """`text` with every number as plain digits: "three" -> "3", "1,000" -> "1000"."""
    text = _THOUSANDS.sub("", text)
    return _WORD.sub(lambda m: str(WORDS[m.group(1).lower()]), text)


# A number in a pattern (not a regex's {0,20}) stands for that whole number:
# "1 in 1000" must not match "1 in 10000".
_PATTERN_NUMBER = re.compile(r"(?<![{,\d])\d+(?![\d,}])")


def search(pattern: str, text: str) -> re.Match[str] | None:
    """re.search, case-insensitive, with numbers compared by value."""
    whole = _PATTERN_NUMBER.sub(lambda m: rf"(?<!\d){m.group(0)}(?!\d)", by_value(pattern))
    return re.search(whole, by_value(text), re.IGNORECASE)


# --- NHS style: numerals, and a comma in numbers of 1,000 and more ------------

# Words for a number that NHS style writes as a numeral ("3 weeks", not
# "three weeks"). "one" is left out: "one of them", "no one" are phrases.
NOT_NHS_WORDS = [w for w in WORDS if w not in ("zero", "one")]
_NOT_NHS_WORD = re.compile(r"\b(" + "|".join(NOT_NHS_WORDS) + r")\b", re.IGNORECASE)
# 4 digits or more with no comma. A year (1900 to 2099) is written without one.
_NO_COMMA = re.compile(r"(?<![\d,.])\d{4,}(?!\d|[,.]\d)")


def not_nhs_style(text: str) -> list[str]:
    """The numbers in `text` that NHS style writes differently."""
    found = [m.group(0) for m in _NOT_NHS_WORD.finditer(text)]
    found += [m.group(0) for m in _NO_COMMA.finditer(text) if not (len(m.group(0)) == 4 and 1900 <= int(m.group(0)) <= 2099)]
    return found
