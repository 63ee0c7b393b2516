"""The GitHub workflows: actionlint passes, actions are pinned by commit SHA
with the version beside it, permissions are least, every job has a timeout."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from helpers import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
ACTIONLINT = Path(sys.executable).parent / "actionlint"


def test_actionlint_passes():
    done = subprocess.run([str(ACTIONLINT), *map(str, WORKFLOWS)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path: Path):
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  x:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo ${{ github.nope }}\n")
    done = subprocess.run([str(ACTIONLINT), str(bad)], capture_output=True, text=True)
    assert done.returncode == 1 and "nope" in done.stdout


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_actions_are_pinned_and_jobs_are_bounded(workflow: Path):
    text = workflow.read_text()
    for line in re.findall(r"uses:\s*(\S+.*)", text):
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*", line.strip()), line
    data = yaml.safe_load(text)
    assert "permissions" in data, "Say which permissions the workflow needs (least privilege)"
    for name, job in data["jobs"].items():
        assert "timeout-minutes" in job, f"job {name} has no timeout-minutes"
