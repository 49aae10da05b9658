# Sourced by the project's scripts: puts Node >= 22 first on PATH and points native builds at its headers.
haven_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
haven_node_bin="$(bash "$haven_root/scripts/ensure-node.sh")"
export PATH="$haven_node_bin:$haven_root/node_modules/.bin:$PATH"
if [ -d "$haven_node_bin/../include/node" ]; then
  export npm_config_nodedir="$(cd "$haven_node_bin/.." && pwd)"
else
  unset npm_config_nodedir
fi
