#!/usr/bin/env bash
# Start the one-machine cluster: HAProxy, two gunicorn app hosts, a PostgreSQL 15 primary and a
# synchronous streaming replica, each in its own network namespace (see scripts/cluster/
# common.sh for the addresses). Needs root, iproute2, Debian's postgresql-15 and haproxy.
# State (data directories, logs, the API key of the load user) in $MOTCUA_CLUSTER_STATE
# (default /tmp/motcua-cluster). Stop everything with scripts/cluster-down.sh.
source "$(dirname "$0")/cluster/common.sh"
[ "$(id -u)" = 0 ] || { echo "cluster-up: run as root (network namespaces)" >&2; exit 1; }
for tool in ip haproxy curl "$PGBIN/initdb"; do
  command -v "$tool" >/dev/null || { echo "cluster-up: $tool is missing" >&2; exit 1; }
done
if ip netns list | grep -q '^mcs-'; then
  echo "cluster-up: a cluster is already up (scripts/cluster-down.sh first)" >&2; exit 1
fi
HEALTH_PATH="${MOTCUA_HEALTH_PATH:-}"
if [ -z "$HEALTH_PATH" ]; then
  if grep -qs '"healthz"' "$ROOT"/config/urls.py "$ROOT"/motcua/*/urls.py; then
    HEALTH_PATH=/healthz
  else
    HEALTH_PATH=/api/docs  # /healthz is not on this branch yet: it does not check the database
  fi
fi

rm -rf "$STATE"  # what a previous cluster left (cluster-down.sh KEEP_STATE=1)
mkdir -p "$STATE"; chmod 0755 "$STATE"
[ -s "$STATE/secret" ] || head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' >"$STATE/secret"

log "network: bridge $BRIDGE $HOST_ADDR/24, namespaces $NODES"
ip link add "$BRIDGE" type bridge
ip addr add "$HOST_ADDR/24" dev "$BRIDGE"
ip link set "$BRIDGE" up
for node in $NODES; do
  ip netns add "$(ns "$node")"
  ip link add "mcs-$node-h" type veth peer name eth0 netns "$(ns "$node")"
  ip link set "mcs-$node-h" master "$BRIDGE" up
  in_ns "$node" ip addr add "${ADDR[$node]}/24" dev eth0
  in_ns "$node" ip link set eth0 up
  in_ns "$node" ip link set lo up
  in_ns "$node" ip route add default via "$HOST_ADDR"
  mkdir -p "$STATE/$node"
done

log "pg1: initdb, primary"
for node in pg1 pg2; do install -d -o postgres -g postgres -m 0755 "$STATE/$node" "$STATE/$node/run"; done
install -d -o postgres -g postgres -m 0700 "$(pg_data pg1)"
as_postgres pg1 "$PGBIN/initdb" -D "$(pg_data pg1)" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
  --data-checksums >/dev/null
pg_install_conf pg1
pg_node_conf pg1
pg_start pg1
log "pg2: pg_basebackup -R from pg1, synchronous replica"
pg_make_replica pg2 pg1
as_postgres pg1 createdb -h "${ADDR[pg1]}" -U postgres "$DB"

log "migrate and seed (through the multi-host URL)"
(
  cd "$ROOT"
  export DATABASE_URL="$PRIMARY_URL" SECRET_KEY=cluster-setup
  .venv/bin/motcua migrate -v 0
  .venv/bin/python scripts/cluster/seed.py >"$STATE/api_key"
)

log "app1, app2: gunicorn"
mkdir -p "$STATE/media"
app_start app1 &
app_start app2 &
wait %1 && wait %2

log "lb: haproxy, health check $HEALTH_PATH"
servers=""
for node in app1 app2; do
  servers+="    server $node ${ADDR[$node]}:8000 check"$'\n'
done
config=$(<"$ROOT/deploy/haproxy/haproxy.cfg.tmpl")
config=${config//@LB_ADDR@/$LB_ADDR}
config=${config//@HEALTH_PATH@/$HEALTH_PATH}
printf '%s\n' "${config//@SERVERS@/${servers%$'\n'}}" >"$STATE/haproxy.cfg"
in_ns lb haproxy -c -q -f "$STATE/haproxy.cfg"
in_ns lb haproxy -D -f "$STATE/haproxy.cfg" -p "$STATE/haproxy.pid"
for i in $(seq 1 30); do
  curl -fsS -o /dev/null "http://$LB_ADDR$HEALTH_PATH" 2>/dev/null && break
  sleep 1
done
cat >"$STATE/cluster.env" <<ENV
MOTCUA_CLUSTER_URL=http://$LB_ADDR
MOTCUA_CLUSTER_API_KEY=$(cat "$STATE/api_key")
MOTCUA_CLUSTER_PRIMARY_URL=$PRIMARY_URL
MOTCUA_CLUSTER_HEALTH_PATH=$HEALTH_PATH
ENV
log "up: http://$LB_ADDR/ (API key in $STATE/api_key); replication:"
as_postgres pg1 psql -h "${ADDR[pg1]}" -U postgres -Atc \
  "SELECT application_name, state, sync_state FROM pg_stat_replication" >&2
