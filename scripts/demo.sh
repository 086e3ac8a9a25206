#!/usr/bin/env bash
# The demo: a full local pipeline on this machine's own Docker engine behind HAProxy, all on
# loopback, through the sidhe-devops CLI (the same code the GitHub runner executes), every step
# broadcast on the Redis event bus:
#   build the sample service offline (v1, and a broken one); v2 through build-scan-image: build,
#   secret scan and SBOM with trivy, push to the local registry
#   deploy v1 → deploy v2 behind its quality gates → deploy the broken one (refused: traffic stays
#   on v2) → rollback
#   health-check the result (HTTP through HAProxy, the container, a Prometheus query)
#   the events the bus carried, and the DORA metrics computed from them
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/install-deps.sh
. scripts/setup-node.sh
bash scripts/services.sh start
export DOCKER_HOST=unix:///run/sidhe-docker.sock
export PATH="$root/.tools/bin:$PATH"   # trivy, from scripts/install-trivy.sh
redis=redis://127.0.0.1:16379
registry=127.0.0.1:15000
# The commit each release records, as GitHub's runner would give it: lead time reads its date from this clone.
GITHUB_SHA=$(git rev-parse HEAD 2>/dev/null || true)
export GITHUB_SHA

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

step "build the sample service offline: v1 and a broken release"
bash scripts/build-sample-image.sh sidhe-demo/shop:1.0.0 1.0.0
bash scripts/build-sample-image.sh sidhe-demo/shop:3.0.0 3.0.0 broken

step "start HAProxy on 127.0.0.1:$front (examples/haproxy/haproxy.cfg)"
rm -f "$demo/server-state"
sed -e "s#@STATE_DIR@#$demo#g" -e "s#@FRONT_PORT@#$front#g" examples/haproxy/haproxy.cfg >"$demo/haproxy.cfg"
haproxy -D -p "$demo/haproxy.pid" -f "$demo/haproxy.cfg"

common=(--app shop --environment demo --router haproxy --router-endpoint "unix://$demo/admin.sock?state-file=$demo/server-state" --ports 18181,18182 --events-redis-url "$redis")
sidhe() { node dist/cli.js "$@"; }

step "build, scan and push v2 with build-scan-image (to the registry on $registry)"
# The build context must sit inside the workspace (here, this checkout); tmp/ is git-ignored.
context="$root/tmp/demo-context"
rm -rf "$context" && mkdir -p "$root/tmp" && cp -r examples/sample-service "$context" && cp /bin/busybox "$context/busybox"
sidhe build-scan-image --context "$context" --tags "$registry/sidhe-demo/shop:2.0.0" --build-args VERSION=2.0.0 \
  --ref refs/tags/v2.0.0 --source-url https://github.com/sidhe/devops --scanners secret --push true --events-redis-url "$redis"

step "deploy v1"
sidhe deploy-blue-green "${common[@]}" --image sidhe-demo/shop:1.0.0 --switch-delay 3s
served
step "deploy v2 behind its quality gates (into the other colour; v1 keeps running for an instant rollback)"
sidhe deploy-blue-green "${common[@]}" --image "$registry/sidhe-demo/shop:2.0.0" --switch-delay 3s \
  --quality-gates "junit: test/fixtures/reports/junit/surefire/TEST-com.example.shop.EmptyCartTest.xml"
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
  --prometheus-url http://127.0.0.1:19090 --prometheus-queries 'up{job="prometheus"} == 1' --events-redis-url "$redis"
step "what the event bus carried"
node dist/cli.js events --redis-url "$redis" --last 25
step "deployment metrics (DORA) of the demo environment over the last hour, from the event bus"
sidhe metrics --events-redis-url "$redis" --app shop --environment demo --timeframe 1h
step "demo finished"
