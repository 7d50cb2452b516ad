# Hostile input: corrupted and truncated tables are refused with the verifier's exact error code
# and byte offset (the userspace verifier's answer for the same bytes, computed before the boot),
# malformed netlink requests are refused with specific errors, and the old table keeps filtering.
topo_up
n rt rampartctl load /t/basic.bin >/dev/null || bad "load basic"
fail0=$(status_of rt verify_failures)
total=$(wc -l </t/bad/expect)
res=$(n rt sh -c '
	right=0; wrong=0
	while read -r f code off; do
		out=$(rampartctl load /t/bad/$f.bin 2>&1 >/dev/null); rc=$?
		case "$out" in
		*"[verify error $code at byte $off]"*) [ $rc -eq 1 ] && right=$((right + 1)) || wrong=$((wrong + 1)) ;;
		*) wrong=$((wrong + 1)); echo "table $f: want error $code at $off, got rc $rc: $out" >&2 ;;
		esac
	done </t/bad/expect
	echo $right $wrong')
set -- $res
expect_ge "corrupted tables" "$total" 50
expect_eq "refused with the exact error and offset" "$1" "$total"
expect_eq "refused otherwise or accepted" "$2" 0
expect_eq "verify_failures counted" "$(status_of rt verify_failures)" "$((fail0 + total))"
n rt badnl >/tmp/badnl.out 2>&1
rc=$?
cat /tmp/badnl.out
expect_eq "malformed requests refused as expected" "$rc" 0
expect_ge "malformed requests" "$(tail -1 /tmp/badnl.out | cut -d' ' -f1)" 30
expect_eq "old table still running" "$(status_of rt generation)" "$(gen basic)"
expect_eq "old table still filters: udp 5002" "$(n cl rtraffic udp 10.0.2.2 5002 600)" timeout
expect_eq "old table still filters: udp 5001" "$(n cl rtraffic udp 10.0.2.2 5001)" ok
finish
