#!/usr/bin/env bash
# The language pipeline's figures (docs/benchmarks.md): parse + check + lower + analyse of
# generated 1k/10k/100k-rule policies after warm-up, and the wall time of `./rampart check` on a
# 1k-rule file including JVM start (median of 11 runs). Not a test: numbers, no verdict.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-tools.sh build
mvn -q -B -o test-compile -pl rule-dsl 2>/dev/null || mvn -q -B test-compile -pl rule-dsl
cp=rule-dsl/target/classes:rule-dsl/target/test-classes
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
echo "## PipelineBench (ms; .c = CPU ms of the measuring thread)"
java -Xmx4g -cp "$cp" dev.rampart.dsl.bench.PipelineBench 1000 10000 100000

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
java -cp "$cp" dev.rampart.dsl.bench.GeneratePolicy 1000 7 >"$tmp/p1k.rampart"
./rampart check examples/office.rampart >/dev/null  # builds the CLI if needed, outside the timing
times=()
for i in $(seq 11); do
  s=$(date +%s%N)
  ./rampart check "$tmp/p1k.rampart" >/dev/null 2>&1
  times+=($(( ($(date +%s%N) - s) / 1000000 )))
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
echo "## ./rampart check on a 1k-rule file, wall ms over 11 runs: median ${sorted[5]}, min ${sorted[0]}, max ${sorted[10]}"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
