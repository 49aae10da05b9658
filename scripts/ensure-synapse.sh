#!/usr/bin/env bash
# Creates .tools/synapse-venv with a pinned matrix-synapse from PyPI (idempotent; fast when already there)
# and prints the path of its python.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version="1.163.2"
venv="$root/.tools/synapse-venv"
stamp="$venv/.haven-synapse-$version"
if [ -f "$stamp" ] && "$venv/bin/python" -c 'import synapse' 2>/dev/null; then
  echo "$venv/bin/python"
  exit 0
fi
py=""
for candidate in python3.13 python3.12 python3.11 python3.10 python3; do
  if command -v "$candidate" >/dev/null 2>&1 &&
     "$candidate" -c 'import sys, venv; sys.exit(0 if sys.version_info >= (3, 10) else 1)' 2>/dev/null; then
    py="$candidate"; break
  fi
done
[ -n "$py" ] || { echo "ensure-synapse: needs Python >= 3.10 with venv (apt-get install python3-venv)" >&2; exit 1; }
echo "ensure-synapse: installing matrix-synapse $version into $venv" >&2
rm -rf "$venv"
"$py" -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check --upgrade pip >&2
"$venv/bin/pip" install --quiet --disable-pip-version-check "matrix-synapse[postgres]==$version" >&2
touch "$stamp"
echo "$venv/bin/python"
