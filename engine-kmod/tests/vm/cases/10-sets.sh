# Dynamic sets: elements added over netlink take effect without a reload, expire by their own
# timeout, can be removed, are listed, survive a reload of the same declaration, and a full set
# refuses more with a clear error.
topo_up
n rt rampartctl load /t/sets.bin >/dev/null || bad "load sets"
expect_eq "client passes before" "$(n cl rtraffic udp 10.0.2.2 5001)" ok
# A timeout long enough for the checks below on a slow, loaded TCG guest (3 s once ran out
# before the element was listed); the expiry is then awaited, and must not come early.
t_add=$(date +%s)
n rt rampartctl set add blocklist 10.0.1.2 --timeout 15 || bad "add 10.0.1.2"
n rt rampartctl set add blocklist fd00:1::2 || bad "add fd00:1::2"
expect_eq "v4 client blocked" "$(n cl rtraffic udp 10.0.2.2 5001 600)" timeout
expect_eq "v6 client blocked" "$(n cl rtraffic udp fd00:2::2 5001 600)" timeout
expect_eq "blocked packets counted" "$(packets rt $(rid sets blocked))" 2
expect_eq "listed elements" "$(n rt rampartctl set list blocklist | wc -l)" 2
exp=$(n rt rampartctl set list blocklist | awk '$1 == "10.0.1.2" { print $3 }')
if [ -n "$exp" ] && [ "$exp" -le 15000 ]; then ok "10.0.1.2 expires in ${exp} ms"; else bad "expiry of 10.0.1.2: '$exp'"; fi
i=0
while n rt rampartctl set list blocklist | grep -q '^10\.0\.1\.2 ' && [ $i -lt 80 ]; do sleep 0.5; i=$((i + 1)); done
expect_ge "expired not before its timeout (s)" "$(( $(date +%s) - t_add ))" 14
expect_eq "v4 client passes after expiry" "$(n cl rtraffic udp 10.0.2.2 5001)" ok
expect_eq "expired element not listed" "$(n rt rampartctl set list blocklist | grep -c 10.0.1.2)" 0
expect_eq "v6 client still blocked" "$(n cl rtraffic udp fd00:2::2 5001 600)" timeout
n rt rampartctl set del blocklist fd00:1::2 || bad "del fd00:1::2"
expect_eq "v6 client passes after removal" "$(n cl rtraffic udp fd00:2::2 5001)" ok
for i in 1 2 3 4; do n rt rampartctl set add blocklist 10.9.0.$i || bad "add 10.9.0.$i"; done
n rt rampartctl set add blocklist 10.9.0.5 2>/tmp/full.err && bad "fifth element accepted" ||
	expect_eq "fifth element refused: set full" "$(grep -c 'No space left on device: rampart: dynamic set is full' /tmp/full.err)" 1
cat /tmp/full.err
n rt rampartctl load /t/sets.bin >/dev/null || bad "reload sets"
expect_eq "elements survive a reload" "$(n rt rampartctl set list blocklist | wc -l)" 4
finish
