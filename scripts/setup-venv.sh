#!/usr/bin/env bash
# Create the virtual environment and install the pinned packages.
# Usage: scripts/setup-venv.sh PYTHON VENV
set -euo pipefail
python=${1:-python3}
venv=${2:-.venv}

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
if [ ! -x "$venv/bin/python" ]; then
  echo "Creating the virtual environment in $venv"
  "$python" -m venv "$venv"
fi
echo "Installing the pinned packages from requirements.txt"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.txt
# The project's own package (scripts/leaflet_site) is importable from the
# environment: the hooks, the check, release, the benchmarks and the tests
# import it from there (a path file: nothing to build or download).
"$venv/bin/python" - "$(cd "$(dirname "$0")" && pwd)" <<'PY'
import sys, sysconfig, pathlib
pathlib.Path(sysconfig.get_paths()["purelib"], "leaflet-site.pth").write_text(sys.argv[1] + "\n")
PY
