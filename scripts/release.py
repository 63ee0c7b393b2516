#!/usr/bin/env python3
"""Publish a version of the leaflet to the local gh-pages branch with mike.

Usage: python scripts/release.py VERSION [--force]
(The work is in scripts/leaflet_site/release.py.)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from leaflet_site.release import ReleaseError, release

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("version")
    parser.add_argument("--force", action="store_true", help="replace a version that is published already")
    parser.add_argument("--root", type=Path, default=ROOT, help="the project folder")
    args = parser.parse_args()
    try:
        release(args.version, args.root.resolve(), force=args.force)
    except ReleaseError as err:
        print(f"Release stopped: {err}", file=sys.stderr)
        return 1
    print(f"Released version {args.version} to the gh-pages branch (not pushed). "
          "See it with `make serve-versions`.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
