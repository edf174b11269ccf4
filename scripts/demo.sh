#!/usr/bin/env bash
# One command for a newcomer: install, build the demo province in SQLite, print the demo
# accounts and serve on http://127.0.0.1:8000/.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v uv >/dev/null 2>&1 || python3 -m pip install --quiet uv
uv sync --frozen --quiet
./scripts/fonts.sh || true  # Liberation Serif for the printed forms
export DEBUG="${DEBUG:-1}"
uv run --frozen motcua migrate --verbosity 0
exec uv run --frozen motcua demo --serve "${@}"
