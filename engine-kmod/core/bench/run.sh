#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#
# Classifier benchmark: for ClassBench acl1/fw1/ipc1 at 1k/10k/100k (and generated IPv6 sets at
# 10k), in one run on this machine: median ns per lookup of the C tree walker and of the C linear
# first-match scan, DPDK rte_acl scalar (dpdk-test-acl, when installed), table bytes per rule,
# warm Java compile time, callgrind instructions per lookup (ClassBench 10k sets), and mismatches against
# the traces' expected first-match rule. Prints a markdown table.
#
#   engine-kmod/core/bench/run.sh [CLASSBENCH_DIR]        (default: ../shared/classbench)
#   RUNS=7 SIZES="1k 10k 100k" FAMILIES="acl1 fw1 ipc1" CALLGRIND=1 DPDK=1 V6=1 run.sh
#
# 100k sets have no trace file: 100k headers are drawn from the rules by our generator and the
# expected answer is the linear scan's. Timings on a shared machine are noisy: read +/-30%;
# instruction counts are stable.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
CB=${1:-$ROOT/../shared/classbench}
WORK=${BENCH_WORK:-/tmp/rampart-bench}
RUNS=${RUNS:-7}
SIZES=${SIZES:-"1k 10k 100k"}
FAMILIES=${FAMILIES:-"acl1 fw1 ipc1"}
CALLGRIND=${CALLGRIND:-1}
DPDK=${DPDK:-1}
V6=${V6:-1}
BENCH=$ROOT/engine-kmod/core/build/rampart-bench
CP=$ROOT/rule-dsl/target/classes

make -s -C "$ROOT/engine-kmod/core" build/rampart-bench >&2
(cd "$ROOT" && mvn -q -o compile -pl rule-dsl >&2)
mkdir -p "$WORK"

field() { sed -n "s/.*$1=\([^ ]*\).*/\1/p"; }

have_dpdk=0
if [ "$DPDK" = 1 ] && command -v dpdk-test-acl >/dev/null; then have_dpdk=1; fi

echo "| set | rules | tree ns | linear ns | DPDK scalar ns | tree/DPDK | bytes/rule | compile ms | instr/lookup | mismatches |"
echo "|---|---|---|---|---|---|---|---|---|---|"

one() { # name rules-file trace-spec
  local name=$1 rules=$2 trace=$3 dir=$WORK/$1
  local exp tree lin tree_ns lin_ns dp_ns="-" ratio="-" ir="-" mism
  exp=$(java -Xmx12g -cp "$CP" dev.rampart.dsl.classbench.BenchExport "$rules" "$trace" "$dir" 5)
  tree=$("$BENCH" "$dir/tree.bin" "$dir/keys.bin" "$dir/expected.txt" "$RUNS" || true)
  local lruns=$RUNS
  case $name in *100k*) lruns=1 ;; esac
  lin=$("$BENCH" "$dir/linear.bin" "$dir/keys.bin" "$dir/expected.txt" "$lruns" linear || true)
  tree_ns=$(echo "$tree" | field median_ns)
  lin_ns=$(echo "$lin" | field median_ns)
  mism=$(echo "$tree" | field mismatches)
  if [ $have_dpdk = 1 ] && [ -s "$dir/trace5.txt" ] && [ -f "$rules" ]; then
    local n pps
    n=$(wc -l < "$dir/trace5.txt")
    pps=$(dpdk-test-acl --no-huge -m 2048 --no-pci -l 0 -- --rulesf="$rules" --tracef="$dir/trace5.txt" \
          --tracenum="$n" --rulenum=200000 --bldcat=1 --runcat=1 --alg=scalar --iter=3 --verbose=0 2>/dev/null \
          | sed -n 's/.*cycles\/pkt, \([0-9.]*\) pkt\/sec.*/\1/p' | tail -1)
    if [ -n "$pps" ]; then
      dp_ns=$(awk -v p="$pps" 'BEGIN { printf "%.1f", 1e9 / p }')
      ratio=$(awk -v a="$tree_ns" -v b="$dp_ns" 'BEGIN { printf "%.2f", a / b }')
    fi
  fi
  if [ "$CALLGRIND" = 1 ] && command -v valgrind >/dev/null && [[ $name == *10k* ]] && [[ $name != gen* ]]; then
    local total keys
    keys=$(echo "$tree" | field keys)
    total=$(valgrind --tool=callgrind --toggle-collect=rampart_classify --callgrind-out-file=/dev/null \
            "$BENCH" "$dir/tree.bin" "$dir/keys.bin" "$dir/expected.txt" 1 2>&1 | sed -n 's/.*refs: *\([0-9,]*\).*/\1/p' | tr -d ,)
    ir=$(( total / (2 * keys) ))
  fi
  echo "| $name | $(echo "$exp" | field rules) | $tree_ns | $lin_ns | $dp_ns | $ratio | $(echo "$exp" | field bytes_per_rule) | $(echo "$exp" | field compile_ms) | $ir | $mism |"
}

for size in $SIZES; do
  for fam in $FAMILIES; do
    rules=$CB/${fam}_${size}.rules
    [ -f "$rules" ] || { echo "| ${fam}_${size} | missing | | | | | | | | |"; continue; }
    trace=$CB/${fam}_${size}.trace
    [ -f "$trace" ] || trace=gen:100000
    one "${fam}_${size}" "$rules" "$trace"
  done
done
if [ "$V6" = 1 ]; then
  for kind in ACL FW IPC; do
    one "gen-${kind,,}-v6_10k" /dev/null "gen6:$kind:10000:100000"
  done
fi
