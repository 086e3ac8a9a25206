#!/usr/bin/env bash
# Builds the sample service offline: scripts/build-sample-image.sh TAG VERSION [broken]
# (a broken build has no /health, so it never becomes healthy).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tag=${1:?usage: build-sample-image.sh TAG VERSION [broken]}
version=${2:?usage: build-sample-image.sh TAG VERSION [broken]}
healthy=true
[ "${3:-}" = broken ] && healthy=false
context=$(mktemp -d)
trap 'rm -rf "$context"' EXIT
cp -r "$root/examples/sample-service/." "$context/"
cp /bin/busybox "$context/busybox"
DOCKER_BUILDKIT=0 docker build -q --build-arg "VERSION=$version" --build-arg "HEALTHY=$healthy" -t "$tag" "$context" >/dev/null
echo "$tag"
