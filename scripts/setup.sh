#!/usr/bin/env bash
# Everything Haven needs on a fresh machine, idempotent and quick when already done:
# Node >= 22 (Node 24 from the npm registry when the system's is older), npm packages from the lock file,
# and the pinned Synapse in a project-local virtualenv.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/env.sh
stamp=node_modules/.haven-installed
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ] || [ "$(cat "$stamp")" != "$(node -v)" ]; then
  # A fresh clone (CI) installs exactly the lock file; an existing tree is brought up to it in place, so a test
  # run elsewhere in the tree does not lose node_modules under its feet.
  if [ -d node_modules ]; then npm install --no-audit --no-fund; else npm ci --no-audit --no-fund; fi
  node -v > "$stamp"
fi
bash scripts/ensure-synapse.sh > /dev/null
