#!/usr/bin/env bash
# Stop the cluster of scripts/cluster-up.sh: HAProxy, gunicorn, PostgreSQL (each by the pid it
# recorded), then the namespaces, veths and bridge. Keeps $MOTCUA_CLUSTER_STATE when
# KEEP_STATE=1 (logs), removes it otherwise.
source "$(dirname "$0")/cluster/common.sh"
set +e
if [ -s "$STATE/haproxy.pid" ]; then
  for pid in $(cat "$STATE/haproxy.pid"); do kill "$pid" 2>/dev/null; done
fi
for node in app1 app2; do
  pids=$(app_pids "$node")
  [ -n "$pids" ] && kill -9 $pids 2>/dev/null
done
for node in pg1 pg2; do
  if [ -n "$(pg_postmaster_pid "$node")" ] && kill -0 "$(pg_postmaster_pid "$node")" 2>/dev/null; then
    as_postgres "$node" "$PGBIN/pg_ctl" -D "$(pg_data "$node")" -m immediate -w stop >/dev/null
  fi
done
for node in $NODES; do
  ip link del "mcs-$node-h" 2>/dev/null
  ip netns del "$(ns "$node")" 2>/dev/null
done
ip link del "$BRIDGE" 2>/dev/null
[ "${KEEP_STATE:-0}" = 1 ] || rm -rf "$STATE"
echo "[cluster] down" >&2
exit 0
