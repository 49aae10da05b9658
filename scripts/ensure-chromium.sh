#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed (the web chat's browser tests drive it with playwright-core)
# and prints its path. Installs the `chromium` package with apt-get only when none is found; idempotent.
set -euo pipefail

if path="$(command -v chromium || command -v chromium-browser)"; then
  echo "$path"
  exit 0
fi

command -v apt-get >/dev/null 2>&1 || {
  echo "ensure-chromium: no chromium on PATH and no apt-get; install Chromium" >&2
  exit 1
}
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "ensure-chromium: run as root: apt-get install chromium" >&2; exit 1; }
  sudo="sudo"
fi

echo "ensure-chromium: installing Debian's chromium package" >&2
$sudo env DEBIAN_FRONTEND=noninteractive apt-get update >&2
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium >&2

command -v chromium || { echo "ensure-chromium: chromium installed but not on PATH" >&2; exit 1; }
