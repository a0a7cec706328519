#!/usr/bin/env bash
# Installs what chaintrail itself needs on a machine with only Node.js 20 on it:
# the pinned pnpm (through npm) and the workspace's dependencies (better-sqlite3 compiles
# from source when no prebuilt binary can be downloaded; that takes about a minute).
set -euo pipefail
cd "$(dirname "$0")/.."
PNPM_VERSION=10.34.9

node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "chaintrail needs Node.js 20 or newer; this is $(node --version)." >&2
  exit 1
fi
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version)" != "$PNPM_VERSION" ]; then
  echo "== installing pnpm $PNPM_VERSION with npm" >&2
  npm install --global "pnpm@$PNPM_VERSION" >&2
fi
echo "== installing the workspace's dependencies" >&2
if [ "${CI:-}" = "true" ]; then
  pnpm install --frozen-lockfile >&2
else
  pnpm install >&2
fi
