#!/usr/bin/env bash
# Refresh the vendored front-end files from the npm registry (versions pinned in package.json).
# The built files are committed, so running the product never needs the network.
set -euo pipefail
cd "$(dirname "$0")/.."
npm install --no-save --no-audit --no-fund --silent
V=motcua/static/vendor
mkdir -p $V/htmx $V/bootstrap $V/chartjs
cp node_modules/htmx.org/dist/htmx.min.js $V/htmx/
cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/js/bootstrap.bundle.min.js $V/bootstrap/
cp node_modules/chart.js/dist/chart.umd.min.js $V/chartjs/
cp node_modules/htmx.org/LICENSE $V/htmx/LICENSE 2>/dev/null || true
cp node_modules/bootstrap/LICENSE $V/bootstrap/LICENSE 2>/dev/null || true
cp node_modules/chart.js/LICENSE.md $V/chartjs/LICENSE.md 2>/dev/null || true
echo "vendored: $(ls $V/*)"
