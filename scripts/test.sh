#!/usr/bin/env bash
# The whole test suite: type check, lint, unit and integration tests (real Synapse servers, real PostgreSQL).
# Then the end-to-end tests again with Haven on PostgreSQL, after the others so that the two never load the machine
# at once (docs/decisions/0009); HAVEN_E2E_POSTGRES=0 skips that pass.
# Extra arguments go to vitest (e.g. a file or -t "name") and run only the first pass.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
bash scripts/ensure-postgres.sh
bash scripts/ensure-chromium.sh >/dev/null
source scripts/env.sh
export HAVEN_SYNAPSE_PYTHON="$PWD/.tools/synapse-venv/bin/python"
echo "== typecheck" && tsc --noEmit -p .
echo "== lint" && eslint .
echo "== tests" && vitest run --project unit --project integration "$@"
if [ "$#" -eq 0 ] && [ "${HAVEN_E2E_POSTGRES:-1}" != "0" ]; then
  echo "== end-to-end tests on PostgreSQL" && vitest run --project e2e-postgres
fi
