"""What our files rely on inside Material for MkDocs
(scripts/leaflet_site/material_contract.py): the list is complete, read from
our files; the installed Material has every name on it; and a Material that
has lost one stops the build, naming it and the line of ours that uses it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from helpers import ROOT
from leaflet_site import material, material_contract
from leaflet_site.findings import LeafletError
from leaflet_site.material_contract import OURS, RELIED_ON, SAID, Material, read_material, uses

THEME = material.material_templates()
PRINT_SITE = material.print_site_folder()
INSTALLED = (THEME, PRINT_SITE)
BROKEN = "Material for MkDocs 9.9.0 with print-site 2.9"
CONTRACT = "scripts/leaflet_site/material_contract.py"


def where_material_has(name: str, installed: Material) -> list[str]:
    return [place for place, words in installed.words.items() if name in words]


def unlisted(root: Path, installed: Material) -> list[str]:
    """Each name of Material's that a file in `root` uses and the list does
    not have, with the entry to add."""
    listed = {entry.name for entry in RELIED_ON} | set(OURS)
    told = []
    for name, places in sorted(uses(root).items()):
        if name not in listed:
            where = ", ".join(re.sub("[ -]", "_", p.upper()) for p in where_material_has(name, installed)) or "nowhere"
            told.append(f"{places[0]} uses {name!r} (installed, it is in: {where})")
    return told


def test_every_name_of_materials_that_our_files_use_is_listed():
    """leaflet.js, leaflet.css, print.css, overrides/ and the package: a new
    use of a name of Material's fails here until it is listed."""
    missing = unlisted(ROOT, read_material(*INSTALLED))
    assert missing == [], (
        f"These names of Material's are used but not listed in {CONTRACT}:\n  " + "\n  ".join(missing) +
        "\nFix: add each to RELIED_ON, under the places Material has it (shown above); if the name is ours, "
        "not Material's, add it to OURS with why. A name renamed in our files: change its entry.")


def test_every_listed_name_is_used():
    """An entry no file of ours uses any more would keep a Material update
    from passing for nothing."""
    used = uses(ROOT)
    stale = sorted({entry.name for entry in RELIED_ON} - set(used)) + sorted(set(OURS) - set(used))
    assert stale == [], (f"{CONTRACT} lists names that no file of ours uses: {stale}. "
                         "Fix: remove them (or, if a file of ours now writes one differently, change the entry to match).")


def test_a_new_use_with_no_entry_is_found(tmp_path: Path):
    (tmp_path / "docs" / "assets").mkdir(parents=True)
    (tmp_path / "docs" / "assets" / "leaflet.css").write_text(
        ".md-header { color: red; }\n.md-nav__link { color: blue; }\n", encoding="utf-8")
    (tmp_path / "overrides").mkdir()
    (tmp_path / "overrides" / "main.html").write_text('{% extends "base.html" %}\n{% block hero %}{% endblock %}\n',
                                                      encoding="utf-8")
    assert unlisted(tmp_path, read_material(*INSTALLED)) == [
        "overrides/main.html:2 uses 'hero' (installed, it is in: TEMPLATES, TEMPLATE_BLOCKS)",
        "docs/assets/leaflet.css:2 uses 'md-nav__link' (installed, it is in: TEMPLATES, SCRIPT, STYLESHEET)",
    ]


def test_the_installed_material_has_every_listed_name():
    assert material_contract.moved(read_material(*INSTALLED)) == []


def test_material_is_read_once_a_process():
    """`make serve` checks at each rebuild: the bundle and templates are
    read the first time only."""
    assert read_material(*INSTALLED) is read_material(*INSTALLED)


def copy_of_installed(dest: Path) -> tuple[Path, Path]:
    """The parts of Material's templates folder the check reads (not its
    thousands of icons), and of print-site's folder."""
    theme, print_site = dest / "templates", dest / "print_site"
    shutil.copytree(THEME, theme, ignore=shutil.ignore_patterns(".icons", "*.map", "lunr", "workers", "*.py", "images"))
    shutil.copytree(PRINT_SITE, print_site, ignore=shutil.ignore_patterns("__pycache__"))
    return theme, print_site


def one(pattern: str, folder: Path) -> Path:
    (found,) = folder.glob(pattern)
    return found


# One name of each sort removed from a copy of Material: what is left out,
# and the name the build then reports.
BREAKS = {
    "a class in its stylesheet": ("assets/stylesheets/main.*.min.css", "md-version__list", "md-versions__list",
                                  "md-version__list", "stylesheet"),
    "a breakpoint of its layout": ("assets/stylesheets/*.min.css", "(min-width:76.25em)", "(min-width:80em)",
                                   "(min-width: 76.25em)", "stylesheet"),
    "a text its script reads": ("assets/javascripts/bundle.*.min.js", 'searchParams.get("h")', 'searchParams.get("q")',
                                "?h=", "script"),
    "a block of its templates": ("base.html", "{% block outdated %}", "{% block old_version %}", "outdated",
                                 "template blocks"),
    "a name in print-site's page": ("print_site/**/*.*", "print-site-cover-page", "print-site-cover",
                                    "print-site-cover-page", "print-site"),
    "a class in its templates": ("partials/search.html", '"md-search-result__meta"', '"md-search-result__info"',
                                 "md-search-result__meta", "templates"),
}


@pytest.mark.parametrize("sort", BREAKS)
def test_a_name_gone_from_material_stops_the_build_saying_where_we_use_it(tmp_path: Path, sort: str):
    pattern, old, new, name, place = BREAKS[sort]
    theme, print_site = copy_of_installed(tmp_path)
    folder = tmp_path if pattern.startswith("print_site/") else theme
    texts = {path: path.read_text(encoding="utf-8") for path in folder.glob(pattern) if path.is_file()}
    assert any(old in text for text in texts.values())
    for path, text in texts.items():
        path.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(LeafletError) as stopped:
        material_contract.check(theme, print_site, BROKEN, ROOT)
    used_at = uses(ROOT)[name]
    file, _, line = used_at[0].rpartition(":")
    finding = stopped.value.finding
    assert (finding.file, finding.line) == (file, int(line))
    assert finding.problem == (f"{BROKEN} no longer has this name that our files use: "
                               f"{name} (not in {SAID[place]}, and used at {', '.join(used_at)}).")
    assert finding.fix.startswith("Find each one's new name where it was (Material's templates, script or stylesheets")


def test_every_name_gone_is_named_in_one_sentence(tmp_path: Path):
    theme, print_site = copy_of_installed(tmp_path)
    stylesheet = one("assets/stylesheets/main.*.min.css", theme)
    stylesheet.write_text(re.sub(r"md-version__(list|alias)", r"md-v__\1", stylesheet.read_text(encoding="utf-8")),
                          encoding="utf-8")
    (theme / "partials" / "javascripts" / "outdated.html").unlink()  # and the storage key it reads with it
    with pytest.raises(LeafletError) as stopped:
        material_contract.check(theme, print_site, BROKEN, ROOT)
    problem = stopped.value.finding.problem
    assert problem.startswith(f"{BROKEN} no longer has these 4 names that our files use: ")
    assert [part.split(" (")[0] for part in problem.split("use: ", 1)[1].split("; ")] == [
        "md-version__alias", "md-version__list", "__outdated", "partials/javascripts/outdated.html"]


def test_the_build_checks_material_before_its_version(tmp_path: Path, monkeypatch):
    """The build's own check (the hook's on_config calls check_version): a
    Material that has lost a name stops it with what moved, before the
    version's own message."""
    theme, _ = copy_of_installed(tmp_path)
    stylesheet = one("assets/stylesheets/main.*.min.css", theme)
    stylesheet.write_text(stylesheet.read_text(encoding="utf-8").replace("md-search__output", "md-search__out"),
                          encoding="utf-8")
    material.check_version(ROOT)  # the installed one passes
    monkeypatch.setattr(material, "material_templates", lambda: theme)
    with pytest.raises(LeafletError, match=r"no longer has this name that our files use: md-search__output \(not in "
                                           r"Material's stylesheets, and used at docs/assets/leaflet\.css:\d+"):
        material.check_version(ROOT)


def test_a_build_with_a_name_gone_stops_before_it_writes_a_page(tmp_path: Path, monkeypatch, caplog):
    """The whole build, through the hook: it stops with the one message,
    and nothing is built."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    theme, _ = copy_of_installed(tmp_path / "installed")
    script = one("assets/javascripts/bundle.*.min.js", theme)
    script.write_text(script.read_text(encoding="utf-8").replace("DOMContentLoaded", "DOMReady"), encoding="utf-8")
    monkeypatch.setattr(material, "material_templates", lambda: theme)
    monkeypatch.setenv("LEAFLET_PDF", "off")
    site = tmp_path / "site"
    config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site))
    with pytest.raises(Abort):
        build(config)
    assert re.search(r"docs/assets/leaflet\.js:\d+: .* no longer has this name that our files use: DOMContentLoaded "
                     r"\(not in Material's script .*used at docs/assets/leaflet\.js:\d+\)\. Fix: ", caplog.text)
    assert not site.exists()
