#!/usr/bin/env bash
# The demo: a full local pipeline on this machine's own Docker engine behind HAProxy, all on
# loopback, through the sidhe-devops CLI (the same code the GitHub runner executes):
#   build the sample service offline in three versions (v1, v2, and a broken one)
#   deploy v1 → deploy v2 → deploy the broken one (refused: traffic stays on v2) → rollback
#   health-check the result (HTTP through HAProxy, the container, a Prometheus query)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/install-deps.sh
. scripts/setup-node.sh
bash scripts/services.sh start
export DOCKER_HOST=unix:///run/sidhe-docker.sock

demo=/tmp/sidhe-demo
front=18180
mkdir -p "$demo"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
served() { printf 'HAProxy on 127.0.0.1:%s serves version: %s\n' "$front" "$(curl -fsS "http://127.0.0.1:$front/version" || echo none)"; }
cleanup() {
  [ -f "$demo/haproxy.pid" ] && kill "$(cat "$demo/haproxy.pid")" 2>/dev/null || true
  docker ps -aq --filter name=sidhe-shop.demo- | xargs -r docker rm -f >/dev/null
}
trap cleanup EXIT
cleanup

step "build the sample service offline: v1, v2 and a broken release"
bash scripts/build-sample-image.sh sidhe-demo/shop:1.0.0 1.0.0
bash scripts/build-sample-image.sh sidhe-demo/shop:2.0.0 2.0.0
bash scripts/build-sample-image.sh sidhe-demo/shop:3.0.0 3.0.0 broken

step "start HAProxy on 127.0.0.1:$front (examples/haproxy/haproxy.cfg)"
rm -f "$demo/server-state"
sed -e "s#@STATE_DIR@#$demo#g" -e "s#@FRONT_PORT@#$front#g" examples/haproxy/haproxy.cfg >"$demo/haproxy.cfg"
haproxy -D -p "$demo/haproxy.pid" -f "$demo/haproxy.cfg"

common=(--app shop --environment demo --router haproxy --router-endpoint "unix://$demo/admin.sock?state-file=$demo/server-state" --ports 18181,18182)
sidhe() { node dist/cli.js "$@"; }

step "deploy v1"
sidhe deploy-blue-green "${common[@]}" --image sidhe-demo/shop:1.0.0 --switch-delay 3s
served
step "deploy v2 (into the other colour; v1 keeps running for an instant rollback)"
sidhe deploy-blue-green "${common[@]}" --image sidhe-demo/shop:2.0.0 --switch-delay 3s
served
step "deploy the broken release: it never becomes healthy, so it is refused and traffic stays on v2"
if sidhe deploy-blue-green "${common[@]}" --image sidhe-demo/shop:3.0.0 --health-timeout 8s; then
  echo "demo: the broken release should have been refused" >&2
  exit 1
fi
served
step "roll back to the release before v2"
sidhe rollback "${common[@]}" --reason "demo: back to v1"
served
step "health-check what serves now: through HAProxy, the container, and Prometheus"
sidhe health-check \
  --targets "http://127.0.0.1:$front/health" \
  --targets "container://sidhe-shop.demo-blue" \
  --body-contains ok --interval 1s --timeout 60s \
  --prometheus-url http://127.0.0.1:19090 --prometheus-queries 'up{job="prometheus"} == 1'
step "demo finished"
