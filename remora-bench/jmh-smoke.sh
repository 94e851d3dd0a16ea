#!/usr/bin/env bash
# Smoke pass of every JMH benchmark in remora-bench/target/benchmarks.jar, so none can rot: each
# benchmark (every method, with a reduced set of parameters) runs one very short measured
# iteration in its own fork, and any benchmark error fails the script. The numbers are
# meaningless. It builds nothing: run `./mvnw -B -ntp verify` (or package) first, as .ci/run does.
#
#   remora-bench/jmh-smoke.sh [extra JMH options]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/find-jdk.sh"
java_bin="$(remora_find_java)"
jar="$here/target/benchmarks.jar"
if [ ! -f "$jar" ]; then
  echo "jmh-smoke: $jar not found; build it first (./mvnw -B -ntp verify)" >&2
  exit 1
fi
# Run a private copy: a concurrent `./mvnw verify` rebuilding target/benchmarks.jar would
# otherwise make the forked VMs fail with ClassNotFoundException.
copy="$(mktemp --suffix=.jar)"
trap 'rm -f "$copy"' EXIT
cp "$jar" "$copy"
jar="$copy"

# -foe true: fail on the first benchmark error (JMH then exits non-zero). jmh.ignoreLock: the smoke
# numbers are meaningless, so a JMH run by someone else on a shared machine must not fail it.
# Parameters: every workload, message type and precompile runs, but only the cheapest fib and
# SHA-256 round counts (the expensive ones exercise the same code), and one RocksDB memtable and
# lookup variant of RocksDbChoicesBenchmark.
"$java_bin" -Djmh.ignoreLock=true -jar "$jar" \
  -foe true -f 1 -wi 0 -i 1 -r 200ms -w 200ms \
  -p workload=transfers,fib-10,counters,amm,registry,ycsbA \
  -p precompile=sha256-1,ed25519 \
  -p stream=transfers -p validShare=50 -p workers=2 -p fsync=NEVER \
  -p preload=20000 -p memtableMiB=1 -p memtable=hashlinklist -p sync=false -p lookup=keyMayExist \
  "$@" 'io\.remora\.bench\..*'
