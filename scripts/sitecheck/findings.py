from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    """One problem: where it is, what is wrong, and how to fix it."""

    file: str            # the file an editor should open (docs/x.md, mkdocs.yml ...)
    line: int | None     # line in that file, when known
    problem: str         # one sentence: what is wrong
    fix: str             # one sentence: what to do
    level: str = "error"  # "error" fails the check; "warning" does not

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        label = "ERROR" if self.level == "error" else "WARNING"
        return f"{label} {where}: {self.problem}\n    Fix: {self.fix}"
