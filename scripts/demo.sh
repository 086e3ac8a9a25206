#!/usr/bin/env bash
# The demo: a local pipeline on this machine's own Docker engine, all on loopback. Builds the
# sample service offline, starts it, and proves it healthy with the health-check action through
# the sidhe-devops CLI (the same code the GitHub runner executes), printing the summary.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/install-deps.sh
. scripts/setup-node.sh
bash scripts/services.sh start
export DOCKER_HOST=unix:///run/sidhe-docker.sock

container=sidhe-demo-web
port=18180
cleanup() { docker rm -f "$container" >/dev/null 2>&1 || true; }
trap cleanup EXIT
cleanup

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "build the sample service v1 offline"
bash scripts/build-sample-image.sh sidhe-demo:v1 1.0.0

step "start it on 127.0.0.1:$port"
docker run -d --name "$container" --network host -e PORT=$port sidhe-demo:v1 >/dev/null

step "health-check: HTTP, TCP, the container's own HEALTHCHECK and a Prometheus query"
node dist/cli.js health-check \
  --targets "http://127.0.0.1:$port/health" \
  --targets "tcp://127.0.0.1:$port" \
  --targets "container://$container" \
  --body-contains ok --interval 1s --required-successes 3 --timeout 60s \
  --prometheus-url http://127.0.0.1:19090 --prometheus-queries 'up{job="prometheus"} == 1'

step "health-check of a page that does not exist: fails, naming the target and the criterion"
if node dist/cli.js health-check --targets "http://127.0.0.1:$port/missing" --interval 500ms --timeout 3s; then
  echo "demo: expected the check of /missing to fail" >&2
  exit 1
fi
step "demo finished"
