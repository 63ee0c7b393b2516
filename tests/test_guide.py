"""CONTRIBUTING.md works as written: its steps for changing a page, run
command by command in a throwaway clone (with a sentence added where the
guide says "edit the page"), end with a passing check and the branch pushed."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from helpers import GIT_ENV, LEAFLET, ROOT, add_to_page, git

GUIDE = ROOT / "CONTRIBUTING.md"
SECTION = "## Make a change on your own computer"


def guide_commands() -> list[str]:
    """The commands of the section's code blocks, in order."""
    text = GUIDE.read_text(encoding="utf-8")
    section = text[text.index(SECTION):]
    section = section[:section.index("\n## ", len(SECTION))]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.S)
    return [line.split("  #")[0].strip() for block in blocks for line in block.splitlines() if line.strip()]


def test_the_guides_commands_change_a_page_and_open_a_branch(tmp_path: Path):
    commands = guide_commands()
    assert any(c.startswith("git switch -c") for c in commands) and "make check" in commands
    origin = tmp_path / "origin.git"
    git(tmp_path, "clone", "-q", "--bare", str(ROOT), str(origin))
    work = tmp_path / "work"
    git(tmp_path, "clone", "-q", str(origin), str(work))
    page = f"docs/{LEAFLET.sections[-2].file}"
    for command in commands:
        if command == "make serve":
            # The editor watches the site while editing: here, the edit.
            add_to_page(work, "Ask us if anything in this leaflet is not clear.", page)
            continue
        if command == "make check":  # the project's environment, not a new one in the clone
            command = f"LEAFLET_PDF=off {sys.executable} scripts/check.py --build"
        done = subprocess.run(["bash", "-c", command], cwd=work, env=GIT_ENV, capture_output=True, text=True)
        assert done.returncode == 0, f"{command}\n{done.stdout[-3000:]}{done.stderr[-2000:]}"
    branch = next(c.split()[-1] for c in commands if c.startswith("git switch -c"))
    assert branch in git(origin, "branch", "--list", branch)
    assert "Ask us if anything in this leaflet is not clear." in git(origin, "show", f"{branch}:{page}")
