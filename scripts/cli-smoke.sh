#!/usr/bin/env bash
# The README's tour, run through the real launcher (build-on-first-use included): if a command
# shown to newcomers breaks, this fails.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

expect() { # expect CODE CMD... : run, compare the exit code
  local want=$1; shift
  set +e; "$@" >"$tmp/out" 2>"$tmp/err"; local got=$?; set -e
  if [ "$got" != "$want" ]; then
    echo "FAIL: '$*' exited $got, expected $want"; cat "$tmp/out" "$tmp/err"; exit 1
  fi
}

expect 0 ./rampart check examples/office.rampart
grep -q ': ok (' "$tmp/out"
for f in examples/*.rampart; do expect 0 ./rampart check "$f"; done
expect 0 ./rampart test examples/office.rampart
grep -qE '^[0-9]+ tests, [0-9]+ passed, 0 failed' "$tmp/out"
expect 0 ./rampart test examples/server.rampart
expect 0 ./rampart fmt --check examples/office.rampart examples/server.rampart examples/common/services.rampart
expect 0 ./rampart simulate examples/office.rampart --packet "tcp 10.99.0.7:40000 -> 10.20.3.4:445 in guest0 out lan0"
grep -q 'verdict: reject' "$tmp/out"

expect 0 ./rampart compile examples/office.rampart -o "$tmp/office.bin"
grep -q '19 rules in 3 chains' "$tmp/out"
# inspect prints with print(), not println(): this catches output lost at exit.
expect 0 ./rampart inspect "$tmp/office.bin"
grep -q '^chain forward policy drop' "$tmp/out"

printf 'net lan = 10.1.0.0/16\nchain forward policy drop {\n  rule a: from lna accept\n}\n' >"$tmp/typo.rampart"
expect 1 ./rampart check "$tmp/typo.rampart"
grep -q "typo.rampart:3:16: error\[unknown-name\]" "$tmp/err"
grep -q "did you mean 'lan'?" "$tmp/err"
expect 2 ./rampart check "$tmp/missing.rampart"
echo "cli smoke: ok"
