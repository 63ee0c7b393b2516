"""Review dates: a leaflet past its review date may no longer be right."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from ..findings import Finding
from ..model import Source

# Warn this many days before the review is due: enough time to arrange a
# clinical review and publish the result (our own rule).
WARN_DAYS = 60


def review_findings(next_review_due: object, today: dt.date, config_name: str, line: int | None) -> list[Finding]:
    if not isinstance(next_review_due, dt.date):
        return [Finding(config_name, line, f"extra.leaflet.next_review_due is {next_review_due!r}, not a date.",
                        "Write it as YYYY-MM-DD, for example 2029-11-28.")]
    due = f"{next_review_due.day} {next_review_due:%B %Y}"
    if today > next_review_due:
        return [Finding(config_name, line,
            f"The leaflet was due for review on {due}; patients may be reading out-of-date advice.",
            "Review the leaflet with the clinical team, then update last_reviewed and next_review_due in mkdocs.yml.")]
    days = (next_review_due - today).days
    if days <= WARN_DAYS:
        return [Finding(config_name, line, f"The leaflet is due for review in {days} days ({due}).",
            "Arrange the clinical review now, so it is done before that date.", level="warning")]
    return []


def source_date_findings(sources: Iterable[Source], last_reviewed: dt.date, config_name: str) -> list[Finding]:
    """A source (extra.leaflet.sources) last checked before the leaflet's last
    review: the review may have relied on guidance that has changed since."""
    reviewed = f"{last_reviewed.day} {last_reviewed:%B %Y}"
    found = []
    for s in sources:
        if s.checked < last_reviewed:
            checked = f"{s.checked.day} {s.checked:%B %Y}"
            found.append(Finding(config_name, s.line,
                f"The source {s.title!r} was last checked on {checked}, before the leaflet's last review ({reviewed}).",
                "Check the leaflet against this source again, then set its checked date to the day you did.",
                level="notice"))
    return found
