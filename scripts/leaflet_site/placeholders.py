"""The text the build puts in place of <!-- leaflet:name --> in the pages:
the leaflet's details, the contact line and the version history."""

from __future__ import annotations

import re

from .findings import LeafletError
from .model import Details, Release, long_date


PLACEHOLDER = re.compile(r"<!--\s*leaflet:([a-z-]+)\s*-->")


def details_table(d: Details) -> str:
    """The 'Leaflet details' table of the About page, in Markdown."""
    rows = [
        ("Version", d.version),
        ("First published", long_date(d.first_published)),
        ("Last reviewed", long_date(d.last_reviewed)),
        ("Next review due", long_date(d.next_review_due)),
        ("Reference number", d.reference or "Not given yet"),
        ("Written by", d.department),
        ("Approved by", d.approved_by or "Not recorded on this site yet"),
    ]
    lines = ["| Detail | Value |", "| --- | --- |"]
    lines += [f"| {name} | {value} |" for name, value in rows]
    return "\n".join(lines)


def contact_text(d: Details) -> str:
    if d.phone:
        return f"If you have a question, phone the {d.department.lower()} on {d.phone}."
    return "If you have a question, use the phone number on your appointment letter."


def history_text(releases: list[Release]) -> str:
    """The "What changed" page body, newest version first."""
    parts = []
    for r in releases:
        parts.append(f"## Version {r.version}\n\nPublished on {long_date(r.date)}.\n\n{r.changes}\n\n"
                     f"Approved by: {r.approved_by or 'not recorded on this site yet'}.")
    return "\n\n".join(parts)


def fill_placeholders(markdown: str, source: str, parts: dict[str, str]) -> str:
    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name not in parts:
            line = markdown.count("\n", 0, match.start()) + 1
            raise LeafletError(source, line, f"Unknown placeholder 'leaflet:{name}'.",
                               f"Use one of {', '.join(sorted(parts))}.")
        return parts[name]

    return PLACEHOLDER.sub(replace, markdown)
