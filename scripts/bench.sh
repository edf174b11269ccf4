#!/usr/bin/env bash
# Runs every benchmark in benchmarks/ in turn. Each prints its figure and fails below its target.
set -euo pipefail
cd "$(dirname "$0")/.."
uv sync --frozen --quiet
# wrk (a C load generator, Debian package) drives the HTTP benchmark; without it that benchmark
# falls back to Python clients, which take CPU from the server on a small machine.
if ! command -v wrk >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  apt-get install -y -q wrk >/dev/null 2>&1 || echo "wrk not installed: Python clients instead"
fi
status=0
for b in benchmarks/bench_*.py; do
  echo "=== $b ==="
  uv run --frozen python "$b" || status=1
done
exit $status
