#!/usr/bin/env bash
# Installs everything the tests need (system packages, pnpm, Node and Maven dependencies),
# starts Neo4j from Maven Central on 127.0.0.1, runs typecheck, lint, build and every test,
# and stops what it started, whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ] && ! command -v sudo >/dev/null; then
    echo "Missing system packages: ${missing[*]}; install them (apt-get install ${missing[*]}) and rerun." >&2
    exit 1
  fi
  local sudo=""; [ "$(id -u)" != 0 ] && sudo=sudo
  echo "== installing system packages: ${missing[*]}" >&2
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2
}

# Java 17 and Maven start Neo4j for the store tests.
command -v javac >/dev/null 2>&1 || apt_install openjdk-17-jdk-headless
command -v mvn >/dev/null 2>&1 || apt_install maven
# Debian's Chromium runs the viewer's browser tests and prints the evidence report to PDF
# (a test tool's own browser download cannot work on a closed network).
[ -x /usr/bin/chromium ] || apt_install chromium

bash scripts/setup.sh

cleanup() { bash test/neo4j/neo4j.sh stop || true; }
trap cleanup EXIT INT TERM
bash test/neo4j/neo4j.sh start
export CHAINTRAIL_TEST_NEO4J_URL=$(bash test/neo4j/neo4j.sh url)

echo "== typecheck" >&2; pnpm typecheck
echo "== lint" >&2; pnpm lint
echo "== build" >&2; pnpm build
echo "== test" >&2; pnpm test
