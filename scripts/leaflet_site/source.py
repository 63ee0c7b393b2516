"""Where the approved source text is, when this machine has it.

The clinician-approved list of facts (docs/facts.yml) is the record inside
the repository: each fact quotes the words of the source it guards. The full
original text stays outside the repository. Where it is found, the provenance
test checks every quote against it word for word, and the approval pack
shows the whole text; a clone without it still builds, checks and tests
everything else.
"""

from __future__ import annotations

import os
from pathlib import Path

from .findings import LeafletError

from .names import SOURCE_ENV
SOURCE_NAME = "nerve-root-injection-original.txt"


def default_path(root: Path) -> Path:
    """Where the source sits beside a checkout: ../shared/source/."""
    return root.resolve().parent / "shared" / "source" / SOURCE_NAME


def find(root: Path) -> Path | None:
    """The source text's path, or None when this machine does not have it.
    A path named in LEAFLET_SOURCE must exist: a mistyped path is an error,
    never a quiet skip."""
    named = os.environ.get(SOURCE_ENV, "").strip()
    if named:
        path = Path(named).expanduser()
        if not path.is_file():
            raise LeafletError(SOURCE_ENV, None, f"{SOURCE_ENV} names {path}, and there is no file there.",
                               f"Give the path of {SOURCE_NAME}, or unset {SOURCE_ENV}.")
        return path
    path = default_path(root)
    return path if path.is_file() else None


def missing_reason(root: Path) -> str:
    """One line: why the source-dependent checks did not run."""
    return (f"the full source text is not on this machine ({default_path(root)}, or a path in {SOURCE_ENV}); "
            "the facts list in docs/facts.yml was checked against the site, but not against the source")
