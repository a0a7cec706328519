#!/usr/bin/env bash
# Starts and stops the local Neo4j 5 Community server that chaintrail's tests and developers
# use: Neo4jLauncher.java (embedded Neo4j with Bolt on 127.0.0.1, authentication off),
# resolved from Maven Central and built with Maven on first use.
#
#   bash test/neo4j/neo4j.sh start [--wipe]   build if needed, start in the background, wait for Bolt
#   bash test/neo4j/neo4j.sh stop             stop it and wait until it has exited
#   bash test/neo4j/neo4j.sh status           say whether it runs (exit 0) or not (exit 1)
#   bash test/neo4j/neo4j.sh url              print bolt://127.0.0.1:PORT
#
# Environment: CHAINTRAIL_NEO4J_PORT (default 7688, beside a production server's 7687),
# CHAINTRAIL_NEO4J_DATA (default test/neo4j/data), CHAINTRAIL_NEO4J_HEAP (default 2g),
# CHAINTRAIL_NEO4J_PAGE_CACHE_MB (default 512), CHAINTRAIL_NEO4J_START_TIMEOUT (seconds,
# default 180), JAVA_HOME (else the `java` on PATH; Java 17 or newer).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
target="$here/target"
port=${CHAINTRAIL_NEO4J_PORT:-7688}
data=${CHAINTRAIL_NEO4J_DATA:-$here/data}
heap=${CHAINTRAIL_NEO4J_HEAP:-2g}
page_cache_mb=${CHAINTRAIL_NEO4J_PAGE_CACHE_MB:-512}
start_timeout=${CHAINTRAIL_NEO4J_START_TIMEOUT:-180}
# Per port, so a second server (another port, another data folder) can run beside the first.
pid_file="$target/neo4j-$port.pid"
log_file="$target/neo4j-$port.log"
classpath_file="$target/classpath.txt"

if [ -n "${JAVA_HOME:-}" ]; then java="$JAVA_HOME/bin/java"; else java=java; fi

say() { echo "neo4j.sh: $*" >&2; }

running_pid() {
  [ -f "$pid_file" ] || return 1
  local pid
  pid=$(cat "$pid_file")
  # The pid must still be our launcher: after a crash or a reboot it may name another process.
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && grep -qa 'chaintrail.neo4j.Neo4jLauncher' "/proc/$pid/cmdline" 2>/dev/null; then
    echo "$pid"
    return 0
  fi
  return 1
}

bolt_answers() {
  # A TCP connect through bash's /dev/tcp: no nc or curl needed on a fresh machine.
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
}

build() {
  local stamp="$target/build.stamp"
  if [ -f "$classpath_file" ] && [ -f "$stamp" ] \
    && [ -z "$(find "$here/pom.xml" "$here/src" -newer "$stamp" -print -quit)" ]; then
    return 0
  fi
  if ! command -v mvn >/dev/null 2>&1; then
    say "Maven (mvn) is not installed; install it (apt-get install maven) and Java 17 or newer, then rerun."
    exit 1
  fi
  # Maven compiles the launcher, which takes a JDK: a JRE alone has no compiler.
  if ! { [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; } && ! command -v javac >/dev/null 2>&1; then
    say "no Java compiler (javac) found; install a JDK (apt-get install openjdk-17-jdk-headless) or set JAVA_HOME to one, then rerun."
    exit 1
  fi
  say "building the Neo4j launcher with Maven (a first build downloads Neo4j from Maven Central, about 190 MB; log $target/maven.log)..."
  local mvn_log="$target/maven.log"
  mkdir -p "$target"
  # The full output goes to the log; stderr gets a line per 100 files downloaded, so a first
  # build on a slow link visibly makes progress.
  if ! mvn -B -f "$here/pom.xml" package 2>&1 | tee "$mvn_log" \
    | awk '/Downloaded from/ { if (++n % 100 == 0) { printf "neo4j.sh: %d files downloaded from Maven Central...\n", n > "/dev/stderr"; fflush("/dev/stderr") } }'; then
    tail -n 40 "$mvn_log" >&2
    say "the Maven build failed; the full log is $mvn_log."
    exit 1
  fi
  touch "$stamp"
  say "built."
}

start() {
  local wipe=()
  for arg in "$@"; do
    case "$arg" in
      --wipe) wipe=(--wipe) ;;
      *) say "unknown argument to start: $arg"; exit 2 ;;
    esac
  done
  if pid=$(running_pid); then
    say "already running (pid $pid) at bolt://127.0.0.1:$port."
    return 0
  fi
  if bolt_answers; then
    say "something else already listens on 127.0.0.1:$port; stop it or set CHAINTRAIL_NEO4J_PORT to a free port."
    exit 1
  fi
  build
  mkdir -p "$target"
  say "starting Neo4j on bolt://127.0.0.1:$port (data $data, log $log_file)..."
  local started=$SECONDS
  # setsid: the server outlives this script and is not hit by the terminal's Ctrl-C.
  # A fixed heap with the throughput collector: on a small shared machine G1 shrinks its
  # young generation to a few MB to meet pause goals and then spends most CPU collecting.
  # Half the heap young (NewRatio=1): a write batch's transaction state lives until commit,
  # and with the default third it outlived young collections, was copied between survivor
  # spaces and promoted, and full collections of a 1 GB heap took a second each (measured
  # loading a 10,000-user scenario world: 4.3 s of GC pauses in a 25 s load; with 2 GB and
  # NewRatio=1, 0.5 s in a longer one).
  setsid "$java" "-Xms$heap" "-Xmx$heap" -XX:+UseParallelGC -XX:NewRatio=1 -XX:+ExitOnOutOfMemoryError \
    -cp "$target/classes:$(cat "$classpath_file")" chaintrail.neo4j.Neo4jLauncher \
    --port "$port" --data "$data" --page-cache-mb "$page_cache_mb" "${wipe[@]}" \
    >"$log_file" 2>&1 </dev/null &
  local pid=$!
  echo "$pid" >"$pid_file"
  # The launcher prints its ready line once the database is online, after Bolt listens.
  while ! { grep -q '^chaintrail-neo4j: ready' "$log_file" 2>/dev/null && bolt_answers; }; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 40 "$log_file" >&2
      say "Neo4j exited before Bolt answered; the full log is $log_file."
      rm -f "$pid_file"
      exit 1
    fi
    if [ $((SECONDS - started)) -ge "$start_timeout" ]; then
      tail -n 40 "$log_file" >&2
      say "Bolt did not answer on 127.0.0.1:$port within ${start_timeout}s; stopping it. The full log is $log_file."
      stop
      exit 1
    fi
    sleep 0.5
  done
  say "ready at bolt://127.0.0.1:$port after $((SECONDS - started))s (pid $pid)."
}

stop() {
  local pid
  if ! pid=$(running_pid); then
    rm -f "$pid_file"
    say "not running."
    return 0
  fi
  kill -TERM "$pid"
  # A clean shutdown flushes the page cache and checkpoints; give it time before forcing.
  local waited=0
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$waited" -ge 120 ]; then
      say "Neo4j (pid $pid) did not stop within 60s; killing it."
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.5
    waited=$((waited + 1))
  done
  rm -f "$pid_file"
  say "stopped."
}

status() {
  local pid
  if pid=$(running_pid); then
    echo "running (pid $pid) at bolt://127.0.0.1:$port"
    return 0
  fi
  echo "not running"
  return 1
}

command=${1:-}
[ $# -gt 0 ] && shift
case "$command" in
  start) start "$@" ;;
  stop) stop ;;
  status) status ;;
  url) echo "bolt://127.0.0.1:$port" ;;
  *)
    echo "usage: $0 start [--wipe] | stop | status | url" >&2
    exit 2
    ;;
esac
