# Shared by scripts/cluster-up.sh, cluster-down.sh and scripts/cluster/ctl.sh (sourced).
# The cluster lives in network namespaces on a bridge, 10.77.0.0/24:
#   mcs-lb 10.77.0.10 (HAProxy :80)   mcs-pg1 10.77.0.11, mcs-pg2 10.77.0.12 (PostgreSQL :5432)
#   mcs-app1 10.77.0.21, mcs-app2 10.77.0.22 (gunicorn :8000)   the host: 10.77.0.1
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STATE="${MOTCUA_CLUSTER_STATE:-/tmp/motcua-cluster}"
PGBIN="${PGBIN:-/usr/lib/postgresql/15/bin}"
BRIDGE=mcsbr0
NET=10.77.0
HOST_ADDR=$NET.1
LB_ADDR=$NET.10
declare -A ADDR=([lb]=$NET.10 [pg1]=$NET.11 [pg2]=$NET.12 [app1]=$NET.21 [app2]=$NET.22)
NODES="lb pg1 pg2 app1 app2"
DB=motcua
PRIMARY_URL="postgres://postgres@$NET.11:5432,$NET.12:5432/$DB?target_session_attrs=read-write"
REPLICA_URL="postgres://postgres@$NET.12:5432/$DB"

ns() { echo "mcs-$1"; }
in_ns() { local node=$1; shift; ip netns exec "$(ns "$node")" "$@"; }
as_postgres() { local node=$1; shift; in_ns "$node" runuser -u postgres -- "$@"; }
log() { echo "[cluster $(date +%T)] $*" >&2; }

pg_data() { echo "$STATE/$1/data"; }

pg_start() {
  local node=$1
  as_postgres "$node" "$PGBIN/pg_ctl" -D "$(pg_data "$node")" -l "$STATE/$node/postgresql.log" \
    -w -t 60 start >/dev/null
}

pg_other() { [ "$1" = pg1 ] && echo pg2 || echo pg1; }

# Write the node's own settings (address, socket, and as a replica: where its primary is).
pg_node_conf() {
  local node=$1 primary=${2:-}
  {
    echo "listen_addresses = '${ADDR[$node]}'"
    echo "unix_socket_directories = '$STATE/$node/run'"
    echo "cluster_name = '$node'"
    if [ -n "$primary" ]; then
      echo "primary_conninfo = 'host=${ADDR[$primary]} port=5432 user=postgres application_name=$node'"
    fi
  } >"$(pg_data "$node")/node.conf"
  chown postgres: "$(pg_data "$node")/node.conf"
}

pg_install_conf() {
  local node=$1 data
  data=$(pg_data "$node")
  install -o postgres -g postgres -m 0644 "$ROOT/deploy/cluster/postgresql.cluster.conf" "$data/cluster.conf"
  install -o postgres -g postgres -m 0644 "$ROOT/deploy/cluster/pg_hba.conf" "$data/pg_hba.conf"
  grep -q "^include_if_exists = 'cluster.conf'" "$data/postgresql.conf" || {
    echo "include_if_exists = 'cluster.conf'"
    echo "include_if_exists = 'node.conf'"
  } >>"$data/postgresql.conf"
}

# A replica of $primary in $node's data directory (pg_basebackup -R), started.
pg_make_replica() {
  local node=$1 primary=$2 data
  data=$(pg_data "$node")
  rm -rf "$data"
  install -d -o postgres -g postgres -m 0700 "$data"
  as_postgres "$node" "$PGBIN/pg_basebackup" -h "${ADDR[$primary]}" -U postgres -D "$data" \
    -R -X stream -c fast
  pg_install_conf "$node"
  pg_node_conf "$node" "$primary"
  pg_start "$node"
}

app_env() {
  local node=$1
  cat <<ENV
DATABASE_URL=$PRIMARY_URL
DATABASE_REPLICA_URL=$REPLICA_URL
DB_CONN_MAX_AGE=60
DB_CONNECT_TIMEOUT=3
SECRET_KEY=cluster-test-secret-key-not-for-production-$(cat "$STATE/secret")
ALLOWED_HOSTS=*
MOTCUA_DATA_DIR=$STATE/$node/data
MEDIA_ROOT=$STATE/media
MOTCUA_READ_SOURCE_HEADER=1
MOTCUA_REPLICA_MAX_LAG_SECONDS=${MOTCUA_REPLICA_MAX_LAG_SECONDS:-5}
MOTCUA_REPLICA_CHECK_SECONDS=${MOTCUA_REPLICA_CHECK_SECONDS:-2}
LOG_LEVEL=WARNING
ENV
}

app_start() {
  local node=$1
  mkdir -p "$STATE/$node/data"
  app_env "$node" >"$STATE/$node/env"
  local envs
  mapfile -t envs <"$STATE/$node/env"
  in_ns "$node" env "${envs[@]}" "$ROOT/.venv/bin/gunicorn" config.wsgi \
    --chdir "$ROOT" --bind "${ADDR[$node]}:8000" --workers "${MOTCUA_CLUSTER_WORKERS:-2}" \
    --timeout 60 --graceful-timeout 5 --daemon --pid "$STATE/$node/gunicorn.pid" \
    --error-logfile "$STATE/$node/gunicorn.log"
  local i
  for i in $(seq 1 60); do
    curl -fsS -o /dev/null "http://${ADDR[$node]}:8000/api/docs" 2>/dev/null && return 0
    sleep 1
  done
  log "$node: gunicorn did not answer in 60 s"; tail -20 "$STATE/$node/gunicorn.log" >&2; return 1
}

# The pids of an app host: its gunicorn master and the master's children.
app_pids() {
  local pidfile="$STATE/$1/gunicorn.pid"
  [ -s "$pidfile" ] || return 0
  local master
  master=$(cat "$pidfile")
  kill -0 "$master" 2>/dev/null || return 0
  echo "$master" $(pgrep -P "$master" || true)
}

pg_postmaster_pid() {
  local pidfile
  pidfile="$(pg_data "$1")/postmaster.pid"
  [ -s "$pidfile" ] && head -1 "$pidfile" || true
}
