#!/usr/bin/env bash
# Runs every benchmark in benchmarks/ in turn. Each prints its figure and fails below its target.
set -euo pipefail
cd "$(dirname "$0")/.."
uv sync --frozen --quiet
status=0
for b in benchmarks/bench_*.py; do
  echo "=== $b ==="
  uv run --frozen python "$b" || status=1
done
exit $status
