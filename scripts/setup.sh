#!/usr/bin/env bash
# Creates .venv with Python 3.10 and installs the pinned dependencies. Re-running it when nothing
# changed does nothing (the stamp holds a hash of the requirement files).
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.venv
stamp=$venv/.installed
want=$(cat requirements.txt requirements.lock | sha256sum | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && "$venv/bin/python" -c '' 2>/dev/null; then
  exit 0
fi

python=$(scripts/find_python.sh)
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))'; then
  echo "setup: creating $venv with $python"
  rm -rf "$venv"
  "$python" -m venv "$venv"
fi
echo "setup: installing pinned dependencies (first time: a few minutes)"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade "pip==24.0"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
  -r requirements.txt -c requirements.lock
echo "$want" > "$stamp"
echo "setup: done"
