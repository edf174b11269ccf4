#!/usr/bin/env bash
# Operations on the running test cluster (used by tests/cluster and deploy/cluster/RUNBOOK.md):
#   app-kill N | app-start N          kill -9 / start app host appN
#   pg-kill N | pg-stop N | pg-start N    kill -9 the postmaster / stop fast / start pgN
#   promote N                          pg_ctl promote on pgN (the runbook's failover step)
#   rebuild N FROM                     pgN becomes a replica of pgFROM (pg_rewind, else
#                                      pg_basebackup), started
#   sync-off N | sync-on N             pgN (a primary without its replica) stops / starts
#                                      waiting for the replica's flush on each commit
#   partition N | heal N               cut / restore the traffic between pgN and the other
#                                      database node (blackhole routes, both ways); the app
#                                      still reaches both
#   role N                             "primary", "replica" or "down"
source "$(dirname "$0")/common.sh"
cmd=${1:?command}; n=${2:?node number}
node=pg$n; app=app$n
case "$cmd" in
  app-kill)
    pids=$(app_pids "$app"); [ -n "$pids" ] && kill -9 $pids; echo "killed $app: $pids" ;;
  app-start) app_start "$app" ;;
  pg-kill) pid=$(pg_postmaster_pid "$node"); kill -9 "$pid"; echo "killed $node postmaster $pid" ;;
  pg-stop) as_postgres "$node" "$PGBIN/pg_ctl" -D "$(pg_data "$node")" -m fast -w stop ;;
  pg-start) pg_start "$node" ;;
  promote) as_postgres "$node" "$PGBIN/pg_ctl" -D "$(pg_data "$node")" -w promote ;;
  rebuild)
    from=pg${3:?from node}
    # the old primary may have been killed: stop it if it still runs, then rewind
    pid=$(pg_postmaster_pid "$node")
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      as_postgres "$node" "$PGBIN/pg_ctl" -D "$(pg_data "$node")" -m fast -w stop
    fi
    rm -f "$(pg_data "$node")/postmaster.pid"
    # A just-promoted source writes its new timeline to its control file at the next
    # checkpoint only; without it pg_rewind sees one timeline and rewinds nothing.
    as_postgres "$from" psql -h "${ADDR[$from]}" -U postgres -qc CHECKPOINT
    if as_postgres "$node" "$PGBIN/pg_rewind" -D "$(pg_data "$node")" \
      --source-server="host=${ADDR[$from]} port=5432 user=postgres dbname=postgres" -R; then
      echo "$node: rewound from $from" >&2
      pg_install_conf "$node"; pg_node_conf "$node" "$from"; pg_start "$node"
    else
      echo "$node: pg_rewind failed, full pg_basebackup from $from" >&2
      pg_make_replica "$node" "$from"
    fi ;;
  sync-off)
    # A primary whose only replica is gone would wait for it on every commit: accept one copy
    # until the replica is back (the runbook's decision, logged loudly).
    as_postgres "$node" psql -h "${ADDR[$node]}" -U postgres -qc \
      "ALTER SYSTEM SET synchronous_standby_names = ''" -c "SELECT pg_reload_conf()" >/dev/null
    echo "$node: WARNING synchronous replication off, commits are on one server only" >&2 ;;
  sync-on)
    # only once a replica streams: otherwise every commit would wait for one
    for i in $(seq 1 120); do
      streaming=$(as_postgres "$node" psql -h "${ADDR[$node]}" -U postgres -Atc \
        "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")
      [ "$streaming" -ge 1 ] && break
      sleep 1
    done
    [ "$streaming" -ge 1 ] || { echo "$node: no streaming replica, synchronous replication stays off" >&2; exit 1; }
    as_postgres "$node" psql -h "${ADDR[$node]}" -U postgres -qc \
      "ALTER SYSTEM RESET synchronous_standby_names" -c "SELECT pg_reload_conf()" >/dev/null
    echo "$node: synchronous replication back on" >&2 ;;
  partition)
    # blackhole routes between pgN and the other database node, both ways; the app hosts
    # still reach both
    other=$(pg_other "$node")
    in_ns "$node" ip route add blackhole "${ADDR[$other]}/32"
    in_ns "$other" ip route add blackhole "${ADDR[$node]}/32"
    echo "$node: cut off from $other" ;;
  heal)
    other=$(pg_other "$node")
    in_ns "$node" ip route del blackhole "${ADDR[$other]}/32"
    in_ns "$other" ip route del blackhole "${ADDR[$node]}/32"
    echo "$node: healed" ;;
  role)
    if ! as_postgres "$node" "$PGBIN/pg_isready" -q -h "${ADDR[$node]}"; then echo down
    elif [ "$(as_postgres "$node" psql -h "${ADDR[$node]}" -U postgres -Atc 'SELECT pg_is_in_recovery()')" = t ]; then
      echo replica
    else echo primary; fi ;;
  *) echo "unknown command $cmd" >&2; exit 2 ;;
esac
