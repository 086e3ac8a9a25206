#!/usr/bin/env bash
# Starts (or stops) the real services the end-to-end tests and the demo use, all on loopback:
#   docker      dockerd with vfs storage, no bridge and no iptables, on its own socket
#   prometheus  on 127.0.0.1:19090, scraping itself and node-exporter
#   node-exporter  Debian's prometheus-node-exporter on 127.0.0.1:19100 (host CPU, memory, disk)
#   redis       redis-server on 127.0.0.1:16379, no persistence (the event bus)
#   registry    Debian's docker-registry (OCI Distribution) on 127.0.0.1:15000, deletes enabled
# Usage: scripts/services.sh start|stop|status. Idempotent: a service already up is left alone.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
state=/tmp/sidhe-services
mkdir -p "$state"

DOCKER_SOCK=/run/sidhe-docker.sock
export DOCKER_HOST="unix://$DOCKER_SOCK"
PROMETHEUS_ADDR=127.0.0.1:19090
NODE_EXPORTER_ADDR=127.0.0.1:19100
REDIS_PORT=16379
REGISTRY_ADDR=127.0.0.1:15000

wait_for() { # wait_for NAME SECONDS COMMAND...
  local name=$1 seconds=$2; shift 2
  for _ in $(seq 1 $((seconds * 10))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "services: $name did not come up in ${seconds}s; its log:" >&2
  tail -20 "$state/$name.log" >&2 || true
  return 1
}

docker_up() { docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }
node_exporter_up() { curl -fsS "http://$NODE_EXPORTER_ADDR/metrics" >/dev/null 2>&1; }
prometheus_up() { curl -fsS "http://$PROMETHEUS_ADDR/-/ready" >/dev/null 2>&1; }
redis_up() { [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]; }
registry_up() { curl -fsS "http://$REGISTRY_ADDR/v2/" >/dev/null 2>&1; }

# A pid file left by a killed daemon stops the next one from starting.
clear_stale_pidfile() {
  if [ -f "$1" ] && ! kill -0 "$(cat "$1")" 2>/dev/null; then rm -f "$1"; fi
}

start_docker() {
  docker_up && return 0
  mkdir -p /var/lib/sidhe-docker
  clear_stale_pidfile /run/sidhe-docker.pid
  clear_stale_pidfile /run/sidhe-docker/containerd/containerd.pid
  setsid dockerd --storage-driver vfs --bridge=none --iptables=false --ip6tables=false \
    --data-root /var/lib/sidhe-docker --exec-root /run/sidhe-docker \
    --pidfile /run/sidhe-docker.pid --host "$DOCKER_HOST" >"$state/docker.log" 2>&1 < /dev/null &
  wait_for docker 60 docker_up
}

start_prometheus() {
  prometheus_up && return 0
  setsid prometheus --config.file "$root/test/services/prometheus.yml" \
    --storage.tsdb.path "$state/prometheus-data" --web.listen-address "$PROMETHEUS_ADDR" \
    >"$state/prometheus.log" 2>&1 < /dev/null &
  echo $! >"$state/prometheus.pid"
  wait_for prometheus 60 prometheus_up
}

start_node_exporter() {
  node_exporter_up && return 0
  setsid prometheus-node-exporter --web.listen-address "$NODE_EXPORTER_ADDR" \
    >"$state/node-exporter.log" 2>&1 < /dev/null &
  echo $! >"$state/node-exporter.pid"
  wait_for node-exporter 30 node_exporter_up
}

start_redis() {
  redis_up && return 0
  setsid redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no --dir "$state" \
    >"$state/redis.log" 2>&1 < /dev/null &
  echo $! >"$state/redis.pid"
  wait_for redis 30 redis_up
}

start_registry() {
  registry_up && return 0
  mkdir -p "$state/registry-data"
  cat >"$state/registry.yml" <<YAML
version: 0.1
log: { level: warn }
storage:
  filesystem: { rootdirectory: $state/registry-data }
  delete: { enabled: true }
http: { addr: $REGISTRY_ADDR }
YAML
  setsid docker-registry serve "$state/registry.yml" >"$state/registry.log" 2>&1 < /dev/null &
  echo $! >"$state/registry.pid"
  wait_for registry 30 registry_up
}

stop_pidfile() { [ -f "$1" ] && kill "$(cat "$1")" 2>/dev/null || true; rm -f "$1"; }

case "${1:-}" in
  start)
    start_docker
    start_node_exporter
    start_prometheus
    start_redis
    echo "services: redis at redis://127.0.0.1:$REDIS_PORT"
    start_registry
    echo "services: docker at $DOCKER_HOST, prometheus at http://$PROMETHEUS_ADDR, registry at $REGISTRY_ADDR"
    ;;
  stop)
    stop_pidfile "$state/prometheus.pid"
    stop_pidfile "$state/node-exporter.pid"
    stop_pidfile "$state/redis.pid"
    stop_pidfile "$state/registry.pid"
    stop_pidfile /run/sidhe-docker.pid
    ;;
  status)
    docker_up && echo "docker: up ($DOCKER_HOST)" || echo "docker: down"
    prometheus_up && echo "prometheus: up (http://$PROMETHEUS_ADDR)" || echo "prometheus: down"
    node_exporter_up && echo "node-exporter: up (http://$NODE_EXPORTER_ADDR)" || echo "node-exporter: down"
    redis_up && echo "redis: up (redis://127.0.0.1:$REDIS_PORT)" || echo "redis: down"
    registry_up && echo "registry: up ($REGISTRY_ADDR)" || echo "registry: down"
    ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
