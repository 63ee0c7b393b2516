#!/usr/bin/env bash
# Create the virtual environment and install the pinned packages.
# Usage: scripts/setup-venv.sh PYTHON VENV
#        scripts/setup-venv.sh --is-ours VENV   (exit 0 when VENV is this checkout's own)
set -euo pipefail
python=${1:-python3}
venv=${2:-.venv}
here=$(cd "$(dirname "$0")/.." && pwd -P)
cd "$here"

# What .venv is: "missing", "link" (a link to another folder), "empty" (no
# leaflet package yet), "ours", or "elsewhere PATH" (a copy whose package is
# another checkout's code, at PATH).
venv_status() {
  if [ -L "$venv" ]; then echo link; return; fi
  if [ ! -x "$venv/bin/python" ]; then echo missing; return; fi
  "$venv/bin/python" - "$here" <<'PY' 2>/dev/null || echo empty
import pathlib, sys
here = pathlib.Path(sys.argv[1])
try:
    import leaflet_site
except ImportError:
    print("empty")
    sys.exit()
code = pathlib.Path(leaflet_site.__file__).resolve().parent
own = code.is_relative_to(here) and pathlib.Path(sys.prefix).resolve().is_relative_to(here)
print("ours" if own else f"elsewhere {code}")
PY
}

if [ "${1:-}" = "--is-ours" ]; then
  # For the Makefile: exit 0 when .venv is this checkout's own.
  [ "$(venv_status)" = ours ]
  exit
fi


if ! command -v "$python" >/dev/null 2>&1; then
  echo "Cannot find $python. Install Python 3.11 or newer, then run this again." >&2
  exit 1
fi
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "This project needs Python 3.11 or newer; $python is $("$python" --version 2>&1)." >&2
  echo "Install a newer Python, or run: make PYTHON=python3.12 ..." >&2
  exit 1
fi
if ! "$python" -c 'import venv, ensurepip' >/dev/null 2>&1; then
  echo "Python's venv module is missing. On Debian or Ubuntu: apt-get install python3-venv" >&2
  exit 1
fi
status=$(venv_status)
case "$status" in
  link)
    echo "$venv is a link to $(readlink "$venv"), another checkout's environment: this checkout gets its own."
    rm "$venv" ;;
  elsewhere*)
    echo "$venv was copied from another checkout: its leaflet package is ${status#elsewhere } there." \
         "Making a new environment for this checkout."
    rm -rf "$venv" ;;
esac
if [ ! -x "$venv/bin/python" ]; then
  echo "Creating the virtual environment in $venv"
  "$python" -m venv "$venv"
fi
echo "Installing the pinned packages from requirements.txt"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.txt
# What the lock no longer lists goes (an environment set up before a package
# was dropped from pyproject.toml has it still): the environment is the lock.
"$venv/bin/python" - requirements.txt <<'PY' | xargs -r "$venv/bin/python" -m pip uninstall --quiet --disable-pip-version-check -y
import re, sys
from importlib.metadata import distributions

def name(text: str) -> str:
    return re.sub(r"[-_.]+", "-", text).lower()

with open(sys.argv[1], encoding="utf-8") as lock:
    locked = {name(m.group(1)) for m in re.finditer(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==", lock.read(), re.M)}
for d in distributions():
    if name(d.metadata["Name"]) not in locked | {"pip", "leaflet-site"}:
        print(d.metadata["Name"])
PY
# The readability reference (textstat and NLTK) in a folder of its own, which
# only its test puts on the path: see requirements-reference.in for why.
rm -rf "$venv/reference"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps \
  --target "$venv/reference" -r requirements-reference.txt
# The project's own package (scripts/leaflet_site, described in pyproject.toml)
# in editable mode: the hooks, the check, release, the benchmarks and the tests
# import this checkout's code. Nothing is downloaded: setuptools comes from
# the lock file above.
rm -f "$venv"/lib/python3*/site-packages/leaflet-site.pth  # the hand-written path file of earlier set-ups
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation --editable .
if [ "$(venv_status)" != ours ]; then
  echo "The leaflet package in $venv does not point at this checkout ($here) after the set-up." >&2
  echo "Fix: delete $venv and run the command again." >&2
  exit 1
fi
