"""One kind of problem report for the build, the check and a release: where
it is, what is wrong, and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass

from mkdocs.exceptions import PluginError


@dataclass(frozen=True)
class Finding:
    """One problem: where it is, what is wrong, and how to fix it."""

    file: str            # the file an editor should open (docs/x.md, mkdocs.yml ...)
    line: int | None     # line in that file, when known
    problem: str         # one sentence: what is wrong
    fix: str             # one sentence: what to do
    level: str = "error"  # "error" fails the check; "warning" and "notice" (for information) do not

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file

    def __str__(self) -> str:
        label = self.level.upper()
        return f"{label} {self.where}: {self.problem}\n    Fix: {self.fix}"


def line_of(text: str, needle: str) -> int | None:
    """The first line of `text` (a Markdown page, mkdocs.yml) that holds
    `needle`, counted from 1; None when no line does."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    return None


class LeafletError(PluginError):
    """A mistake that stops the build. It carries its Finding, so the check
    reports it as it reports any other (no reading our own messages back)."""

    def __init__(self, file: str, line: int | None, problem: str, fix: str):
        self.finding = Finding(file, line, problem, fix)
        super().__init__(f"{self.finding.where}: {problem} Fix: {fix}")
