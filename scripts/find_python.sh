#!/usr/bin/env bash
# Prints the path of a Python 3.10 interpreter (Rasa 3.6 refuses 3.11+), or explains what to install.
# Order: $PYTHON, python3.10 on PATH, pyenv's latest 3.10.
set -euo pipefail

is_310() { "$1" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' >/dev/null 2>&1; }

if [ -n "${PYTHON:-}" ]; then
  if is_310 "$PYTHON"; then command -v "$PYTHON" || echo "$PYTHON"; exit 0; fi
  echo "error: \$PYTHON=$PYTHON is not a working Python 3.10 (Rasa 3.6 needs exactly 3.10)." >&2
  exit 1
fi
if command -v python3.10 >/dev/null 2>&1 && is_310 python3.10; then
  python3.10 -c 'import sys; print(sys.executable)'; exit 0
fi
if command -v pyenv >/dev/null 2>&1; then
  version=$(pyenv latest 3.10 2>/dev/null || true)
  candidate="$(pyenv root)/versions/${version}/bin/python"
  if [ -n "$version" ] && is_310 "$candidate"; then echo "$candidate"; exit 0; fi
fi
cat >&2 <<'MSG'
error: Python 3.10 not found. Rasa Open Source 3.6 runs only on Python 3.10 (not 3.11 or newer).
Install it, then run make again, with one of:
  pyenv install 3.10          (then `make` finds it through `pyenv latest 3.10`)
  apt-get install python3.10 python3.10-venv
or point to an interpreter:  PYTHON=/path/to/python3.10 make run
MSG
exit 1
