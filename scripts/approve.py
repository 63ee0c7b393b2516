#!/usr/bin/env python3
"""Record a clinician's approval of this version's text: `make approve BY="Name, role"`.

Writes approved_by, approved_on (today) and the fingerprint of everything a
patient reads under the version in docs/changelog.yml, and the text itself
in approvals/VERSION.txt. (The work is in scripts/leaflet_site/approve.py.)
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from leaflet_site import patient_text
from leaflet_site.approve import ApproveError, approve
from leaflet_site.findings import LeafletError

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--by", required=True, help='who approved the text: "Dr A Jones, Consultant radiologist"')
    parser.add_argument("--version", help="the version approved (default: the one in mkdocs.yml, the only one allowed)")
    parser.add_argument("--root", type=Path, default=ROOT, help="the project folder")
    args = parser.parse_args()
    try:
        done = approve(args.root, args.by, dt.date.today(), args.version)
    except (ApproveError, LeafletError) as err:
        print(f"The approval was not recorded: {err}", file=sys.stderr)
        return 1
    print(f"Recorded: version {done.version} approved by {done.by} on {done.on.isoformat()}, "
          f"fingerprint {patient_text.short(done.fingerprint)}.")
    print(f"Commit docs/changelog.yml and {done.record.relative_to(args.root.resolve())} together.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
