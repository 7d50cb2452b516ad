# The kernel's flow log: known traffic (N packets of known flows; UDP, TCP and ICMP; IPv4 and
# IPv6; forward and input) through rt with the flowlog table, whose logged rules must yield
# exactly one record per flow with exact packet and byte counts, the rule's stable id and the
# table's generation, while rules without the log flag yield none. Then: an export never
# repeats a packet; flow_log_drops adds unlogged drops; an export nobody hears is counted as
# lost; a full flow table counts exactly the packets it could not keep, and with
# export-on-full every packet is either in a record or in a loss counter.
FL=/sys/kernel/rampart
G=$(gen flowlog)

# recs FILE FIELD=VALUE...: the flow records of FILE having every given field.
recs() {
	local f=$1
	shift
	awk -v want="$*" 'BEGIN { n = split(want, w, " ") }
		$1 == "flow" { for (i = 1; i <= n; i++) { hit = 0
			for (j = 2; j <= NF; j++) if ($j == w[i]) hit = 1
			if (!hit) next }
		print }' "$f"
}
# get FIELD: that field of each line of stdin, one per line.
get() { awk -v k="$1=" '{ for (j = 1; j <= NF; j++) if (index($j, k) == 1) print substr($j, length(k) + 1) }'; }
sum() { awk '{ s += $1 } END { print s + 0 }'; }
# check NAME FILE "FILTERS" PACKETS BYTES [TCP_FLAGS]: exactly one record, with these counts.
check() {
	local r
	r=$(recs "$2" $3)
	expect_eq "$1: records" "$(echo "$r" | grep -c '^flow')" 1
	expect_eq "$1: packets" "$(echo "$r" | get packets)" "$4"
	expect_eq "$1: bytes" "$(echo "$r" | get bytes)" "$5"
	[ -z "$6" ] || expect_eq "$1: tcp flags" "$(echo "$r" | get tcp_flags)" "$6"
}

topo_up
n rt rampartctl load /t/flowlog.bin >/dev/null || bad "load flowlog"
msg=$(n cl rampartctl flows flush 2>&1)
case "$msg" in
*"no table was ever loaded"*) ok "flush where no table was loaded is refused: $msg" ;;
*) bad "flush without a table: $msg" ;;
esac

# ---- known traffic ------------------------------------------------------------------------
# A subscriber in another namespace (sv, no table) must hear nothing of rt's flows.
n sv rampartctl flows >/tmp/flsv &
svp=$!
# UDP: IP + 8 + payload bytes per datagram (IPv4 header 20, IPv6 40).
n cl rtraffic burst 10.0.2.2 5001 7 100 >/dev/null || bad "burst v4 5001"
n cl rtraffic burst fd00:2::2 5001 5 100 >/dev/null || bad "burst v6 5001"
n cl rtraffic burst 10.0.2.2 5002 4 10 >/dev/null || bad "burst v4 5002"
n cl rtraffic burst fd00:2::2 5002 3 10 >/dev/null || bad "burst v6 5002"
# TCP segments of bare 20-byte headers with chosen flags (SYN, ACK, PSH|ACK, FIN|ACK).
n cl rtraffic tcpraw 10.0.2.2 40001 6002 02 10 18 11 >/dev/null || bad "tcpraw v4"
n cl rtraffic tcpraw fd00:2::2 40002 6002 02 12 >/dev/null || bad "tcpraw v6"
# A real connect to a reset rule: exactly one SYN (20 bytes of options: MSS, SACK, TS, WS).
expect_eq "tcp 6003 v4 reset" "$(n cl rtraffic tcp 10.0.2.2 6003)" refused
expect_eq "tcp 6003 v6 reset" "$(n cl rtraffic tcp fd00:2::2 6003)" refused
# busybox ping: 56 data bytes + 8 ICMP header.
n cl ping -c 3 -W 2 10.0.2.2 >/dev/null 2>&1 || bad "ping v4"
n cl ping -c 2 -W 2 fd00:2::2 >/dev/null 2>&1 || bad "ping v6"
# Not logged: accepted and dropped by rules without the log flag.
n cl rtraffic burst 10.0.2.2 5003 6 10 >/dev/null || bad "burst 5003"
n cl rtraffic burst 10.0.2.2 5004 2 10 >/dev/null || bad "burst 5004"
# Input hook of the router.
n cl rtraffic burst 10.0.1.1 5101 2 10 >/dev/null || bad "burst input 5101"
sleep 0.3
n rt rampartctl flows --once >/tmp/fl1 || bad "flows --once"
cat /tmp/fl1
kill $svp
wait $svp 2>/dev/null
expect_eq "a subscriber in another namespace got nothing" "$(wc -l </tmp/flsv)" 0
F="gen=$G hook=forward iif=rt-c oif=rt-s"
U4="$F src=10.0.1.2 dst=10.0.2.2 family=4"
U6="$F src=fd00:1::2 dst=fd00:2::2 family=6"
check "udp v4 accept" /tmp/fl1 "$U4 proto=17 dport=5001 verdict=accept rule=$(rid flowlog fl-udp)" 7 896
check "udp v6 accept" /tmp/fl1 "$U6 proto=17 dport=5001 verdict=accept rule=$(rid flowlog fl-udp)" 5 740
check "udp v4 drop" /tmp/fl1 "$U4 proto=17 dport=5002 verdict=drop rule=$(rid flowlog fl-udp-drop)" 4 152
check "udp v6 drop" /tmp/fl1 "$U6 proto=17 dport=5002 verdict=drop rule=$(rid flowlog fl-udp-drop)" 3 174
check "tcp v4 drop" /tmp/fl1 "$U4 proto=6 sport=40001 dport=6002 verdict=drop rule=$(rid flowlog fl-tcp-drop)" 4 160 0x1b
check "tcp v6 drop" /tmp/fl1 "$U6 proto=6 sport=40002 dport=6002 verdict=drop rule=$(rid flowlog fl-tcp-drop)" 2 120 0x12
check "tcp v4 reset" /tmp/fl1 "$U4 proto=6 dport=6003 verdict=reject rule=$(rid flowlog fl-tcp-reset)" 1 60 0x02
check "tcp v6 reset" /tmp/fl1 "$U6 proto=6 dport=6003 verdict=reject rule=$(rid flowlog fl-tcp-reset)" 1 80 0x02
check "icmp echo v4" /tmp/fl1 "$U4 proto=1 type=8 verdict=accept rule=$(rid flowlog fl-ping)" 3 252
check "icmpv6 echo" /tmp/fl1 "$U6 proto=58 type=128 verdict=accept rule=$(rid flowlog fl-ping)" 2 208
check "input udp" /tmp/fl1 "gen=$G hook=input iif=rt-c oif=- src=10.0.1.2 dst=10.0.1.1 dport=5101 verdict=accept rule=$(rid flowlog fl-in)" 2 76
expect_eq "unlogged accept rule has no record" "$(recs /tmp/fl1 dport=5003 | wc -l)" 0
expect_eq "unlogged drop rule has no record" "$(recs /tmp/fl1 dport=5004 | wc -l)" 0
expect_eq "records in the export" "$(grep -c '^flow' /tmp/fl1)" 11
expect_eq "END counts them" "$(grep '^end' /tmp/fl1 | get records)" 11
expect_eq "END reason" "$(grep '^end' /tmp/fl1 | get reason)" flush
expect_eq "nothing lost" "$(grep '^end' /tmp/fl1 | awk '{ print $5, $6, $7 }')" \
	"lost_table_full=0 lost_no_listener=0 lost_send_failed=0"
first=$(recs /tmp/fl1 dport=5001 family=4 | get first_ms)
last=$(recs /tmp/fl1 dport=5001 family=4 | get last_ms)
now=$(date +%s)
expect_ge "last_ms >= first_ms" "$last" "$first"
if [ $((now - first / 1000)) -ge 0 ] && [ $((now - first / 1000)) -lt 120 ]; then
	ok "first_ms is wall-clock time ($first, now $now s)"
else
	bad "first_ms $first is not near now ($now s)"
fi

# ---- each packet in one export only ---------------------------------------------------------
n rt rampartctl flows --once >/tmp/fl2 || bad "flows --once (2)"
expect_eq "second export has no records (none counted twice)" "$(grep '^end' /tmp/fl2 | get records)" 0

# ---- flow_log_drops: unlogged drops too ---------------------------------------------------
echo 1 >$FL/flow_log_drops
n cl rtraffic burst 10.0.2.2 5004 2 10 >/dev/null
n cl rtraffic burst 10.0.2.2 5003 3 10 >/dev/null
sleep 0.3
n rt rampartctl flows --once >/tmp/fl3 || bad "flows --once (3)"
echo 0 >$FL/flow_log_drops
check "flow_log_drops: unlogged drop rule" /tmp/fl3 "$U4 dport=5004 verdict=drop rule=$(rid flowlog fl-quiet-drop)" 2 76
expect_eq "flow_log_drops: unlogged accept still not logged" "$(recs /tmp/fl3 dport=5003 | wc -l)" 0

# ---- an export nobody hears is reported as lost by the next one ---------------------------
n cl rtraffic burst 10.0.2.2 5001 2 10 >/dev/null
sleep 0.3
expect_eq "flush without subscriber" "$(n rt rampartctl flows flush | awk '{ print $4 }')" 1
n rt rampartctl flows --once >/tmp/fl4 || bad "flows --once (4)"
expect_eq "next export reports 1 record lost for lack of a listener" \
	"$(grep '^end' /tmp/fl4 | get lost_no_listener)" 1

# ---- full table, no export on full: exact loss count ----------------------------------------
echo 3 >$FL/flow_max
echo 0 >$FL/flow_export_on_full
n rt rampartctl flows flush >/dev/null          # the next buffer has the new size
for i in 1 2 3 4 5; do n cl rtraffic burst 10.0.2.2 5001 2 10 >/dev/null; done
sleep 0.3
n rt rampartctl flows --once >/tmp/fl5 || bad "flows --once (5)"
expect_eq "full table: records kept" "$(grep '^end' /tmp/fl5 | get records)" 3
expect_eq "full table: each kept flow complete" "$(recs /tmp/fl5 dport=5001 | get packets | sort -u)" 2
expect_eq "full table: packets lost (2 flows x 2)" "$(grep '^end' /tmp/fl5 | get lost_table_full)" 4

# ---- full table with export on full: every packet recorded or counted ---------------------
echo 1 >$FL/flow_export_on_full
n rt rampartctl flows >/tmp/fl6 &
lp=$!
sleep 1
for i in 1 2 3 4 5 6 7 8; do n cl rtraffic burst 10.0.2.2 5001 3 10 >/dev/null; done
sleep 0.3
seq=$(n rt rampartctl flows --once | grep '^end' | get export)
for i in 1 2 3 4 5 6 7 8 9 10; do
	[ "$(grep '^end' /tmp/fl6 | get export | tail -1)" = "$seq" ] && break
	sleep 0.5
done
kill $lp
wait $lp 2>/dev/null
grep '^end' /tmp/fl6
recorded=$(recs /tmp/fl6 dport=5001 | get packets | sum)
lost=$(grep '^end' /tmp/fl6 | get lost_table_full | sum)
expect_eq "export on full: recorded + lost = sent" "$recorded + $lost = $((recorded + lost))" \
	"$recorded + $lost = 24"
expect_ge "export on full: exports caused by a full table" "$(grep -c 'reason=full' /tmp/fl6)" 1
expect_ge "export on full: at least the packet that found it full is lost" "$lost" 1
expect_eq "export on full: never more than flow_max records per export" \
	"$(grep '^end' /tmp/fl6 | get records | sort -n | tail -1 | awk '{ print ($1 <= 3) }')" 1

echo 16384 >$FL/flow_max
expect_ge "flow_stats counts the unheard record" "$(awk '$1 == "lost_no_listener" { print $2 }' $FL/flow_stats)" 1

# ---- the interval export comes by itself --------------------------------------------------
n rt rampartctl flows >/tmp/fl7 &
lp=$!
sleep 1
echo 2 >$FL/flow_interval
n cl rtraffic burst 10.0.2.2 5002 5 10 >/dev/null
for i in $(seq 1 20); do
	[ "$(recs /tmp/fl7 dport=5002 | get packets | sum)" -ge 5 ] && break
	sleep 0.5
done
kill $lp
wait $lp 2>/dev/null
echo 10 >$FL/flow_interval
expect_eq "interval export: the flow's 5 packets, unasked" "$(recs /tmp/fl7 dport=5002 | get packets | sum)" 5
expect_eq "interval export: every END says interval" "$(grep '^end' /tmp/fl7 | get reason | sort -u)" interval

# ---- unload: what is left goes out first, and nothing leaks -------------------------------
n rt rampartctl flows >/tmp/fl8 &
lp=$!
sleep 1
n cl rtraffic burst 10.0.2.2 5001 4 10 >/dev/null
sleep 0.3
before=$(dmesg | grep -c 'rampart: unloaded, 0 allocations outstanding')
rmmod rampart || bad "rmmod"
sleep 0.5
kill $lp
wait $lp 2>/dev/null
cat /tmp/fl8
expect_eq "unload export: the flow's 4 packets" "$(recs /tmp/fl8 dport=5001 | get packets)" 4
expect_eq "unload export: reason" "$(grep '^end' /tmp/fl8 | get reason)" unload
expect_eq "unload: zero allocations outstanding" \
	"$(dmesg | grep -c 'rampart: unloaded, 0 allocations outstanding')" $((before + 1))
insmod /mod/rampart.ko || bad "insmod"
finish
