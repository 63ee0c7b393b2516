"""The pages without their templates' indentation (paint.without_indentation):
spaces and blank lines between tags go; what is inside <pre>, <textarea>,
<script> and <style> stays exactly as it was."""

from __future__ import annotations

from leaflet_site.paint import without_indentation

KEPT = ("<pre>  a\n\n    b</pre>", "<textarea>\n  typed\n</textarea>",
        '<script>\n  if (a) {\n\n    b()\n  }\n</script>', "<style>\n  p { margin: 0 }\n</style>")


def test_indentation_and_blank_lines_go() -> None:
    page = "<html>\n  <body>\n\n\n    <p>Some\n      words</p>\n  </body>\n</html>\n"
    assert without_indentation(page) == "<html>\n<body>\n<p>Some\nwords</p>\n</body>\n</html>\n"


def test_what_is_inside_kept_elements_stays() -> None:
    for kept in KEPT:
        page = f"<div>\n    {kept}\n\n    <p>x</p>\n</div>"
        assert without_indentation(page) == f"<div>\n{kept}\n<p>x</p>\n</div>", kept


def test_an_element_that_is_not_closed_is_kept_to_the_end() -> None:
    page = "<p>a</p>\n    <script>\n  code\n"
    assert without_indentation(page) == "<p>a</p>\n<script>\n  code\n"


def test_a_tag_name_that_only_starts_like_a_kept_one_is_not_kept() -> None:
    assert without_indentation("<pref>\n   x</pref>") == "<pref>\nx</pref>"
