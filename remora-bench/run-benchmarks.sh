#!/usr/bin/env bash
# Runs the recorded benchmark set of docs/benchmarks.md with the annotated settings (about 12
# minutes on 2 cores) and writes the JMH JSON results to docs/bench-results/. It builds nothing:
# build the jar first with `./mvnw -B -ntp -pl remora-bench -am package -DskipTests`.
#
#   remora-bench/run-benchmarks.sh [extra JMH options, e.g. -f 3]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/find-jdk.sh"
java_bin="$(remora_find_java)"
jar="$here/target/benchmarks.jar"
out="$here/../docs/bench-results"
# Run a private copy: a concurrent `./mvnw verify` rebuilding target/benchmarks.jar would
# otherwise make the forked VMs fail with ClassNotFoundException.
copy="$(mktemp --suffix=.jar)"
trap 'rm -f "$copy"' EXIT
cp "$jar" "$copy"
jar="$copy"
mkdir -p "$out"
jmh() {
  local name="$1"
  shift
  "$java_bin" -jar "$jar" -foe true \
    -rf json -rff "$out/$name.json" "$@"
}
jmh adopt-hinted 'AdoptBenchmark|HintedReexecutionBenchmark' -f 2 "$@"
jmh adopt-gc 'AdoptBenchmark\.adopt$' -prof gc "$@"
jmh sequential SequentialExecutionBenchmark "$@"
jmh sequential-signature SequentialExecutionBenchmark -p signature=true "$@"
jmh codec-signature-precompile 'CodecBenchmark|SignatureBenchmark|PrecompileBenchmark' "$@"
jmh rocksdb-choices RocksDbChoicesBenchmark "$@"
