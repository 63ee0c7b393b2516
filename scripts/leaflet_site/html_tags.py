"""Find a tag in a built page, read it with a parser, change the page by
splicing: every other byte stays as MkDocs and the theme wrote it.

"Find with a pattern, change with a parser" (../shared/guides/code-style.md):
`str.find` finds where a tag may start, and Python's html.parser reads it
(its attributes, and where it ends, even with a `>` inside a quoted value).
A full parse of every page with html.parser costs about 60 ms a page at
1,000 pages (each page carries the whole menu): a minute of build; finding
the few tags a step needs costs next to nothing. No regular expression reads
the HTML.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser


@dataclass(frozen=True)
class Tag:
    """A start tag in a page: its name and attributes (as html.parser reads
    them: names in lower case, values unescaped; None for a bare attribute),
    and where its text starts and ends (just after its `>`)."""

    name: str
    attrs: tuple[tuple[str, str | None], ...]
    start: int
    end: int

    def get(self, name: str, default: str = "") -> str:
        for key, value in self.attrs:
            if key == name:
                return "" if value is None else value
        return default

    def has(self, name: str) -> bool:
        return any(key == name for key, _ in self.attrs)

    def line(self, text: str) -> tuple[int, int] | None:
        """The whole line the tag stands alone on (its indentation and the
        line break after it), or None when other text shares the line."""
        begin = text.rfind("\n", 0, self.start) + 1
        if text[begin:self.start].strip(" \t"):
            return None
        return begin, self.end + 1 if text.startswith("\n", self.end) else self.end


class _OneTag(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: tuple[str, list[tuple[str, str | None]]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.found is None:
            self.found = (tag, attrs)

    handle_startendtag = handle_starttag


def tag_at(text: str, start: int) -> Tag | None:
    """The start tag that begins at `start` (its `<`), read by html.parser;
    None when there is none."""
    end = text.find(">", start)
    while end != -1:
        parser = _OneTag()
        parser.feed(text[start:end + 1])
        if parser.found is not None:
            name, attrs = parser.found
            return Tag(name, tuple(attrs), start, end + 1)
        # A `>` inside a quoted value: the tag goes on to the next one.
        end = text.find(">", end + 1)
    return None


_NAME_ENDS = frozenset(" \t\n\r\f/>")


def start_tags(text: str, name: str, begin: int = 0, stop: int | None = None) -> Iterator[Tag]:
    """Every `<name ...>` in text[begin:stop], in order."""
    needle = "<" + name
    at = text.find(needle, begin, stop)
    while at != -1:
        if text[at + len(needle):at + len(needle) + 1] in _NAME_ENDS:
            tag = tag_at(text, at)
            if tag is not None:
                yield tag
                at = tag.end
            else:
                at += len(needle)
        else:
            at += len(needle)
        at = text.find(needle, at, stop)


def find_all(text: str, needle: str) -> list[int]:
    """Where each `needle` starts in `text`, in order (no two overlap)."""
    found, at = [], text.find(needle)
    while at != -1:
        found.append(at)
        at = text.find(needle, at + len(needle))
    return found


def first_tag(text: str, name: str, begin: int = 0, stop: int | None = None) -> Tag | None:
    return next(start_tags(text, name, begin, stop), None)


def close_of(text: str, tag: Tag) -> int:
    """Where the first `</name>` after the tag starts (-1: none). Enough for
    elements that do not nest in themselves (script, style, headings, label)."""
    return text.find(f"</{tag.name}>", tag.end)


def in_order(text: str, names: Iterable[str], begin: int = 0, stop: int | None = None) -> list[Tag]:
    """The start tags of several names, in the page's order."""
    return sorted((t for name in names for t in start_tags(text, name, begin, stop)), key=lambda t: t.start)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def text_of(fragment: str) -> str:
    """The text of an HTML fragment, without its tags, entities decoded."""
    parser = _Text()
    parser.feed(fragment)
    parser.close()
    return "".join(parser.parts)


Edit = tuple[int, int, str]


def splice(text: str, edits: Iterable[Edit]) -> str:
    """`text` with each (start, end, new) edit made: text[start:end] becomes
    new. Edits may not overlap."""
    out, at = [], 0
    for start, end, new in sorted(edits, key=lambda e: (e[0], e[1])):
        if start < at:
            raise ValueError(f"Overlapping edits at {start}.")
        out += [text[at:start], new]
        at = end
    out.append(text[at:])
    return "".join(out)


@dataclass(frozen=True)
class Script:
    """A <script> element: its start tag and where its body starts and ends."""

    tag: Tag
    body_start: int
    body_end: int

    def body(self, text: str) -> str:
        return text[self.body_start:self.body_end]

    @property
    def inline_code(self) -> bool:
        """Code written into the page (not loaded by src=, not data such as
        JSON): what the security policy hashes."""
        return not self.tag.has("src") and not self.tag.get("type").startswith("application/")


def scripts(text: str) -> list[Script]:
    """Every script element, each read up to its first `</script>` (as a
    browser does)."""
    found, at = [], 0
    while (tag := first_tag(text, "script", at)) is not None:
        end = close_of(text, tag)
        if end == -1:
            break
        found.append(Script(tag, tag.end, end))
        at = end
    return found


_STYLESHEET = '<link rel="stylesheet" href="'


def stylesheet_lines(text: str) -> list[tuple[Tag, str, tuple[int, int]]]:
    """Each `<link rel="stylesheet" href="...">`, written just so (as the
    theme and print-site write them), that stands on a line of its own: with
    its href as written and its whole line. Remembered for the last pages
    read: the build's steps ask four times of each page, mostly unchanged
    (at 100 pages, 0.1 s of a 2 s build)."""
    return list(_stylesheet_lines(text))


@functools.lru_cache(maxsize=512)
def _stylesheet_lines(text: str) -> tuple[tuple[Tag, str, tuple[int, int]], ...]:
    found = []
    for tag in start_tags(text, "link"):
        written = text[tag.start:tag.end]
        href = written[len(_STYLESHEET):-2]
        if written.startswith(_STYLESHEET) and written.endswith('">') and '"' not in href:
            line = tag.line(text)
            if line is not None:
                found.append((tag, href, line))
    return tuple(found)


class _AllTags(HTMLParser):
    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.text = text
        self.lines = [0]
        at = text.find("\n")
        while at != -1:
            self.lines.append(at + 1)
            at = text.find("\n", at + 1)
        self.tags: list[Tag] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, column = self.getpos()
        start = self.lines[line - 1] + column
        written = self.get_starttag_text() or ""
        self.tags.append(Tag(tag, tuple(attrs), start, start + len(written)))

    handle_startendtag = handle_starttag


def parse_tags(text: str) -> list[Tag]:
    """Every start tag of a page, read by html.parser with where it stands:
    for a page that needs more than a few tags found (the print page)."""
    parser = _AllTags(text)
    parser.feed(text)
    parser.close()
    return parser.tags
