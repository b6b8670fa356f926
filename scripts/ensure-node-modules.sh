#!/usr/bin/env bash
# Installs the npm dependencies (including Node 24 itself, from the npm package `node`, so the
# scripts run on Node 24 even where the system Node is older) when they are missing or stale.
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=node_modules/.package-lock.stamp
if [ ! -x node_modules/.bin/node ] || [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  echo "Installing npm dependencies (npm ci)…" >&2
  npm ci --no-audit --no-fund --loglevel=error
  touch "$stamp"
fi
