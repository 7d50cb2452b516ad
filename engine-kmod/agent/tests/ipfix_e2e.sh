#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# IPFIX export against a real collector: nfdump's nfcapd listens on a loopback UDP port and
# receives (1) six known IPv4/IPv6 records from test-ipfix --send and (2) a few seconds of
# rampartd --backend=sim traffic, with a template refresh every second and a second collector
# port where nobody listens. nfdump then decodes what nfcapd stored; it must be exactly the
# records both programs say they exported (same flows, packet and byte counts, times, TCP flags,
# interfaces), and rampartd must have counted the refused sends and kept running. tshark checks
# the elements nfdump 1.7.1 does not show (forwardingStatus, the enterprise elements).
# Usage: tests/ipfix_e2e.sh BUILD_DIR (with build/rampartd and build/test-ipfix in it)
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
fail() { echo "ipfix-e2e: FAILED: $*" >&2; exit 1; }
for t in nfcapd nfdump ss tshark; do
  command -v "$t" >/dev/null || fail "$t is missing (Debian packages nfdump, iproute2, tshark; scripts/ensure-tools.sh test)"
done
tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  if [ -n "${IPFIX_E2E_KEEP:-}" ]; then echo "ipfix-e2e: kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT

free_udp_port() {
  local p
  for _ in $(seq 50); do
    p=$((20000 + RANDOM % 40000))
    ss -Hlun "sport = :$p" | grep -q . || { echo "$p"; return; }
  done
  fail "no free UDP port found"
}

mkdir "$tmp/flows"
started=
for _ in 1 2 3 4 5; do
  port=$(free_udp_port)
  nfcapd -b 127.0.0.1 -p "$port" -w "$tmp/flows" -t 3600 >"$tmp/nfcapd.log" 2>&1 &
  nfpid=$!
  for _ in $(seq 50); do
    ss -Hlun "sport = :$port" | grep -q . && { started=1; break; }
    kill -0 "$nfpid" 2>/dev/null || break
    sleep 0.1
  done
  [ -n "$started" ] && break
  kill "$nfpid" 2>/dev/null || true
done
[ -n "$started" ] || fail "nfcapd did not start: $(cat "$tmp/nfcapd.log")"
pids+=("$nfpid")
dead=$(free_udp_port)

# (1) known records, IPv4 and IPv6
"$build/test-ipfix" --send "127.0.0.1:$port" >"$tmp/known.csv" || fail "test-ipfix --send failed"

# (2) the simulator's traffic through rampartd
"$build/rampartd" --backend=sim --no-socket --state-dir "$tmp/state" --rate 1000 \
  --ipfix "127.0.0.1:$port" --ipfix "127.0.0.1:$dead" --ipfix-template-refresh 1 \
  --ipfix-dump "$tmp/sim.csv" 2>"$tmp/rampartd.log" &
rdpid=$!
pids+=("$rdpid")
sleep 3
kill -TERM "$rdpid"
rc=0; wait "$rdpid" || rc=$?
[ "$rc" -eq 0 ] || fail "rampartd exited with $rc: $(cat "$tmp/rampartd.log")"

# nfcapd writes its file out when it stops; first let it read what is still queued on its socket.
for _ in $(seq 50); do
  [ "$(ss -Hlun "sport = :$port" | awk '{print $2; exit}')" = 0 ] && break
  sleep 0.1
done
sleep 0.3
kill -TERM "$nfpid"
wait "$nfpid" || true

sent=$(wc -l <"$tmp/sim.csv")
# About half the generated packets make a record (new connections and everything denied).
[ "$sent" -ge 500 ] || fail "rampartd exported only $sent records in 3 s at 1000 packets/s"
grep -q "ipfix at exit: $sent records in" "$tmp/rampartd.log" ||
  fail "rampartd's own count differs from its dump ($sent lines): $(cat "$tmp/rampartd.log")"
grep -q "cannot send to collector 127.0.0.1:$dead: Connection refused" "$tmp/rampartd.log" ||
  fail "no log line for the refused collector: $(cat "$tmp/rampartd.log")"
grep -Eq "127\.0\.0\.1:$dead: [0-9]+ sent, [1-9][0-9]* failed \([1-9][0-9]* refused\)" "$tmp/rampartd.log" ||
  fail "refused sends not counted: $(cat "$tmp/rampartd.log")"
grep -Eq "127\.0\.0\.1:$port: [1-9][0-9]* sent, 0 failed" "$tmp/rampartd.log" ||
  fail "sends to nfcapd failed: $(cat "$tmp/rampartd.log")"

# nfdump's raw output, one line per record in the dump's first twelve columns.
TZ=UTC nfdump -R "$tmp/flows" -q -o raw >"$tmp/raw.txt" || fail "nfdump could not read $tmp/flows"
awk '
  function emit() { if (have) print sa "," da "," sp "," dp "," pr "," pk "," by "," fi "," la "," fl "," in_ "," out }
  /^Flow Record/ { emit(); have = 1; sp = dp = 0; fl = "0x00"; next }
  /=/ {
    k = $0; sub(/^ +/, "", k); sub(/ *=.*/, "", k)
    v = $0; sub(/^[^=]*= */, "", v); split(v, w, " "); v = w[1]
    if (k == "src addr") sa = v; else if (k == "dst addr") da = v
    else if (k == "src port") sp = v; else if (k == "dst port") dp = v
    else if (k == "ICMP") { split(v, tc, "."); sp = 0; dp = tc[1] * 256 + tc[2] }
    else if (k == "proto") pr = v; else if (k == "in packets") pk = v; else if (k == "in bytes") by = v
    else if (k == "first") fi = v; else if (k == "last") la = v; else if (k == "tcp flags") fl = v
    else if (k == "input") in_ = v; else if (k == "output") out = v
  }
  END { emit() }' "$tmp/raw.txt" | sort >"$tmp/collected.csv"
cat "$tmp/known.csv" "$tmp/sim.csv" | cut -d, -f1-12 | sort >"$tmp/exported.csv"

n_exp=$(wc -l <"$tmp/exported.csv")
n_col=$(wc -l <"$tmp/collected.csv")
if ! diff -q "$tmp/exported.csv" "$tmp/collected.csv" >/dev/null; then
  echo "exported $n_exp records, nfdump shows $n_col; first differences (< exported, > collected):" >&2
  diff "$tmp/exported.csv" "$tmp/collected.csv" | head -20 >&2
  fail "nfdump's records differ from the exported ones"
fi
for want in 2001:db8::17 2001:db8:ffff::123 ",5000000123,7000000000456,"; do
  grep -q -- "$want" "$tmp/collected.csv" || fail "known record with '$want' missing from nfdump's output"
done
grep -q "Sequence Errors: 0, Bad Packets: 0" "$tmp/nfcapd.log" ||
  fail "nfcapd saw sequence errors or bad packets: $(tail -5 "$tmp/nfcapd.log")"
# nfdump 1.7.1 shows neither forwardingStatus nor enterprise elements; tshark decodes both. The
# six known records (tests/test_ipfix.c): forward accept, input drop, input accept, forward reject,
# output accept, forward drop by the policy. Status 1 forwarded, 2 dropped, 3 consumed; reasons:
# forwarded unknown (0), ACL drop (2) / ACL deny (1), consumed "for us" (3); then rule id,
# generation and hook of each record under PEN 32473.
"$build/test-ipfix" --pcap "$tmp/known.pcap" || fail "test-ipfix --pcap failed"
got=$(tshark -r "$tmp/known.pcap" -d udp.port==4739,cflow -T fields -E aggregator=' ' \
  -e cflow.forwarding_status -e cflow.forwarding_status_forward_code -e cflow.forwarding_status_drop_code \
  -e cflow.forwarding_status_consume_code -e cflow.enterprise_private_entry -e cflow.template_ipfix_field_pen 2>/dev/null)
want=$(printf '%s\t' "1 2 3 2 1 2" "0 0" "2 1 2" "3" \
  "deadbeef 0123456789abcdef 01 0000002a 0000000000000007 00 00000001 0000000000000007 00 00000063 0000000000000008 01 00000000 0000000000000008 02 00000000 0000000000000008 01")
want="${want}32473 32473 32473 32473 32473 32473"
[ "$got" = "$want" ] || fail "tshark decodes forwardingStatus/enterprise elements differently:
 got:  $got
 want: $want"

echo "ipfix-e2e: passed ($n_exp records: 6 known IPv4/IPv6 and $sent from rampartd, identical in nfdump)"
