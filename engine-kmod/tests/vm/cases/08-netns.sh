# Per-namespace isolation: each namespace has its own table, counters and status; a namespace
# without a table is not filtered; deleting a namespace frees its table.
topo_up
n rt rampartctl load /t/ns_a.bin >/dev/null || bad "load ns_a in rt"
n sv rampartctl load /t/ns_b.bin >/dev/null || bad "load ns_b in sv"
expect_eq "rt runs ns_a" "$(status_of rt generation)" "$(gen ns_a)"
expect_eq "sv runs ns_b" "$(status_of sv generation)" "$(gen ns_b)"
expect_eq "cl has no table" "$(status_of cl generation)" none
expect_eq "initial namespace has no table" "$(rampartctl status | awk '$1 == "generation" { print $2 }')" none
expect_eq "udp 5001 dropped by rt's forward" "$(n cl rtraffic udp 10.0.2.2 5001 600)" timeout
expect_eq "udp 5002 dropped by sv's input" "$(n cl rtraffic udp 10.0.2.2 5002 600)" timeout
expect_eq "udp 5003 passes both" "$(n cl rtraffic udp 10.0.2.2 5003)" ok
expect_eq "rt counts only its rule" "$(packets rt $(rid ns_a ns-a-drop))" 1
expect_eq "rt does not know sv's rule" "$(packets rt $(rid ns_b ns-b-drop))" ""
expect_eq "sv counts only its rule" "$(packets sv $(rid ns_b ns-b-drop))" 1
$IP netns add fresh
expect_eq "a namespace made later starts empty" "$(status_of fresh generation)" none
$IP netns del fresh
before=$(cat /sys/kernel/rampart/allocations)
for p in $($IP netns pids sv); do kill $p; done
$IP netns del sv
sleep 2
after=$(cat /sys/kernel/rampart/allocations)
if [ "$after" -lt "$before" ]; then ok "deleting sv freed its table ($before -> $after)"; else bad "allocations $before -> $after after deleting sv"; fi
expect_eq "rt unaffected" "$(status_of rt generation)" "$(gen ns_a)"
finish
