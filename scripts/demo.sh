#!/usr/bin/env bash
# npm run demo: installs what is missing (Node 24, npm packages, the Synapse venv), then runs a hub and two partner
# Synapse servers, the sample organisations and Haven until Ctrl-C. Arguments go to `haven demo` (e.g. --fresh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
source scripts/env.sh
export HAVEN_SYNAPSE_PYTHON="${HAVEN_SYNAPSE_PYTHON:-$PWD/.tools/synapse-venv/bin/python}"
exec node bin/haven.ts demo "$@"
