#!/usr/bin/env bash
# The whole test suite: type check, lint, unit and integration tests (real Synapse servers, real PostgreSQL).
# Extra arguments go to vitest (e.g. a file or -t "name").
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
bash scripts/ensure-postgres.sh
bash scripts/ensure-chromium.sh >/dev/null
source scripts/env.sh
export HAVEN_SYNAPSE_PYTHON="$PWD/.tools/synapse-venv/bin/python"
echo "== typecheck" && tsc --noEmit -p .
echo "== lint" && eslint .
echo "== tests" && vitest run "$@"
