#!/usr/bin/env bash
# Point-in-time recovery drill with pgBackRest on a throwaway local PostgreSQL cluster.
#
# Builds a cluster on port ${DRILL_PORT:-5499} in a temporary folder (run as root: the cluster
# runs as the postgres user), archives its WAL with pgBackRest, migrates Một Cửa into it, takes
# a full backup, receives dossier A, notes the time T, receives dossier B, then restores the
# cluster to T and checks that A is there and B is not. Leaves nothing behind (trap).
# Usage: deploy/pitr-drill.sh   (from the project root; needs pgbackrest and PostgreSQL 15)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PORT=${DRILL_PORT:-5499}
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
D=$(mktemp -d /tmp/motcua-pitr.XXXXXX)
mkdir -p "$D/log" "$D/lock"
chown -R postgres: "$D"
as_pg() { su postgres -s /bin/bash -c "$*"; }
PGB="pgbackrest --config=$D/pgbackrest.conf --stanza=drill"
cleanup() { as_pg "$BIN/pg_ctl -D $D/data -m immediate stop" >/dev/null 2>&1 || true; rm -rf "$D"; }
trap cleanup EXIT

as_pg "$BIN/initdb -D $D/data -A trust -U postgres" >/dev/null
cat > "$D/pgbackrest.conf" <<CONF
[global]
repo1-path=$D/repo
repo1-retention-full=2
log-path=$D/log
lock-path=$D/lock
start-fast=y
log-level-console=warn

[drill]
pg1-path=$D/data
pg1-port=$PORT
pg1-socket-path=$D
CONF
chown postgres: "$D/pgbackrest.conf"
cat >> "$D/data/postgresql.conf" <<CONF
port = $PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$D'
wal_level = replica
archive_mode = on
archive_command = '$PGB archive-push %p'
archive_timeout = 60
CONF
as_pg "$BIN/pg_ctl -D $D/data -l $D/server.log -w start" >/dev/null
as_pg "$PGB stanza-create && $PGB check"
as_pg "psql -h $D -p $PORT -qc 'CREATE DATABASE motcua'"
export DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/motcua" MEDIA_ROOT="$D/media"
unset PROMETHEUS_MULTIPROC_DIR
.venv/bin/motcua migrate -v0
receive() {
  .venv/bin/python - "$1" <<'PY'
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django
django.setup()
from decimal import Decimal
from motcua.catalog.models import Agency, AgencyLevel, Field, Procedure
from motcua.dossiers import services
from motcua.dossiers.permissions import DEMO
level, _ = AgencyLevel.objects.get_or_create(code="drill", defaults={"name": "Drill"})
agency, _ = Agency.objects.get_or_create(code="000.00.77.H23", defaults={"name": "Drill", "level": level})
field, _ = Field.objects.get_or_create(name="Drill")
procedure, _ = Procedure.objects.get_or_create(code="DRILL.1", defaults={"name": "Drill", "field": field, "processing_time": Decimal(5)})
d = services.dossier_receive(actor=DEMO, agency=agency, procedure=procedure, applicant_name=sys.argv[1])
print(d.code)
PY
}
as_pg "$PGB --type=full backup"
A=$(receive "Người A")
sleep 2
T=$(as_pg "psql -h $D -p $PORT -Atc 'SELECT now()'")
sleep 2
B=$(receive "Người B")
as_pg "psql -h $D -p $PORT -qAtc 'SELECT pg_switch_wal()'" >/dev/null
as_pg "$PGB check"   # waits until the segment holding B is archived
echo "dossier A $A received before T=$T; dossier B $B after"
as_pg "$BIN/pg_ctl -D $D/data -m fast -w stop" >/dev/null
as_pg "$PGB --delta --type=time '--target=$T' --target-action=promote restore"
as_pg "$BIN/pg_ctl -D $D/data -l $D/server.log -w start" >/dev/null
for _ in $(seq 1 30); do
  [ "$(as_pg "psql -h $D -p $PORT -Atc 'SELECT pg_is_in_recovery()'")" = f ] && break
  sleep 1
done
CODES=$(as_pg "psql -h $D -p $PORT -d motcua -Atc 'SELECT code FROM dossiers_dossier ORDER BY code'")
echo "after recovery to T: $CODES"
[ "$CODES" = "$A" ] || { echo "PITR DRILL FAILED: expected only $A"; exit 1; }
.venv/bin/motcua audit verify
echo "PITR drill passed: recovered to $T with $A and without $B"
