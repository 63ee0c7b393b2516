"""The set-up makes a .venv of this checkout's own: a .venv linked or copied
from another checkout (which would silently run that checkout's code) is
noticed, said, and replaced, and the other checkout's is left as it was."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from helpers import ROOT, git

SETUP = "scripts/setup-venv.sh"


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    """A clone of this commit. Its requirements file keeps only the pinned
    setuptools (the editable install's build backend), and its readability
    reference's lock nothing, so the set-up installs that and the project's
    own package: the test is about where that package points, not about the
    other pinned packages (make test installs those)."""
    repo = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(ROOT), str(repo))
    lock = (ROOT / "requirements.txt").read_text().split("\n")
    start = next(n for n, line in enumerate(lock) if line.startswith("setuptools=="))
    end = next(n for n in range(start + 1, len(lock)) if not lock[n].startswith("    --hash"))
    (repo / "requirements.txt").write_text("\n".join(lock[start:end]) + "\n")
    (repo / "requirements-reference.txt").write_text("# nothing: see the fixture\n")
    return repo


def setup(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", SETUP, *args], cwd=repo, capture_output=True, text=True)


def ours(repo: Path) -> bool:
    return setup(repo, "--is-ours", ".venv").returncode == 0


def test_this_checkouts_venv_is_its_own():
    assert ours(ROOT)


@pytest.mark.slow
def test_a_linked_venv_is_replaced_and_the_other_left_alone(clone: Path):
    (clone / ".venv").symlink_to(ROOT / ".venv")
    assert not ours(clone)  # it would run ROOT's code
    done = setup(clone, sys.executable, ".venv")
    assert done.returncode == 0, done.stdout + done.stderr
    assert f".venv is a link to {ROOT / '.venv'}, another checkout's environment: this checkout gets its own." \
        in done.stdout
    assert not (clone / ".venv").is_symlink() and ours(clone)
    imported = subprocess.run([str(clone / ".venv/bin/python"), "-c", "import leaflet_site; print(leaflet_site.__file__)"],
                              capture_output=True, text=True).stdout.strip()
    assert Path(imported).is_relative_to(clone)
    assert ours(ROOT)  # the other checkout still runs its own code


@pytest.mark.slow
def test_a_copied_venv_is_replaced(clone: Path):
    # A virtual environment whose leaflet package is another checkout's, as a
    # copied .venv's path file is.
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(clone / ".venv")], check=True)
    [site_packages] = (clone / ".venv" / "lib").glob("python3*/site-packages")
    (site_packages / "leaflet-site.pth").write_text(f"{ROOT / 'scripts'}\n")
    assert not ours(clone)
    done = setup(clone, sys.executable, ".venv")
    assert done.returncode == 0, done.stdout + done.stderr
    assert (f".venv was copied from another checkout: its leaflet package is {ROOT / 'scripts' / 'leaflet_site'} there. "
            "Making a new environment for this checkout.") in done.stdout
    assert ours(clone)
