#!/usr/bin/env bash
# Installs what chaintrail needs and runs its main job on real data.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
pnpm --silent chaintrail demo "$@"
