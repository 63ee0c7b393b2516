"""The text the build puts in place of <!-- leaflet:name --> in the pages:
the leaflet's details, the contact line and the version history."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any
from urllib.parse import quote
import xml.etree.ElementTree as etree

from markdown import Extension, Markdown
from markdown.inlinepatterns import InlineProcessor
from markdown.util import AtomicString

from .addresses import Addresses
from .findings import LeafletError
from .glossary import glossary_list
from .model import Details, Leaflet, Release, UserTesting, long_date
from .names import OTHER_FORMATS_PAGE, PREVIEW_FILE, PRINT_PAGE, QR_DIR


# <!-- leaflet:name --> or, for a named statement, <!-- leaflet:statement drive-home -->.
PLACEHOLDER = re.compile(r"<!--\s*leaflet:([a-z-]+(?: [a-z0-9-]+)?)\s*-->")


NOT_APPROVED = "Not yet: this version is a draft"
DATA_CLASS = "leaflet-data"


def data(value: str) -> str:
    """A name, role, number or date from the leaflet's details or changelog,
    put in the page as it was typed (DataExtension), so "Consultant
    radiologist" is a person's title, not a glossary word to explain."""
    return f'<span class="{DATA_CLASS}">{html.escape(value, quote=False)}</span>' if value else value


class _DataProcessor(InlineProcessor):
    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element, int, int]:  # type: ignore[override]  # InlineProcessor's form; types-Markdown types Pattern's
        el = etree.Element("span", {"class": DATA_CLASS})
        el.text = AtomicString(html.unescape(m.group(1)))  # atomic: no glossary word, no emphasis inside
        return el, m.start(0), m.end(0)


class DataExtension(Extension):
    """Markdown extension (mkdocs.yml): the spans data() writes become
    elements whose text no other extension changes. Markdown would otherwise
    keep only the tags as raw HTML and still put glossary pop-ups inside."""

    def extendMarkdown(self, md: Markdown) -> None:
        # Before Markdown's raw HTML (priority 90), which would take the tag alone.
        md.inlinePatterns.register(_DataProcessor(rf'<span class="{DATA_CLASS}">(.*?)</span>', md), "leaflet-data", 95)


def details_table(d: Details, approver: str = "", approved_on: dt.date | None = None) -> str:
    """The 'Leaflet details' table of the About page, in Markdown. A draft
    (no approver, or text changed since the approval) shows no review date
    as if a review had happened."""
    approved = f"{data(approver)} on {data(long_date(approved_on))}" if approver and approved_on else data(approver)
    rows = [
        ("Version", data(d.version)),
        ("First published", data(long_date(d.first_published))),
        ("Last reviewed", data(long_date(d.last_reviewed)) if approver else NOT_APPROVED),
        ("Next review due", data(long_date(d.next_review_due)) if approver else NOT_APPROVED),
        ("Reference number", data(d.reference) or "Not given yet"),
        ("Written by", data(d.publisher)),
        ("Approved by", approved or NOT_APPROVED),
    ]
    lines = ["| Detail | Value |", "| --- | --- |"]
    lines += [f"| {name} | {value} |" for name, value in rows]
    return "\n".join(lines)


def from_text(d: Details) -> str:
    """Whose leaflet it is, on the home page's first screen."""
    return f"This leaflet is from the {data(d.publisher)}."


def statement_dates(d: Details, approved: bool) -> str:
    """When the accessibility statement was prepared and last reviewed: with
    the leaflet, so a draft claims no review."""
    prepared = f"We prepared this statement on {long_date(d.first_published)}."
    if approved:
        return f"{prepared} We last reviewed it on {long_date(d.last_reviewed)}."
    return f"{prepared} We will review it when a clinician approves this version of the leaflet."


def compliance_text(d: Details) -> str:
    """The accessibility statement's compliance status: "partially compliant"
    until a person's check of the site is recorded (extra.leaflet)."""
    rules = ("the Web Content Accessibility Guidelines (WCAG) version 2.2, level AA. "
             "These are the rules that UK public sector websites must follow.\n\n"
             "The law that says so is the Public Sector Bodies (Websites and Mobile Applications) (No. 2) "
             "Accessibility Regulations 2018.")
    if not d.manual_audit_date:
        return (f"This leaflet is partially compliant with {rules}\n\n"
                "Partially compliant means that we cannot yet say it meets all the rules. "
                "This is because no one has tested it by hand yet, including disabled people.\n\n"
                "So far, only computer tools and our own keyboard tests have checked it. "
                "The problems we know about are in the next part.")
    return (f"This leaflet is fully compliant with {rules}\n\n"
            f"{data(d.manual_audit_by[:1].upper() + d.manual_audit_by[1:])} tested it by hand on "
            f"{long_date(d.manual_audit_date)}. Our computer tools and keyboard tests check it too.")


def contact_text(d: Details) -> str:
    if d.phone:
        return f"If you have a question, phone the {d.department.lower()} on {d.phone}."
    return "If you have a question, use the phone number on your appointment letter."


# --- feedback, other languages and formats, how we wrote it, user testing -----

FEEDBACK_ANCHOR = "about/#tell-us-what-you-think"  # where the footer's link goes with no email or form
# The first lines of a feedback email: a prompt, and a plea to keep health details out of it.
FEEDBACK_PROMPT = ("What was hard to follow, or missing?\n\n"
                   "Please do not write about your own health here: we read this only to improve the leaflet.\n")


def feedback_mailto(d: Details, page_title: str = "") -> str:
    """A mailto: address whose subject names the leaflet, the version and the
    page (the page's title last: the footer's template adds it to the end)."""
    subject = f"Feedback: {d.title}, version {d.version}, page: "
    return (f"mailto:{d.feedback_email}?body={quote(FEEDBACK_PROMPT, safe='')}"
            f"&subject={quote(subject + page_title, safe='')}")


def feedback_form(d: Details, page_url: str = "") -> str:
    """The organisation's own form, told which version and which page (the
    page's address last: the footer's template adds it to the end)."""
    joiner = "&" if "?" in d.feedback_url else "?"
    return f"{d.feedback_url}{joiner}version={quote(d.version, safe='')}&page={quote(page_url, safe='/')}"


def feedback_text(d: Details) -> str:
    """How to tell us what you think, on the About page: by email, on the
    organisation's form, or (with neither) by phone or at the appointment."""
    intro = "We want this leaflet to be clear. If something is hard to follow or missing, please tell us."
    if d.feedback_email:
        return (f"{intro} [Email us at {d.feedback_email}]({feedback_mailto(d, 'About this leaflet')}).\n\n"
                "Please do not write about your own health in the email. We read it only to make the leaflet better.")
    if d.feedback_url:
        return f"{intro} [Use our feedback form]({feedback_form(d, 'about/')})."
    if d.phone:
        return f"{intro} Phone the {d.department.lower()} on {d.phone}, or tell the staff at your appointment."
    return f"{intro} Use the phone number on your appointment letter, or tell the staff at your appointment."


def cover_feedback(d: Details) -> dict[str, str]:
    """How to tell us what you think, on the print cover: the link's address
    and words (an email or the form, written out for paper), or, with
    neither, the words alone."""
    if d.feedback_email:
        return {"href": feedback_mailto(d, "Print this leaflet"), "label": d.feedback_email, "text": "email"}
    if d.feedback_url:
        address = feedback_form(d, PRINT_PAGE)
        return {"href": address, "label": Addresses.short(d.feedback_url), "text": "use our form at"}
    if d.phone:
        return {"href": "", "label": "", "text": f"phone the {d.department.lower()} on {d.phone}"}
    return {"href": "", "label": "", "text": "tell the staff, or phone the number on your appointment letter"}


def how_we_wrote_it(d: Details) -> str:
    """Who owns the leaflet and what it was checked against: only what is
    recorded (an empty detail says nothing)."""
    parts = []
    if d.owner:
        parts.append(f"This leaflet belongs to our {data(d.owner)}. They make sure it is checked and kept up to date.")
    if d.sources:
        items = "\n".join(f"- [{s.title}]({s.url}) (we checked it on {data(long_date(s.checked))})" for s in d.sources)
        parts.append(f"We checked this leaflet against:\n\n{items}")
    return "\n\n".join(parts)


def user_testing_text(releases: list[Release]) -> str:
    """Who read or tried each version before it was published, and what we
    changed as a result, newest first; nothing when none is recorded."""
    def one(version: str, t: UserTesting) -> str:
        people = "1 person" if t.people == 1 else f"{t.people} people"
        return (f"- Version {data(version)}: on {data(long_date(t.date))}, {people} read it and told us what "
                f"they thought. {t.what_changed}")

    tested = [one(r.version, r.user_testing) for r in releases if r.user_testing]
    if not tested:
        return ""
    return "People read this leaflet before we published it:\n\n" + "\n".join(tested)


def companions_text(d: Details) -> str:
    """The leaflet in other languages and formats that someone has approved;
    nothing until there is one (a version nobody approved is never linked)."""
    approved = [c for c in d.companions if c.approved]
    if not approved:
        return "We do not have this leaflet in other languages or formats online yet."
    items = "\n".join(f"- [{c.name}]({c.url}) (approved by {data(c.approved_by)} on {data(long_date(c.approved_on))})"
                       for c in approved if c.approved_on)
    return f"You can read this leaflet online in:\n\n{items}"


def version_link(version: str, addresses: Addresses) -> str:
    """Where an approved version can be read: this version's line links to
    /latest/, the permanent address (still true in this version's copy once a
    newer one is out); an earlier one's links to its own folder, where it
    stays as it was published."""
    if version == addresses.version:
        return f"This is the version you are reading. [Read the latest version]({addresses.latest})."
    if addresses.preview:  # a preview links to nothing of the published leaflet
        return f"Version {version} is on the published leaflet, not in this preview."
    return f"[Read version {version} as it was published]({addresses.page('', version)})."


def history_text(releases: list[Release], addresses: Addresses, draft: str | None = None) -> str:
    """The "What changed" page body, newest version first. Each approved
    version links to where it can be read; a draft is not published, so it
    has no link. draft: a version shown as a draft even with an approval
    recorded (its text changed since)."""
    parts = []
    for r in releases:
        if r.approved_by and r.version != draft:
            parts.append(f"## Version {r.version}\n\n{version_link(r.version, addresses)}\n\n"
                         f"Published on {long_date(r.date)}.\n\n{r.changes}\n\nApproved by: {data(r.approved_by)}.")
        else:  # a draft: not approved, so not published either
            parts.append(f"## Version {r.version}\n\nA draft: a clinician has not approved it yet, "
                         f"and it is not published.\n\n{r.changes}")
    return "\n\n".join(parts)


def page_parts(leaflet: Leaflet, approved: bool) -> dict[str, str]:
    """What each <!-- leaflet:name --> placeholder says, for this leaflet.
    approved: whether this version's text is approved (the review dates and
    "Approved by" are shown only then)."""
    from .gp import gp_links, version_address
    from .statements import URGENT, load_statements, load_urgent_advice, statement_parts, urgent_box

    d, a = leaflet.details, leaflet.addresses
    release = leaflet.release
    approval = (release.approved_by, release.approved_on) if approved and release else ("", None)
    return {
        "details": details_table(d, *approval),
        "contact": contact_text(d),
        "compliance": compliance_text(d),
        "from": from_text(d),
        "statement-dates": statement_dates(d, approved),
        "glossary": glossary_list(leaflet.terms),
        "history": history_text(leaflet.releases, a, leaflet.details.version if not approved else None),
        "gp-links": gp_links(leaflet, QR_DIR),
        "version-address": version_address(a),
        # Clinical text written once: the statements several pages need, and
        # the clinical team's urgent advice (nothing until they write it).
        URGENT: urgent_box(load_urgent_advice(leaflet.docs_dir)),
        **statement_parts(load_statements(leaflet.docs_dir)),
        "feedback": feedback_text(d),
        "how-we-wrote-it": how_we_wrote_it(d),
        "user-testing": user_testing_text(leaflet.releases),
        "companions": companions_text(d),
    }


def review_details(leaflet: Leaflet, draft: bool, pdf: bool) -> dict[str, Any]:
    """The leaflet's details for the templates (config.extra.review): the
    header, the draft notice, the print cover and the footer."""

    d, a = leaflet.details, leaflet.addresses
    this = leaflet.release
    return {
        "title": d.title,
        "department": d.department,
        "publisher": d.publisher,
        # This version's text is not (or no longer) the approved text: every page says it is a draft.
        "draft": draft,
        # A pull request's preview: the line naming it and its commit, and no search engine lists it.
        "pull_request": ({"number": a.preview.number, "commit": a.preview.commit, "short": a.preview.short_commit}
                         if a.preview else None),
        "reference": d.reference or "Not given yet",
        "short_url": a.short(a.latest),
        "pdf": leaflet.pdf_names if pdf else None,
        # The link-preview picture is drawn by Chromium with the PDFs.
        "preview": a.page(PREVIEW_FILE) if pdf else None,
        # Before its release a version has no date yet; it is "not yet published".
        "published": long_date(this.date) if this else "not yet published",
        "version": d.version,
        "last_reviewed": long_date(d.last_reviewed),
        "last_reviewed_iso": d.last_reviewed.isoformat(),
        "next_review_due": long_date(d.next_review_due),
        "next_review_due_iso": d.next_review_due.isoformat(),
        # The footer's feedback link (overrides/main.html adds the page):
        # an email, the organisation's form, or the About page's section.
        "feedback_mailto": feedback_mailto(d) if d.feedback_email else "",
        "feedback_form": feedback_form(d) if d.feedback_url else "",
        "feedback_page": FEEDBACK_ANCHOR,
        "other_formats": OTHER_FORMATS_PAGE,
        # The print cover (paper and the PDFs) gives the same routes, with
        # their full addresses, since the page's footer is not printed.
        "cover_feedback": cover_feedback(d),
        "other_formats_address": a.page(OTHER_FORMATS_PAGE),
        "other_formats_short": a.short(a.page(OTHER_FORMATS_PAGE)),
    }


def fill_placeholders(markdown: str, source: str, parts: dict[str, str]) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in parts:
            line = markdown.count("\n", 0, match.start()) + 1
            kind, _, rest = name.partition(" ")
            named = sorted(n.partition(" ")[2] for n in parts if n.partition(" ")[0] == kind and " " in n)
            if rest and named:  # e.g. a statement docs/statements.yml does not have
                raise LeafletError(source, line, f"Unknown {kind} '{rest}' in 'leaflet:{name}'.",
                                   f"Use one of {', '.join(named)}, or add it to docs/{kind}s.yml.")
            raise LeafletError(source, line, f"Unknown placeholder 'leaflet:{name}'.",
                               f"Use one of {', '.join(sorted(n for n in parts if ' ' not in n))}.")
        return parts[name]

    return PLACEHOLDER.sub(replace, markdown)
