#!/usr/bin/env bash
# Installs what the tests and the demo need on a fresh Debian machine (run as root): the real
# services from Debian's packages, Node 24 from the npm registry, and the npm dependencies.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

PACKAGES=(docker.io haproxy nginx-light docker-registry redis-server prometheus prometheus-node-exporter busybox-static wrk curl tinyproxy openssh-server openssh-client iproute2)
missing=()
for package in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  # Keep the packages' own services from starting: tests start their own, on loopback.
  created_policy=false
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && created_policy=true
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  if $created_policy; then rm -f /usr/sbin/policy-rc.d; fi
fi

. "$root/scripts/setup-node.sh"
cd "$root"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
bash "$root/scripts/install-trivy.sh"
