"""Checks on the Markdown an editor writes: front matter, heading levels and
raw HTML. Each finding names the file and line and says how to fix it."""

from __future__ import annotations

import re
from typing import Any

import yaml

from ..findings import Finding

FRONT_MATTER_KEYS = {"description", "search_words", "search"}
PLACEHOLDER = re.compile(r"^\s*<!--\s*leaflet:[a-z-]+\s*-->\s*$")
HTML_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*(\s[^>]*)?/?>")
FENCE = re.compile(r"^\s*(```|~~~)")


def front_matter(text: str) -> tuple[dict[str, Any] | None, int, str | None]:
    """(data, number of lines it takes, problem)."""
    if not text.startswith("---\n"):
        return None, 0, "has no front matter (the block between --- lines at the top)."
    end = text.find("\n---\n", 4)
    if end == -1:
        return None, 0, "has front matter that never ends: add a line with --- after it."
    block = text[4:end]
    try:
        data = yaml.safe_load(block) or {}
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 2 if mark else 1
        return None, line, f"has front matter that is not valid YAML ({getattr(err, 'problem', err)})."
    if not isinstance(data, dict):
        return None, 2, "has front matter that is not a list of 'name: value' lines."
    return data, block.count("\n") + 2, None


def check_source(name: str, text: str) -> list[Finding]:
    found = []
    data, skip, problem = front_matter(text)
    if problem:
        found.append(Finding(name, skip or 1, f"The page {problem}",
                             "Start the page with ---, then 'description: one sentence about the page', then ---."))
    elif data is not None:
        if not str(data.get("description") or "").strip():
            found.append(Finding(name, 1, "The page has no description (search engines and link previews show it).",
                                 "Add 'description: one plain sentence about the page' to the front matter."))
        for key in sorted(set(data) - FRONT_MATTER_KEYS):
            found.append(Finding(name, 1, f"The front matter has an unknown setting {key!r}.",
                                 f"Check the spelling; the settings a page can have are {', '.join(sorted(FRONT_MATTER_KEYS))}."))
    level, in_fence = 0, False
    for number, line in enumerate(text.splitlines(), start=1):
        if number <= skip:
            continue
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        heading = re.match(r"^(#{1,6})\s", line)
        if heading:
            new = len(heading.group(1))
            if level and new > level + 1:
                found.append(Finding(name, number,
                    f"This heading jumps from level {level} to level {new}: screen reader users lose their place.",
                    f"Use {'#' * (level + 1)} (one more # than the heading above it), not {'#' * new}."))
            elif not level and new != 1:
                found.append(Finding(name, number, "The page does not start with a main heading.",
                                     "Make the first heading a level 1 heading: one # then a space."))
            level = new
            continue
        if PLACEHOLDER.match(line):
            continue
        code_free = re.sub(r"`[^`]*`", "", line)
        tag = HTML_TAG.search(code_free)
        if tag:
            found.append(Finding(name, number, f"This line has raw HTML ({tag.group(0)[:40]}).",
                "Use Markdown instead: [text](page.md) for links, ![description](picture.png) for pictures, "
                "and ask a developer if Markdown cannot do it."))
    return found
