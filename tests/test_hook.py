"""The leaflet model and the text the build writes: leaflet details, glossary and placeholders reject bad input
with a message that names the file and says how to fix it."""

from __future__ import annotations

import datetime as dt

import pytest
from mkdocs.exceptions import PluginError

from leaflet_site import addresses, glossary, model, placeholders

GOOD = {
    "title": "Image guided nerve root injection", "department": "Radiology department", "version": "1.0",
    "organisation": "",
    "first_published": dt.date(2026, 11, 28), "last_reviewed": dt.date(2026, 11, 28),
    "next_review_due": dt.date(2029, 11, 28), "reference": "", "phone": "",
}


def test_good_details_are_read():
    d = model.parse_details(GOOD)
    assert d.version == "1.0" and model.long_date(d.next_review_due) == "28 November 2029"


@pytest.mark.parametrize("change, message", [
    ({"last_reviewed": "28/11/2026"}, "extra.leaflet.last_reviewed is '28/11/2026', which is not a date"),
    ({"next_review_due": None}, "extra.leaflet.next_review_due is None, which is not a date"),
    ({"version": "1"}, "extra.leaflet.version is '1'"),
    ({"version": ""}, "extra.leaflet.version is empty"),
    ({"next_review_due": dt.date(2030, 1, 1)}, "more than 3 years after last_reviewed"),
    ({"next_review_due": dt.date(2026, 1, 1)}, "next_review_due must be after last_reviewed"),
    ({"first_published": dt.date(2027, 1, 1)}, "last_reviewed is before first_published"),
])
def test_bad_details_fail_with_a_fix(change, message):
    with pytest.raises(PluginError) as err:
        model.parse_details({**GOOD, **change})
    assert message in str(err.value) and "Fix:" in str(err.value)
    assert str(err.value).startswith("mkdocs.yml: ")


def test_missing_values_get_honest_defaults():
    table = placeholders.details_table(model.parse_details(GOOD))
    assert "| Reference number | Not given yet |" in table
    assert "| Approved by | Not yet: this version is a draft |" in table
    assert "| Last reviewed | Not yet: this version is a draft |" in table
    approved = placeholders.details_table(model.parse_details(GOOD), "Dr A Clinician")
    assert f"| Approved by | {placeholders.data('Dr A Clinician')} |" in approved and "Not yet" not in approved
    assert placeholders.contact_text(model.parse_details(GOOD)).endswith("use the phone number on your appointment letter.")
    with_phone = model.parse_details({**GOOD, "phone": "01234 567890"})
    assert "01234 567890" in placeholders.contact_text(with_phone)


def test_glossary_gives_each_form_a_pop_up():
    terms = model.parse_glossary([{"term": "nerve root", "forms": ["nerve roots"], "meaning": "Where a nerve leaves the spine."}], "g.yml")
    meaning = "Where a nerve leaves the spine."
    assert glossary.abbreviations(terms) == {
        "nerve root": meaning, "Nerve root": meaning, "nerve roots": meaning, "Nerve roots": meaning}


def test_names_roles_and_dates_are_data_not_glossary_words():
    """An approver's role ("Consultant radiologist") is shown as typed: the
    glossary explains words of the leaflet's prose, never a person's title."""
    import markdown

    terms = model.parse_glossary([{"term": "radiologist", "meaning": "A doctor who reads scans."}], "g.yml")
    release = model.Release("1.1", dt.date(2026, 12, 1), "Clearer.", "Dr A Jones, Consultant radiologist")
    details = model.parse_details({**GOOD, "reference": "Radiologist <RAD-1>"})

    def built(text: str) -> str:
        return markdown.markdown(text, extensions=["abbr", "tables", placeholders.DataExtension()],
                                 extension_configs={"abbr": {"glossary": glossary.abbreviations(terms)}})

    for page in (placeholders.details_table(details, release.approved_by),
                 placeholders.history_text([release], addresses.Addresses.make("https://leaflets.example.org/leaflet/", "1.1"))):
        assert "<abbr" not in built(page), page
    # Typed text is escaped, not taken as HTML.
    assert "Radiologist &lt;RAD-1&gt;" in built(placeholders.details_table(details, ""))
    # The same words in prose are still explained: the rule is about data only.
    assert '<abbr title="A doctor who reads scans.">radiologist</abbr>' in built("Ask the radiologist.")


@pytest.mark.parametrize("raw, message", [
    ([{"term": "stroke"}], "Entry 1 needs both 'term' and 'meaning'"),
    ({}, "should be a list of words"),
    ([{"term": "x", "meaning": "y", "forms": "xs"}], "'forms' of 'x' must be a list"),
])
def test_bad_glossary_fails_with_a_fix(raw, message):
    with pytest.raises(PluginError, match=message):
        model.parse_glossary(raw, "docs/glossary.yml")


def test_unknown_placeholder_names_file_and_line():
    with pytest.raises(PluginError) as err:
        placeholders.fill_placeholders("# Title\n\n<!-- leaflet:phone -->\n", "docs/x.md", {"contact": "c"})
    assert str(err.value).startswith("docs/x.md:3: Unknown placeholder 'leaflet:phone'")


def test_placeholder_is_filled():
    assert placeholders.fill_placeholders("a <!-- leaflet:contact --> b", "x.md", {"contact": "C"}) == "a C b"


def test_another_material_version_stops_the_build_with_a_fix(monkeypatch):
    from leaflet_site import material

    material.check_version()  # the pinned one passes
    monkeypatch.setattr(material, "WRITTEN_FOR", "9.9.0")
    with pytest.raises(PluginError) as err:
        material.check_version()
    assert "written for Material for MkDocs 9.9.0" in str(err.value) and "Fix:" in str(err.value)


def test_the_accessibility_statements_dates_claim_no_review_in_a_draft():
    d = model.parse_details(GOOD)
    assert placeholders.statement_dates(d, approved=True).endswith("We last reviewed it on 28 November 2026.")
    draft = placeholders.statement_dates(d, approved=False)
    assert "reviewed it" not in draft and "when a clinician approves this version" in draft
