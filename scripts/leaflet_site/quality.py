"""The quality report: the ten criteria of the PIF TICK (the Patient
Information Forum's quality mark for health information), each with what
the repository shows and what is missing.

Pure logic: `criteria(evidence)` takes what scripts/quality_report.py read
from the repository and returns the criteria; `markdown` and `html` write
them out. A criterion is "shown" only when the repository holds evidence
for it and nothing is missing; the report never says the leaflet meets the
mark (only PIF's own assessment can).
"""

from __future__ import annotations

import datetime as dt
import html as html_lib
from dataclasses import dataclass, field

from .model import MAX_REVIEW_YEARS, Leaflet, long_date

# Statuses, in the words a patient-information manager uses.
SHOWN, PARTLY, NOT_SHOWN = "Evidence in the repository", "Partly: gaps to fill", "No evidence in the repository"
NOT_A_CLAIM = ("This report lists what the leaflet's repository holds. It is evidence for an application, "
               "not an assessment: only the Patient Information Forum can say whether the leaflet meets the PIF TICK.")


@dataclass(frozen=True)
class PageScore:
    name: str        # docs/risks.md
    smog: float
    average: float   # words a sentence
    longest: int     # words in the longest sentence


@dataclass(frozen=True)
class Evidence:
    """What the repository holds, read by scripts/quality_report.py."""
    leaflet: Leaflet
    today: dt.date
    scores: tuple[PageScore, ...]               # readability of each page, as a reader meets it
    limits: dict[str, float]                    # readability.yml: smog_max, sentence_words_max, ...
    files: frozenset[str]                       # the repository's files this report looks for, those present
    facts: int = 0                              # clinical facts in docs/facts.yml, each quoting the source
    published_addresses: int = 0                # lines of published-urls.txt
    false_positives: int = 0                    # entries of tests/accessibility-false-positives.yml
    engines_report: str = ""                    # build/engines-report.txt's first line, if a test run left one
    engines: tuple[str, ...] = ()               # the accessibility engines the tests run


@dataclass(frozen=True)
class Criterion:
    number: int
    name: str
    asks: str                                   # what the criterion asks, in one line
    shown: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        if not self.shown:
            return NOT_SHOWN
        return PARTLY if self.missing else SHOWN


def _n(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _systems(e: Evidence) -> Criterion:
    leaflet, d = e.leaflet, e.leaflet.details
    c = Criterion(1, "Information production system", "A documented process to write, check, approve and review "
                  "information, with review dates.")
    if "CONTRIBUTING.md" in e.files:
        c.shown.append("A written process for editors and clinicians (CONTRIBUTING.md): how to change, check, "
                       "approve and publish the leaflet.")
    if ".github/CODEOWNERS" in e.files:
        c.shown.append(".github/CODEOWNERS names the clinical reviewers team as the reviewers of the changelog and the "
                       "approvals (binding only where the repository's settings require code owners' review).")
    c.shown.append(f"Version {d.version}; {_n(len(leaflet.releases), 'version')} in the changelog; "
                   f"{_n(len(leaflet.approved_versions), 'version')} approved by a clinician "
                   f"({', '.join(leaflet.approved_versions) or 'none yet'}).")
    if leaflet.draft:
        c.missing.append(f"Version {d.version} has no clinical approval recorded for its current text: the site "
                         "says it is a draft. Record one with make approve after the clinician signs the approval pack.")
    else:
        r = leaflet.release
        assert r is not None and r.approved_on is not None  # not a draft: this version's text is approved
        c.shown.append(f"Version {d.version} was approved by {r.approved_by} on {long_date(r.approved_on)}; "
                       "the approval is bound to the exact text (its fingerprint).")
    c.shown.append(f"Last reviewed {long_date(d.last_reviewed)}, next review due {long_date(d.next_review_due)} "
                   f"(at most {MAX_REVIEW_YEARS} years apart, checked on every build).")
    if e.today > d.next_review_due:
        c.missing.append(f"The review was due on {long_date(d.next_review_due)} and has not been recorded.")
    return c


def _training(e: Evidence) -> Criterion:
    c = Criterion(2, "Training and support", "People who produce information are trained and supported.")
    guides = [name for name, path in (("an editor's guide", "CONTRIBUTING.md"),
                                      ("a page template", "scripts/page-template.md"),
                                      ("a pull request checklist", ".github/pull_request_template.md"))
              if path in e.files]
    if guides:
        c.shown.append(f"Written support for editors: {', '.join(guides)}. Every check message names the file, the "
                       "line and the fix.")
    c.missing.append("No record of training for the people who write, check or approve the leaflet. The "
                     "repository does not hold this: keep it with your organisation's training records.")
    return c


def _need(e: Evidence) -> Criterion:
    c = Criterion(3, "Based on need", "The information answers a known need of patients.")
    if e.facts:
        c.shown.append(f"It is based on the department's approved leaflet: {_n(e.facts, 'clinical fact')} listed in "
                       "docs/facts.yml, each quoting the source.")
    c.missing.append("No record of why the leaflet is needed or who asked for it (for example, patients' questions, "
                     "complaints or a clinical team's request).")
    return c


def _evidence(e: Evidence) -> Criterion:
    d = e.leaflet.details
    c = Criterion(4, "Evidence", "Information is based on reliable, current evidence, and someone owns it.")
    if d.owner:
        c.shown.append(f"The leaflet's owner: {d.owner}.")
    else:
        c.missing.append("No owner is named. Fill in extra.leaflet.owner in mkdocs.yml with a role.")
    if d.sources:
        c.shown.append(f"{_n(len(d.sources), 'source')} named, each with the day it was checked: "
                       + "; ".join(f"{s.title} ({long_date(s.checked)})" for s in d.sources) + ".")
        old = [s.title for s in d.sources if s.checked < d.last_reviewed]
        if old:
            c.missing.append(f"Checked before the last review ({long_date(d.last_reviewed)}): {', '.join(old)}.")
    else:
        c.missing.append("No sources of evidence are named. Fill in extra.leaflet.sources in mkdocs.yml.")
    if e.facts and "tests/test_facts.py" in e.files:
        c.shown.append(f"{_n(e.facts, 'clinical fact')} from the department's approved text, each checked on the "
                       "site by the tests (tests/test_facts.py); the approval pack marks any sentence the source "
                       "does not have.")
    return c


def _users(e: Evidence) -> Criterion:
    c = Criterion(5, "Involving users", "Patients help to develop and test the information.")
    tested = [(r, r.user_testing) for r in e.leaflet.releases if r.user_testing]
    for r, t in tested:
        c.shown.append(f"Version {r.version}: {_n(t.people, 'person', 'people')} read it on {long_date(t.date)}. "
                       f"What changed: {t.what_changed}")
    if not tested:
        c.missing.append("No record that patients read or tested any version. Record it under the version in "
                         "docs/changelog.yml (user_testing).")
    elif not e.leaflet.release or not e.leaflet.release.user_testing:
        c.missing.append(f"Version {e.leaflet.details.version} has no user testing recorded.")
    return c


def _inequalities(e: Evidence) -> Criterion:
    d = e.leaflet.details
    c = Criterion(6, "Health inequalities", "The information reaches people who find information hardest to get "
                  "or use.")
    if e.engines:
        c.shown.append(f"The tests check every published page with {_n(len(e.engines), 'accessibility tool')} "
                       f"({', '.join(e.engines)}) at WCAG 2.2 A and AA; "
                       f"{_n(e.false_positives, 'rule is', 'rules are')} set aside as a tool's mistake, each with its "
                       "reason (tests/accessibility-false-positives.yml).")
    if "tests/test_keyboard.py" in e.files:
        c.shown.append("The tests also go through every page with the keyboard alone, at phone and laptop widths.")
    if e.engines_report:
        c.shown.append(f"The last test run on this machine: {e.engines_report} (build/engines-report.txt).")
    else:
        c.missing.append("No result of the accessibility tools is kept in the repository: they pass or fail in "
                         "each test run (CI). Attach the run's results to an application.")
    if "docs/other-formats.md" in e.files:
        c.shown.append("A page on other languages and formats (large print, listening, Easy Read, braille, audio, "
                       "interpreters), linked from every page.")
    approved = [x for x in d.companions if x.approved]
    if approved:
        c.shown.append("Approved versions in other languages or formats: "
                       + ", ".join(f"{x.name} (approved by {x.approved_by}, {long_date(x.approved_on)})" for x in approved if x.approved_on)
                       + ".")
    else:
        c.missing.append("No approved version in another language or format (extra.leaflet.companions).")
    if d.manual_audit_date:
        c.shown.append(f"Checked by hand by {d.manual_audit_by} on {long_date(d.manual_audit_date)}.")
    else:
        c.missing.append("No one has tested the site by hand (an accessibility audit), including disabled people.")
    return c


def _content(e: Evidence) -> Criterion:
    c = Criterion(7, "Content and design", "Information is clear, easy to read and well designed.")
    if e.scores:
        worst = max(e.scores, key=lambda s: s.smog)
        longest = max(e.scores, key=lambda s: s.longest)
        smog_max = e.limits.get("smog_max")
        words_max = e.limits.get("sentence_words_max")
        c.shown.append(f"{_n(len(e.scores), 'page')} scored for readability: SMOG {min(s.smog for s in e.scores):.1f} "
                       f"to {worst.smog:.1f} ({worst.name}), limit {smog_max}; longest sentence {longest.longest} "
                       f"words ({longest.name}), limit {words_max}; at most "
                       f"{max(s.average for s in e.scores):.1f} words a sentence on average.")
        over = [s.name for s in e.scores if smog_max is not None and s.smog > smog_max]
        if over:
            c.missing.append(f"Over the readability limit: {', '.join(over)}.")
    else:
        c.missing.append("No readability figures: build the site first (make build).")
    c.shown.append(f"{_n(len(e.leaflet.terms), 'word')} explained in everyday words (Words we use); the whole "
                   "leaflet prints, and comes as a PDF and a large print PDF.")
    return c


def _feedback(e: Evidence) -> Criterion:
    d = e.leaflet.details
    c = Criterion(8, "Feedback", "Users can give feedback, and it is used to improve the information.")
    if d.feedback_email:
        c.shown.append(f"Every page links to an email to {d.feedback_email}; its subject names the page and the version.")
    elif d.feedback_url:
        c.shown.append(f"Every page links to the feedback form {d.feedback_url}, with the page and the version.")
    else:
        c.shown.append("Every page links to \"Tell us what you think\" on the About page, which says to "
                       + ("phone the department" if d.phone else "use the phone number on the appointment letter")
                       + " or tell the staff.")
        c.missing.append("No way to send feedback in writing after the visit: fill in extra.leaflet.feedback_email "
                         "or feedback_url.")
    c.missing.append("No record of feedback received or of what changed because of it: the repository does not "
                     "hold this.")
    return c


def _dissemination(e: Evidence) -> Criterion:
    c = Criterion(9, "Dissemination", "Information is easy to find and to share with the people who need it.")
    if "docs/gp-practices.md" in e.files:
        c.shown.append("A page for GP practices with each section's address and QR code.")
    c.shown.append(f"{_n(e.published_addresses, 'published address', 'published addresses')} kept working for good "
                   "(published-urls.txt); a QR code on the print cover; Share and Print on every page; every version "
                   "stays online at its own address.")
    return c


def _impact(e: Evidence) -> Criterion:
    c = Criterion(10, "Impact", "The organisation knows whether the information is used and makes a difference.")
    c.missing.append("No measure of use or impact is recorded. The site has no analytics on purpose; the README "
                     "(Counting use without tracking) says how to count visits from the web server's own logs.")
    return c


def criteria(e: Evidence) -> list[Criterion]:
    return [f(e) for f in (_systems, _training, _need, _evidence, _users, _inequalities, _content, _feedback,
                           _dissemination, _impact)]


def _title(e: Evidence) -> str:
    d = e.leaflet.details
    return f"Quality report: {d.title}, version {d.version}"


def markdown(e: Evidence, found: list[Criterion]) -> str:
    """For a pull request's summary."""
    lines = [f"# {_title(e)}", "", f"Made on {long_date(e.today)}. {NOT_A_CLAIM}", "",
             "| Criterion | What the repository shows |", "| --- | --- |"]
    lines += [f"| {c.number}. {c.name} | {c.status} |" for c in found]
    for c in found:
        lines += ["", f"## {c.number}. {c.name}", "", f"It asks: {c.asks}", "", f"**{c.status}**", ""]
        lines += [f"- Shown: {s}" for s in c.shown]
        lines += [f"- Missing: {m}" for m in c.missing]
    return "\n".join(lines) + "\n"


def html(e: Evidence, found: list[Criterion]) -> str:
    """One accessible page, for the patient-information manager."""
    def esc(text: object) -> str:
        return html_lib.escape(str(text), quote=True)

    rows = "".join(f'<tr><th scope="row"><a href="#c{c.number}">{c.number}. {esc(c.name)}</a></th>'
                   f"<td>{esc(c.status)}</td></tr>" for c in found)
    parts = []
    for c in found:
        shown = "".join(f"<li>{esc(s)}</li>" for s in c.shown) or "<li>Nothing.</li>"
        missing = "".join(f"<li>{esc(m)}</li>" for m in c.missing) or "<li>Nothing.</li>"
        parts.append(f'<section aria-labelledby="c{c.number}"><h2 id="c{c.number}">{c.number}. {esc(c.name)}</h2>'
                     f"<p>It asks: {esc(c.asks)}</p><p><strong>{esc(c.status)}</strong></p>"
                     f"<h3>What the repository shows</h3><ul>{shown}</ul>"
                     f"<h3>What is missing</h3><ul>{missing}</ul></section>")
    return ('<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{esc(_title(e))}</title>\n<style>"
            "body{font-family:Arial,sans-serif;max-width:48rem;margin:0 auto;padding:1rem;line-height:1.5;color:#1a1a1a}"
            "table{border-collapse:collapse;width:100%}th,td{border:1px solid #555;padding:.3rem .5rem;text-align:left}"
            "a{color:#005eb8}</style>\n</head>\n<body>\n<main>\n"
            f"<h1>{esc(_title(e))}</h1><p>Made on {esc(long_date(e.today))}. {esc(NOT_A_CLAIM)}</p>"
            '<table><caption>The ten criteria of the PIF TICK</caption><thead><tr><th scope="col">Criterion</th>'
            f'<th scope="col">What the repository shows</th></tr></thead><tbody>{rows}</tbody></table>'
            + "".join(parts) + "\n</main>\n</body>\n</html>\n")
