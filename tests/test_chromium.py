"""One way to start Chromium (scripts/leaflet_site/chromium.py): found by
name or $CHROMIUM, started with the flags that keep it off the network, and
started nowhere else."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from helpers import ROOT
from leaflet_site import chromium


def test_chromium_is_found_by_name_or_by_the_variable(tmp_path: Path, monkeypatch):
    program = tmp_path / "my-chromium"
    program.write_text("#!/bin/sh\n", encoding="utf-8")
    program.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv(chromium.CHOICE, raising=False)
    assert chromium.executable() is None
    monkeypatch.setenv(chromium.CHOICE, str(program))
    assert chromium.executable() == str(program)
    (tmp_path / "chromium").symlink_to(program)
    monkeypatch.delenv(chromium.CHOICE)
    assert chromium.executable() == str(tmp_path / "chromium")
    # The headless shell first where both are installed; the desktop browser for full=True.
    (tmp_path / "chromium-headless-shell").symlink_to(program)
    assert chromium.executable() == str(tmp_path / "chromium-headless-shell")
    assert chromium.executable(full=True) == str(tmp_path / "chromium")


def test_no_chromium_says_how_to_install_it(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv(chromium.CHOICE, raising=False)
    with pytest.raises(chromium.ChromiumMissing) as missing, chromium.launched(needed_for="to print the PDFs"):
        pass
    assert str(missing.value) == ("Chromium is needed to print the PDFs, and it is not installed. "
                                  "Fix: run apt-get install chromium-headless-shell (or bash .ci/run), "
                                  "or set CHROMIUM to its path.")


@pytest.mark.browser
def test_chromium_runs_with_every_flag():
    """What Chromium itself says it was started with (its DevTools protocol's
    Browser.getBrowserCommandLine, which answers only with --enable-automation;
    the headless shell has no chrome://version)."""
    extra = ("--lang=en-GB", "--enable-automation")
    with chromium.launched(*extra) as browser:
        arguments = browser.new_browser_cdp_session().send("Browser.getBrowserCommandLine")["arguments"]
    assert [f for f in (*chromium.FLAGS, *extra) if f not in arguments] == []


# Where another start of Chromium would show itself: Playwright's launch, an
# executable path handed to a browser, or the flags written out again.
ANOTHER_START = re.compile(r"chromium\.launch\(|executable_path=|disable-background-networking")
STARTERS = {"scripts/leaflet_site/chromium.py", "tests/test_chromium.py"}  # the one start, and this test


def starts_of_chromium(root: Path) -> list[str]:
    """Every line of the project's code, outside chromium.py, that starts
    Chromium or repeats its flags: file:line."""
    listed = subprocess.run(["git", "ls-files", "*.py", "*.mjs", "*.js", "Makefile", "*.yml"], cwd=root,
                            capture_output=True, text=True, check=True).stdout.split()
    found = []
    for name in sorted(set(listed) - STARTERS):
        path = root / name
        if not path.is_file():
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if ANOTHER_START.search(line):
                found.append(f"{name}:{number}")
    return found


def test_chromium_is_started_in_one_place_only():
    assert starts_of_chromium(ROOT) == [], (
        "These lines start Chromium on their own. Fix: use leaflet_site.chromium.launched() "
        "(or chromium.required() and chromium.FLAGS for a program of another language).")


def test_a_second_start_of_chromium_is_found(tmp_path: Path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "bench.py").write_text("import os\nbrowser = p.chromium.launch(args=[])\n", encoding="utf-8")
    subprocess.run(["git", "add", "bench.py"], cwd=tmp_path, check=True)
    assert starts_of_chromium(tmp_path) == ["bench.py:2"]
