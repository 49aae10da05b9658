#!/usr/bin/env bash
# Everything Haven needs on a fresh machine, idempotent and quick when already done:
# Node >= 22 (Node 24 from the npm registry when the system's is older), npm packages from the lock file,
# and the pinned Synapse in a project-local virtualenv.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/env.sh
stamp=node_modules/.haven-installed
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ] || [ "$(cat "$stamp")" != "$(node -v)" ]; then
  npm ci --no-audit --no-fund
  node -v > "$stamp"
fi
bash scripts/ensure-synapse.sh > /dev/null
