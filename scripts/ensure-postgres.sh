#!/usr/bin/env bash
# Makes sure Debian's PostgreSQL server binaries are installed (the test harness runs its own throwaway
# cluster from them) and prints their bin directory. Installs the `postgresql` package with apt-get only
# when no initdb is found; idempotent. Installing creates no default cluster (nothing left running).
set -euo pipefail

newest_bin_dir() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/postgres" ] && echo "$dir"
}

if dir="$(newest_bin_dir)"; then
  echo "$dir"
  exit 0
fi

command -v apt-get >/dev/null 2>&1 || {
  echo "ensure-postgres: no PostgreSQL in /usr/lib/postgresql and no apt-get; install PostgreSQL server binaries" >&2
  exit 1
}
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "ensure-postgres: run as root: apt-get install postgresql" >&2; exit 1; }
  sudo="sudo"
fi

echo "ensure-postgres: installing Debian's postgresql package" >&2
# Tell postgresql-common not to create and start the default "main" cluster: tests bring their own.
$sudo mkdir -p /etc/postgresql-common/createcluster.d
echo "create_main_cluster = false" | $sudo tee /etc/postgresql-common/createcluster.d/haven-no-main-cluster.conf >/dev/null
$sudo env DEBIAN_FRONTEND=noninteractive apt-get update >&2
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql >&2

newest_bin_dir || { echo "ensure-postgres: postgresql installed but no initdb found" >&2; exit 1; }
