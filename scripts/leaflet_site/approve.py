"""`make approve BY="Name, role"`: record that a clinician approved the text
of this version, bound to that text.

It writes, under the version's entry in docs/changelog.yml, who approved it
(approved_by), the day (approved_on) and the fingerprint of everything a
patient reads (leaflet_site.patient_text); and the text itself, word for
word, in approvals/VERSION.txt, so a later change can be shown sentence by
sentence. From then on the build compares: while the text is the same, the
version is approved; once a word changes, it is a draft again until the new
text is approved.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any
from pathlib import Path

from . import model, patient_text
from .findings import Finding
from .names import CHANGELOG_FILE

CHANGELOG = f"docs/{CHANGELOG_FILE}"


class ApproveError(Exception):
    pass


@dataclass(frozen=True)
class Approval:
    version: str
    by: str
    on: dt.date
    fingerprint: str
    record: Path


def set_entry_keys(text: str, version: str, values: dict[str, str]) -> str:
    """The changelog's text with `key: value` lines set in the entry of
    `version` (replaced where the key is there, added at the entry's end),
    comments and everything else kept as they are."""
    lines = text.splitlines()
    start = model.entry_line(text, version)
    if start is None:
        raise ApproveError(f"{CHANGELOG} has no entry for version {version}.")
    start -= 1
    end = next((n for n in range(start + 1, len(lines)) if lines[n].startswith("- ")), len(lines))
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    lead = re.match(r"^(-?\s*)", lines[start])  # always matches: both parts may be empty
    indent = (lead.group(1) if lead else "").replace("-", " ")
    for key, value in values.items():
        at = next((n for n in range(start, end) if re.match(rf"^-?\s*{key}:", lines[n])), None)
        line = f"{indent}{key}: {value}"
        if at is None:
            lines.insert(end, line)
            end += 1
        else:
            lines[at] = lines[at][: lines[at].index(key)] + f"{key}: {value}"
    return "\n".join(lines) + "\n"


def approve(root: Path, by: str, today: dt.date, version: str | None = None) -> Approval:
    root = Path(root)
    by = " ".join(by.split())
    if not by:
        raise ApproveError('Say who approved the text: make approve BY="Dr A Jones, Consultant radiologist"')
    leaflet = model.load(root)
    current = leaflet.details.version
    if version and version != current:
        raise ApproveError(f"mkdocs.yml is at version {current}, not {version}: only the version the leaflet is "
                           f"at can be approved. Fix: set version: \"{version}\" in mkdocs.yml first, or approve {current}.")
    if leaflet.release is None:
        raise ApproveError(f"{CHANGELOG} has no entry for version {current}. Fix: add one at the top (version, "
                           "date and what changed, in plain words), then run make approve again.")
    text = patient_text.record_text(leaflet, list(leaflet.records))
    fingerprint = leaflet.fingerprint
    record = patient_text.record_path(root, current)
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text(text, encoding="utf-8")
    changelog = root / CHANGELOG
    changelog.write_text(set_entry_keys(changelog.read_text(encoding="utf-8"), current, {
        "approved_by": json.dumps(by, ensure_ascii=False),
        "approved_on": today.isoformat(),
        "fingerprint": json.dumps(fingerprint),
    }), encoding="utf-8")
    # Read back as the build reads it: the approval must now hold.
    if model.load(root).approval != "approved":
        raise ApproveError("The approval was written, but the build does not read it back as approved. "
                           "Fix: report this to a developer.")
    return Approval(current, by, today, fingerprint, record)


def recorded_text(root: Path, version: str) -> str | None:
    """approvals/VERSION.txt, or None when there is none."""
    path = patient_text.record_path(root, version)
    return path.read_text(encoding="utf-8") if path.is_file() else None



# --- what changed since the approval: for the release and the check ----------

@dataclass(frozen=True)
class SinceApproval:
    version: str | None           # the version whose approved text it is compared with (None: none approved)
    approval: model.Release | None
    diffs: list[Any] | None       # approval.PageDiff of each changed page; None when the record is missing
    leaflet: model.Leaflet
    record_ok: bool = True        # the record file is there and is the text its fingerprint is of


def since_approval(root: Path, leaflet: model.Leaflet | None = None) -> SinceApproval:
    """This version's text against the text last approved: this version's
    own approval if it has one, else the newest approved version's.
    leaflet: the project's model, when the caller has loaded it already."""
    leaflet = leaflet or model.load(root)
    release = leaflet.release
    approved = release if release and release.approved_by else next(
        (r for r in leaflet.releases if r.approved_by), None)
    if approved is None:
        return SinceApproval(None, None, None, leaflet)
    recorded = recorded_text(root, approved.version)
    if recorded is None:
        return SinceApproval(approved.version, approved, None, leaflet, record_ok=False)
    record_ok = patient_text.fingerprint(recorded) == approved.fingerprint
    diffs = patient_text.changed_pages(patient_text.parse_record(recorded), list(leaflet.records)) if record_ok else None
    return SinceApproval(approved.version, approved, diffs, leaflet, record_ok)


def describe(since: SinceApproval, limit: int = 12) -> list[str]:
    """The changed pages and their sentences, word by word, as lines of text."""
    lines = []
    shown = 0
    for diff in since.diffs or []:
        lines.append(f"  {diff.title} ({patient_text.source_file(_url_of(diff, since), since.leaflet)}): {diff.status}")
        for change in diff.changes:
            if shown == limit:
                lines.append("  … and more: make approval-pack shows every change.")
                return lines
            was, now = patient_text.change_lines(change)
            lines += [f"    was: {was}", f"    now: {now}"]
            shown += 1
    return lines


def _url_of(diff: Any, since: SinceApproval) -> str:
    page = next((p for p in since.leaflet.pages if p.title == diff.title), None)
    if page:
        return page.url
    return {patient_text.COVER[1]: patient_text.COVER[0], patient_text.DETAILS[1]: patient_text.DETAILS[0]}.get(
        diff.title, "")


def refusal(since: SinceApproval) -> str | None:
    """Why this version cannot be published under its approval, or None."""
    leaflet, release = since.leaflet, since.leaflet.release
    fix = (f"Fix: ask the approving clinician to read the new text (make approval-pack makes their pack), then "
           f"record their approval with {model.APPROVE}, commit, and run the release again.")
    if release is None or not release.approved_by:
        return (f"Version {leaflet.details.version} has not been approved: no clinician has approved its text. {fix}")
    record = patient_text.record_path(Path("."), release.version)
    if leaflet.approval == "approved":
        if since.record_ok:
            return None
        return (f"The text is the text approved, but its record ({record}) is missing or was edited by hand, so "
                "the published version would have no true record of what was approved. Fix: restore it with "
                f"git checkout -- {record} (or approve again with {model.APPROVE}), commit, and run the release again.")
    assert release.approved_on is not None  # model.parse_changelog: an approval has its day
    head = (f"The text patients read has changed since {release.approved_by} approved version {release.version} "
            f"on {model.long_date(release.approved_on)}, so it cannot be published under that approval.")
    if since.diffs is None:
        return (f"{head} The approved text ({record}) is missing or was edited by hand, so the changed sentences "
                f"cannot be shown. {fix}")
    return "\n".join([head, "What changed:", *describe(since), fix])


def notices(since: SinceApproval) -> list[Finding]:
    """For `make check` on a pull request: per page, that its patient text
    changed since a version was approved (a notice: a draft may change)."""

    if since.version is None or (since.leaflet.approval == "approved" and since.record_ok):
        return []
    fix = f"Attach the approval pack (make approval-pack) for the clinician; they approve with {model.APPROVE}."
    if since.diffs is None:
        return [Finding(CHANGELOG, model.entry_line(_changelog_text(since), since.version),
                        f"The text approved for version {since.version} (approvals/{since.version}.txt) is missing "
                        "or was edited by hand, so changes since the approval cannot be shown.", fix, level="notice")]
    return [Finding(patient_text.source_file(_url_of(d, since), since.leaflet), None,
                    f"Patient text changed since version {since.version} was approved "
                    f"({d.status}: {len(d.changes)} change{'s' if len(d.changes) != 1 else ''}).", fix, level="notice")
            for d in since.diffs]


def _changelog_text(since: SinceApproval) -> str:
    path = since.leaflet.docs_dir / CHANGELOG_FILE
    return path.read_text(encoding="utf-8") if path.is_file() else ""
