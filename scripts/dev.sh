#!/usr/bin/env bash
# npm run dev: the embedded default. Installs what is missing (Node 24, npm packages, the Synapse venv), then runs
# one local hub Synapse and Haven on it until Ctrl-C. Arguments go to `haven dev` (e.g. --fresh, add-user <name>).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
source scripts/env.sh
export HAVEN_SYNAPSE_PYTHON="${HAVEN_SYNAPSE_PYTHON:-$PWD/.tools/synapse-venv/bin/python}"
exec node bin/haven.ts dev "$@"
