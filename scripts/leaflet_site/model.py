"""The leaflet as its configuration describes it, read and checked once.

`from_config` takes the configuration MkDocs loaded (what a hook receives);
`load(root)` loads it for the check, a release, the benchmarks and the
tests. Every reader gets the same objects: details, glossary, changelog,
sections (from the nav), addresses and PDF names. A mistake raises a
LeafletError naming the file, the line where it can be found, and the fix.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from .addresses import Addresses, configured_site_url, preview_from_env
from .findings import LeafletError, line_of

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

    from .patient_text import PageRecord
from .names import CHANGELOG_FILE, CONFIG_FILE, GLOSSARY_FILE, GLOSSARY_PAGE, PRINT_PAGE  # noqa: F401 (re-exported)
# NHS guidance: review patient information at least every 3 years.
MAX_REVIEW_YEARS = 3


def long_date(day: dt.date) -> str:
    """28 November 2026: the date style of the NHS style guide."""
    return f"{day.day} {day:%B %Y}"


# --- leaflet details (extra.leaflet in mkdocs.yml) -------------------------

@dataclass(frozen=True)
class Source:
    """A source of evidence the leaflet was checked against (extra.leaflet.sources)."""
    title: str
    url: str
    checked: dt.date  # the day someone last checked the leaflet against it
    line: int | None = None  # where it is written in mkdocs.yml


@dataclass(frozen=True)
class Companion:
    """The leaflet in another language or format (extra.leaflet.companions).
    It is linked for patients only once someone has approved it."""
    name: str          # the language or format, e.g. "Polish" or "Easy Read"
    url: str
    approved_by: str = ""
    approved_on: dt.date | None = None
    line: int | None = None

    @property
    def approved(self) -> bool:
        return bool(self.approved_by and self.approved_on)


@dataclass(frozen=True)
class Details:
    title: str
    department: str
    organisation: str   # the trust or hospital; empty: the site names none
    version: str
    first_published: dt.date
    last_reviewed: dt.date
    next_review_due: dt.date
    reference: str
    phone: str
    # A check of the site by a person (an accessibility audit): when, and who.
    # Until one is recorded the accessibility statement says "partially compliant".
    manual_audit_date: dt.date | None = None
    manual_audit_by: str = ""
    # How a patient tells us what they think after their visit: an email
    # address, or the organisation's own form (never both); neither: the
    # phone line, or the staff at the appointment.
    feedback_email: str = ""
    feedback_url: str = ""
    # Who owns the leaflet (a role, not a person), and what it was checked against.
    owner: str = ""
    sources: tuple[Source, ...] = ()
    # Versions in other languages and formats that the organisation supplies.
    companions: tuple[Companion, ...] = ()

    @property
    def publisher(self) -> str:
        """Who the leaflet is from: the department, and its organisation when known."""
        return f"{self.department}, {self.organisation}" if self.organisation else self.department


def detail_node(config_text: str, key: str) -> tuple[yaml.Node, yaml.Node]:
    """Where extra.leaflet.KEY is written in mkdocs.yml: its key and value
    nodes (with their places in the text). Raises StopIteration if absent."""
    node = yaml.compose(config_text)
    if node is None:
        raise StopIteration
    for name in ("extra", "leaflet"):
        node = next(v for k, v in node.value if k.value == name)
    return next((k, v) for k, v in node.value if k.value == key)


def detail_line(config_text: str, key: str) -> int | None:
    """The line of mkdocs.yml where extra.leaflet.KEY is written."""
    try:
        return detail_node(config_text, key)[0].start_mark.line + 1
    except (yaml.YAMLError, StopIteration, AttributeError, TypeError):
        return line_of(config_text, f"{key}:")


def _error(key: str, problem: str, fix: str, config_text: str = "", line: int | None = None) -> LeafletError:
    if line is None and config_text:
        line = detail_line(config_text, key)
    return LeafletError(CONFIG_FILE, line, f"extra.leaflet.{key} {problem}", fix)


def item_lines(config_text: str, key: str) -> list[int]:
    """The line of mkdocs.yml where each entry of the list extra.leaflet.KEY starts."""
    try:
        node = detail_node(config_text, key)[1]
        return [item.start_mark.line + 1 for item in node.value]
    except (yaml.YAMLError, StopIteration, AttributeError, TypeError):
        return []


# A plain email address: something@somewhere.tld, with no spaces and no "?"
# (the subject and body are added by the site).
_EMAIL = re.compile(r"[^@\s?&/:]+@[^@\s?&/:]+\.[A-Za-z]{2,}")
# An address a patient's browser can open safely: https with a host.
_HTTPS = re.compile(r"https://[^\s/?#]+\.[^\s/?#]+(/\S*)?")


def _text_list(raw: dict[str, Any], key: str, fields: dict[str, str], config_text: str) -> list[tuple[dict[str, Any], int | None]]:
    """The entries of the list extra.leaflet.KEY, each a mapping with every
    field in `fields` (name: example) filled in, with its line."""
    value = raw.get(key)
    if value in (None, "", []):
        return []
    example = ", ".join(f"{name}: {ex}" for name, ex in fields.items())
    if not isinstance(value, list):
        raise _error(key, "must be a list.", f"Write each entry on its own line starting with '- ', for example - {example}",
                     config_text)
    lines = item_lines(config_text, key) if config_text else []
    entries = []
    for n, item in enumerate(value):
        line = lines[n] if n < len(lines) else None
        missing = [f for f in fields if not isinstance(item, dict) or item.get(f) in (None, "")]
        if missing:
            raise _error(key, f"entry {n + 1} has no {' and no '.join(missing)}.", f"Fill it in, for example - {example}",
                         config_text, line)
        entries.append((item, line))
    return entries


def _https(key: str, n: int, value: object, config_text: str, line: int | None) -> str:
    url = str(value).strip()
    if not _HTTPS.fullmatch(url):
        raise _error(key, f"entry {n} has the address {url!r}, which is not a full https:// address.",
                     "Copy the address from the browser's address bar, starting with https://", config_text, line)
    return url


def _entry_date(key: str, n: int, field: str, value: object, config_text: str, line: int | None) -> dt.date:
    if not isinstance(value, dt.date):
        raise _error(key, f"entry {n} has {field} {value!r}, which is not a date.",
                     f"Write it as YYYY-MM-DD, for example {field}: 2026-11-28", config_text, line)
    return value


def parse_sources(raw: dict[str, Any], config_text: str = "") -> tuple[Source, ...]:
    """extra.leaflet.sources: each with a title, a full address and the day it was checked."""
    sources = []
    for n, (item, line) in enumerate(_text_list(raw, "sources", {"title": "NHS: Sciatica", "url": "https://...",
                                                                 "checked": "2026-11-28"}, config_text), start=1):
        sources.append(Source(" ".join(str(item["title"]).split()), _https("sources", n, item["url"], config_text, line),
                              _entry_date("sources", n, "checked", item["checked"], config_text, line), line))
    return tuple(sources)


def parse_companions(raw: dict[str, Any], config_text: str = "") -> tuple[Companion, ...]:
    """extra.leaflet.companions: the leaflet in another language or format,
    each with its address; who approved it and when, both or neither."""
    companions = []
    for n, (item, line) in enumerate(_text_list(raw, "companions", {"name": "Polish", "url": "https://..."},
                                                config_text), start=1):
        by = " ".join(str(item.get("approved_by") or "").split())
        on = item.get("approved_on")
        if bool(by) != bool(on):
            raise _error("companions", f"entry {n} ({item['name']}) has only one of approved_by and approved_on.",
                         "Give both who approved this version and the date, or neither (it is then not linked).",
                         config_text, line)
        companions.append(Companion(" ".join(str(item["name"]).split()),
                                    _https("companions", n, item["url"], config_text, line), by,
                                    _entry_date("companions", n, "approved_on", on, config_text, line) if on else None,
                                    line))
    return tuple(companions)


def _feedback(raw: dict[str, Any], config_text: str) -> tuple[str, str]:
    email = str(raw.get("feedback_email") or "").strip()
    url = str(raw.get("feedback_url") or "").strip()
    if email and url:
        raise _error("feedback_url", "and feedback_email are both filled in.",
                     "Keep one: the email address, or the address of your organisation's own feedback form.", config_text)
    if email.startswith("mailto:"):
        email = email[len("mailto:"):]
    if email and not _EMAIL.fullmatch(email):
        raise _error("feedback_email", f"is {email!r}, which is not an email address.",
                     'Write it as name@example.nhs.uk, in quotes, for example feedback_email: "radiology@example.nhs.uk"',
                     config_text)
    if url and not _HTTPS.fullmatch(url):
        raise _error("feedback_url", f"is {url!r}, which is not a full https:// address.",
                     "Copy the form's address from the browser's address bar, starting with https://", config_text)
    return email, url


def _date(raw: dict[str, Any], key: str, config_text: str) -> dt.date:
    value = raw.get(key)
    if isinstance(value, dt.date):
        return value
    raise _error(key, f"is {value!r}, which is not a date.",
                 f"Write it as YYYY-MM-DD, for example {key}: 2026-11-28", config_text)


def parse_details(raw: dict[str, Any] | None, config_text: str = "") -> Details:
    """Check the leaflet details (extra.leaflet) and return them."""
    if not isinstance(raw, dict):
        raise LeafletError(CONFIG_FILE, None, "extra.leaflet is missing.",
                           "Add the leaflet details block (see CONTRIBUTING.md).")
    if "approved_by" in raw:
        raise _error("approved_by", "is no longer a leaflet detail: who approved a version is recorded "
                     "with that version in docs/changelog.yml.",
                     "Delete approved_by from mkdocs.yml and write it under this version in docs/changelog.yml.",
                     config_text)
    text = {}
    for key in ("title", "department", "version"):
        value = raw.get(key)
        if value is None or not str(value).strip():
            raise _error(key, "is empty.", "Fill it in.", config_text)
        text[key] = str(value).strip()
    if not re.fullmatch(r"\d+\.\d+", text["version"]):
        raise _error("version", f"is {text['version']!r}.",
                     'Write it as two numbers with a dot, in quotes, for example "1.2".', config_text)
    email, url = _feedback(raw, config_text)
    details = Details(
        **text,
        first_published=_date(raw, "first_published", config_text),
        last_reviewed=_date(raw, "last_reviewed", config_text),
        next_review_due=_date(raw, "next_review_due", config_text),
        organisation=str(raw.get("organisation") or "").strip(),
        reference=str(raw.get("reference") or "").strip(),
        phone=str(raw.get("phone") or "").strip(),
        manual_audit_by=str(raw.get("manual_audit_by") or "").strip(),
        manual_audit_date=_date(raw, "manual_audit_date", config_text) if raw.get("manual_audit_date") else None,
        feedback_email=email,
        feedback_url=url,
        owner=" ".join(str(raw.get("owner") or "").split()),
        sources=parse_sources(raw, config_text),
        companions=parse_companions(raw, config_text),
    )
    if bool(details.manual_audit_by) != bool(details.manual_audit_date):
        missing = "manual_audit_date" if details.manual_audit_by else "manual_audit_by"
        raise _error(missing, "is empty, but the other manual audit detail is filled in.",
                     "Give both the date of the audit and who did it, or neither.", config_text)
    if details.manual_audit_date and details.manual_audit_date > details.last_reviewed:
        raise _error("manual_audit_date", "is after last_reviewed.",
                     "Record an audit that has happened: check the date.", config_text)
    if details.last_reviewed < details.first_published:
        raise _error("last_reviewed", "is before first_published.", "Check both dates.", config_text)
    if not details.last_reviewed < details.next_review_due:
        raise _error("next_review_due", "must be after last_reviewed.", "Set it to a later date.", config_text)
    latest = details.last_reviewed.replace(year=details.last_reviewed.year + MAX_REVIEW_YEARS)
    if details.next_review_due > latest:
        raise _error("next_review_due", f"is more than {MAX_REVIEW_YEARS} years after last_reviewed.",
                     f"Set it to {latest.isoformat()} or earlier.", config_text)
    return details


# --- glossary (docs/glossary.yml) ------------------------------------------

@dataclass(frozen=True)
class Term:
    term: str
    meaning: str
    forms: tuple[str, ...]


def _entries(raw: object, source: str, kind: str, required: tuple[str, ...], problem: str, fix: str) -> list[dict[str, Any]]:
    """A YAML file's list of entries, each a mapping with the required keys
    filled in (the glossary, the changelog)."""
    if not isinstance(raw, list) or not raw:
        raise LeafletError(source, None, f"The file should be a list of {kind}.", "See the comment at the top of the file.")
    for n, item in enumerate(raw, start=1):
        if not isinstance(item, dict) or not all(item.get(key) for key in required):
            raise LeafletError(source, None, f"Entry {n} {problem}", fix)
    return raw


def parse_glossary(raw: object, source: str) -> list[Term]:
    """Check the glossary list and return its terms, sorted A to Z."""
    terms = []
    for item in _entries(raw, source, "words", ("term", "meaning"), "needs both 'term' and 'meaning'.",
                         "Add the missing one."):
        forms = item.get("forms") or []
        if not isinstance(forms, list):
            raise LeafletError(source, None, f"'forms' of {item['term']!r} must be a list.",
                               "Write it like [dose, doses].")
        terms.append(Term(str(item["term"]), " ".join(str(item["meaning"]).split()), tuple(map(str, forms))))
    return sorted(terms, key=lambda t: t.term.lower())


# --- changelog (docs/changelog.yml) ----------------------------------------

@dataclass(frozen=True)
class Release:
    version: str
    date: dt.date
    changes: str
    approved_by: str
    approved_on: dt.date | None = None  # the day `make approve` recorded the approval
    fingerprint: str = ""                # of the text approved (leaflet_site.patient_text)
    user_testing: UserTesting | None = None  # patients who read or tried this version before it was published


@dataclass(frozen=True)
class UserTesting:
    """Patients (or members of the public) who read or tried a version."""
    date: dt.date
    people: int
    what_changed: str  # what we changed as a result, in plain words


APPROVE = 'make approve BY="Name, role"'
_FINGERPRINT = re.compile(r"[0-9a-f]{64}")


def entry_line(text: str, version: str, key: str | None = None) -> int | None:
    """The line of a changelog entry (or of one of its keys), counted from 1."""
    lines = text.splitlines()
    start = next((n for n, line in enumerate(lines)
                  if re.match(rf"""^-?\s*version:\s*["']?{re.escape(version)}["']?\s*$""", line.strip())), None)
    if start is None:
        return None
    if key is None:
        return start + 1
    for n in range(start, len(lines)):
        if n > start and lines[n].startswith("- "):
            break
        if re.match(rf"^-?\s*{key}:", lines[n].strip()):
            return n + 1
    return start + 1


def parse_changelog(raw: object, source: str, text: str = "") -> list[Release]:
    """Check the changelog: a list of versions, newest first, each with a date
    and a plain description of what changed; an approval is made by `make
    approve`, so it carries the day and the fingerprint of the text approved.
    text: the file's text, to name the line of a mistake."""
    releases = []
    for item in _entries(raw, source, "versions", ("version", "changes"),
                         "needs a version and what changed (changes).", "Add them."):
        version = str(item["version"])
        if not isinstance(item.get("date"), dt.date):
            raise LeafletError(source, entry_line(text, version, "date"), f"The date of version {version} is {item.get('date')!r}.",
                               "Write it as YYYY-MM-DD, for example date: 2026-11-28")
        approved_by = str(item.get("approved_by") or "").strip()
        fingerprint = str(item.get("fingerprint") or "").strip()
        approved_on = item.get("approved_on")
        if approved_by and not fingerprint:
            raise LeafletError(source, entry_line(text, version, "approved_by"),
                               f"Version {version} names who approved it, but not the text they approved (no fingerprint).",
                               f"Empty approved_by, and let the clinician's approval be recorded with {APPROVE}.")
        if fingerprint and not _FINGERPRINT.fullmatch(fingerprint):
            raise LeafletError(source, entry_line(text, version, "fingerprint"),
                               f"The fingerprint of version {version} is not one that `make approve` writes.",
                               f"Never type it: delete the line and record the approval again with {APPROVE}.")
        if fingerprint and not approved_by:
            raise LeafletError(source, entry_line(text, version, "fingerprint"),
                               f"Version {version} has a fingerprint but no approved_by.",
                               f"Record the approval with {APPROVE}.")
        if approved_by and not isinstance(approved_on, dt.date):
            raise LeafletError(source, entry_line(text, version, "approved_by"),
                               f"Version {version} has no approved_on date (the day of the approval).",
                               f"Record the approval with {APPROVE}, which writes the date.")
        releases.append(Release(version, item["date"], " ".join(str(item["changes"]).split()), approved_by,
                                approved_on if approved_by else None, fingerprint,
                                parse_user_testing(item.get("user_testing"), version, source, text)))
    return releases


def parse_user_testing(raw: object, version: str, source: str, text: str = "") -> UserTesting | None:
    """A version's user_testing: the date, how many people took part, and what
    changed as a result. Empty: none recorded (nothing is shown)."""
    if raw in (None, "", {}):
        return None
    line = entry_line(text, version, "user_testing")
    example = "user_testing: {date: 2026-11-20, people: 5, what_changed: We made the risks page shorter.}"
    if not isinstance(raw, dict):
        raise LeafletError(source, line, f"user_testing of version {version} must give date, people and what_changed.",
                           f"Write it like {example}")
    if not isinstance(raw.get("date"), dt.date):
        raise LeafletError(source, line, f"The user testing date of version {version} is {raw.get('date')!r}.",
                           "Write it as YYYY-MM-DD, for example date: 2026-11-20")
    people = raw.get("people")
    if isinstance(people, bool) or not isinstance(people, int) or people < 1:
        raise LeafletError(source, line, f"The number of people in the user testing of version {version} is {people!r}.",
                           "Write how many people took part, as a whole number, for example people: 5")
    what = " ".join(str(raw.get("what_changed") or "").split())
    if not what:
        raise LeafletError(source, line, f"The user testing of version {version} does not say what changed as a result.",
                           'Say it in plain words, for example what_changed: "We made the risks page shorter." '
                           '(or "Nothing: people understood it.")')
    return UserTesting(raw["date"], people, what)


def read_yaml(path: Path, load: Callable[[str], object] = yaml.safe_load) -> object:
    """A data file of docs/, read with `load` (yaml.compose keeps the lines);
    a missing or broken file stops the build naming it and its line."""
    source = f"docs/{path.name}"
    try:
        return load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LeafletError(source, None, "The file is missing.", "Restore it from git.") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise LeafletError(source, mark.line + 1 if mark else None, f"The file is not valid YAML ({getattr(err, 'problem', err)}).",
                           "Check the indentation and put text with a colon in quotes.") from None


# --- sections (the nav) ----------------------------------------------------

@dataclass(frozen=True)
class Section:
    title: str
    file: str  # inside docs/, e.g. risks.md
    url: str   # as MkDocs gives it, e.g. risks/

    @property
    def slug(self) -> str:
        """A file name for things made per section (QR codes)."""
        return self.url.strip("/").replace("/", "-") or "leaflet"


def page_url(file: str) -> str:
    """The url MkDocs gives a Markdown file (use_directory_urls)."""
    stem = file[:-3] if file.endswith(".md") else file
    if stem == "index" or stem.endswith("/index"):
        stem = stem[: -len("index")]
        return stem
    return stem + "/"


def nav_pages(nav: object) -> list[tuple[str, str]]:
    """(title, file) of every page in the nav, in reading order."""
    found = []
    for item in nav if isinstance(nav, list) else []:
        if isinstance(item, dict):
            for title, value in item.items():
                if isinstance(value, str):
                    found.append((str(title), value))
                else:
                    found += nav_pages(value)
        elif isinstance(item, str):
            found.append((page_url(item).strip("/") or "Home", item))
    return [(t, f) for t, f in found if f.endswith(".md")]


# --- the model -------------------------------------------------------------

@dataclass(frozen=True)
class Leaflet:
    details: Details
    terms: list[Term]
    releases: list[Release]
    pages: list[Section]      # every page in the nav, in reading order
    printed: list[Section]    # the pages of the printed leaflet (print-site's), in reading order
    sections: list[Section]   # the leaflet's own sections: the pages a GP would send a patient to
    addresses: Addresses
    docs_dir: Path
    config_file: Path
    records: tuple[PageRecord, ...] = ()  # everything a patient reads, page by page (leaflet_site.patient_text.collect)
    fingerprint: str = ""     # of those records: what an approval must match

    @property
    def release(self) -> Release | None:
        """This version's changelog entry (None until it has one)."""
        return next((r for r in self.releases if r.version == self.details.version), None)

    @property
    def approval(self) -> str:
        """Where this version's approval stands: "none" (no approval recorded),
        "approved" (the text is exactly the text approved) or "changed" (an
        approval is recorded, and the text has changed since)."""
        release = self.release
        if release is None or not release.approved_by:
            return "none"
        return "approved" if release.fingerprint == self.fingerprint else "changed"

    @property
    def approver(self) -> str:
        """The clinician who approved this version's text as it is now, or ""."""
        release = self.release
        return release.approved_by if release is not None and self.approval == "approved" else ""

    @property
    def approved_versions(self) -> list[str]:
        """Every version a clinician approved, newest first: a release needs
        the approval, so each is (or, for this one, will be) published at
        /VERSION/."""
        return [r.version for r in self.releases if r.approved_by]

    @property
    def draft(self) -> bool:
        """Not (or no longer) approved for patients: no approval is recorded
        for this version, or its text changed since. Every page, the print
        page and the PDFs say so, and no review date is shown as if a review
        had happened."""
        return self.approval != "approved"

    @property
    def shown_as_draft(self) -> bool:
        """What the pages say: a draft, and always in a pull request's
        preview, which shows text under review even when its words match
        an approval."""
        return self.draft or self.addresses.preview is not None

    @property
    def pdf_names(self) -> dict[str, str]:
        base = f"{self.addresses.name}-v{self.details.version}"
        return {"standard": f"{base}.pdf", "large": f"{base}-large-print.pdf"}


def left_out_of_print(config: MkDocsConfig) -> set[str]:
    """The Markdown files print-site leaves out of the printed leaflet."""
    plugin = config.plugins.get("print-site")
    return set(plugin.config.get("exclude") or []) if plugin else set()


def from_config(config: MkDocsConfig) -> Leaflet:
    """The model from a loaded MkDocs configuration (MkDocsConfig)."""
    config_file = Path(config.config_file_path)
    config_text = config_file.read_text(encoding="utf-8")
    details = parse_details(config.extra.get("leaflet"), config_text)
    docs = Path(config.docs_dir)
    terms = parse_glossary(read_yaml(docs / GLOSSARY_FILE), f"docs/{GLOSSARY_FILE}")
    changelog = docs / CHANGELOG_FILE
    releases = parse_changelog(read_yaml(changelog), f"docs/{CHANGELOG_FILE}",
                               changelog.read_text(encoding="utf-8") if changelog.is_file() else "")
    pages = [Section(t, f, page_url(f)) for t, f in nav_pages(config.nav)]
    printed = [p for p in pages if p.file not in left_out_of_print(config)]
    # The sections: the pages print-site prints, but the word list.
    sections = [p for p in printed if p.file != GLOSSARY_PAGE]
    addresses = Addresses.make(configured_site_url(config_file), details.version, CONFIG_FILE,
                               line_of(config_text, "site_url:"), preview_from_env())
    leaflet = Leaflet(details, terms, releases, pages, printed, sections, addresses, docs, config_file)
    # What a patient reads, read once here for the build, the check, the
    # approval and the pack; its fingerprint is what an approval must match.
    from . import patient_text

    records = tuple(patient_text.collect(leaflet, config))
    return replace(leaflet, records=records,
                   fingerprint=patient_text.fingerprint(patient_text.record_text(leaflet, list(records))))


def load_config(root: Path, config_file: str = CONFIG_FILE) -> MkDocsConfig:
    """The project's configuration, loaded and checked as MkDocs does."""
    from mkdocs.config import load_config as mkdocs_load_config

    return mkdocs_load_config(str(Path(root) / config_file))


def load(root: Path, config_file: str = CONFIG_FILE) -> Leaflet:
    """Load the project's configuration as MkDocs would, and the model from it."""
    return from_config(load_config(root, config_file))
