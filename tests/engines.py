"""Four accessibility and HTML engines besides axe, and the one list of
their false positives.

- pa11y 9 with HTML_CodeSniffer, IBM Equal Access and Siteimprove Alfa run in
  the system Chromium from tools/node/engines.mjs (one browser for every page);
- the Nu HTML checker (vnu) reads the published files through Java.
All of them are pinned in tools/node/package-lock.json and read nothing from
the internet.

A finding fails when its level is WCAG 2.2 A or AA (every pa11y WCAG2AA error
and every vnu error counts as AA) unless an entry of FALSE_POSITIVES says it
is the tool's mistake. Other findings (AAA, and rules tied to no WCAG
criterion) are reported, not failed."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import yaml

from browser import READY
from helpers import ROOT
from leaflet_site import chromium

NODE_TOOLS = ROOT / "tools" / "node"
ENGINES_SCRIPT = NODE_TOOLS / "engines.mjs"
VNU = NODE_TOOLS / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
FALSE_POSITIVES = Path(__file__).with_name("accessibility-false-positives.yml")
REPORT = ROOT / "build" / "engines-report.txt"  # what is reported, not failed
BROWSER_ENGINES = ("pa11y", "ibm", "alfa")
FAILING_LEVELS = ("A", "AA")
# Java's quick compiler only: the checker runs a few seconds, too short for the
# optimising one to pay for itself (measured on the 16 pages of /latest/:
# 3.7 CPU-s and 2.0 s without, 1.9 CPU-s and 1.5 s with). Its code then needs
# a deeper stack than the default 1 MB: without -Xss it stops with a
# StackOverflowError "while evaluating HTML schema".
JAVA_FLAGS = ("-XX:TieredStopAtLevel=1", "-Xss8m")
# The window the browser engines see: the common phone size of the axe tests
# (patients are mostly on phones; Alfa's clipped-text rule depends on it).
WINDOW = (375, 812)


@dataclass(frozen=True)
class Finding:
    engine: str
    page: str       # the page's address path in the tree (vnu reads its file)
    rule: str
    element: str    # the engine's own description: CSS path, XPath or source extract
    message: str
    level: str

    def __str__(self) -> str:
        return f"{self.page}: {self.engine} {self.rule} at {self.element}: {self.message}".rstrip(": ")


def need(tool: str, fix: str) -> None:
    if not tool:
        raise RuntimeError(fix)


def browser_engines(urls: list[str], window: tuple[int, int] = WINDOW) -> list[Finding]:
    """The three engines on `urls`, in Chromium started as every other start
    of it is (its program and flags from leaflet_site/chromium.py)."""
    need(shutil.which("node"), "Node.js is not installed. Fix: run `bash .ci/run` (or apt-get install nodejs npm).")
    need((NODE_TOOLS / "node_modules" / "pa11y").is_dir(), "The Node.js tools are not installed. Fix: run `make test`.")
    command = [chromium.required("for the accessibility engines"), chromium.flags_json(), str(window[0]), str(window[1]),
               READY]
    done = subprocess.run(["node", str(ENGINES_SCRIPT), *command, *urls],
                          capture_output=True, text=True, timeout=1800)
    if done.returncode != 0:
        raise RuntimeError(f"tools/node/engines.mjs failed:\n{done.stderr[-3000:]}")
    found = []
    for url, engines in json.loads(done.stdout).items():
        for engine, items in engines.items():
            found += [Finding(engine, url, i["rule"], i["selector"] or "", i["message"] or "", i["level"])
                      for i in items]
    return found


def vnu(files: dict[Path, str]) -> list[Finding]:
    """The Nu checker's errors in `files`, each named as its value says."""
    need(shutil.which("java"), "Java is not installed. Fix: run `bash .ci/run` (or apt-get install default-jre-headless).")
    done = subprocess.run(["java", *JAVA_FLAGS, "-jar", str(VNU), "--format", "json", "--errors-only", *map(str, files)],
                          capture_output=True, text=True, timeout=600)
    messages = json.loads(done.stderr or "{}").get("messages", [])
    if done.returncode not in (0, 1) or (done.returncode == 1 and not messages):
        raise RuntimeError(f"vnu failed:\n{done.stderr[-3000:]}")
    named = {file.resolve(): name for file, name in files.items()}
    found = []
    for m in messages:
        page = named[Path(m["url"].removeprefix("file:")).resolve()]
        element = (m.get("extract") or "").strip().replace("\n", " ")
        found.append(Finding("vnu", page, "error", element, m["message"], "AA"))
    return found


@dataclass(frozen=True)
class FalsePositive:
    engine: str
    rule: str
    element: str    # a regular expression searched for in the finding's element
    reason: str

    def covers(self, finding: Finding) -> bool:
        return (finding.engine == self.engine and re.fullmatch(self.rule, finding.rule) is not None
                and re.search(self.element, finding.element) is not None)


def false_positives(path: Path = FALSE_POSITIVES) -> list[FalsePositive]:
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    listed = []
    for n, entry in enumerate(entries, 1):
        missing = {"engine", "rule", "element", "reason"} - set(entry)
        if missing:
            raise ValueError(f"{path.name}, entry {n}: add {', '.join(sorted(missing))}.")
        listed.append(FalsePositive(entry["engine"], str(entry["rule"]), str(entry["element"]), entry["reason"]))
    return listed


def failures(findings: list[Finding], listed: list[FalsePositive]) -> list[Finding]:
    """The findings at A or AA that no entry of the list explains."""
    return [f for f in findings if f.level in FAILING_LEVELS and not any(e.covers(f) for e in listed)]


def stale(findings: list[Finding], listed: list[FalsePositive]) -> list[FalsePositive]:
    """Entries that explain no finding any more: the fault was fixed, or the
    tool learnt better. Either way the entry must go."""
    return [e for e in listed if not any(e.covers(f) for f in findings)]
