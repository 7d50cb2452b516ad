# Conntrack only where a table tests connection state, as nftables does: a stateless table leaves
# its namespace without conntrack (no entry for the flows it filters), a stateful one turns it on
# before it runs, and a stateful table kept as the previous one (for a rollback or a missed
# confirm deadline) keeps it on, so a revert never runs a stateful table without it.
topo_up
held() { cat /sys/kernel/rampart/conntrack_netns; }
entries() { n "$1" cat /proc/sys/net/netfilter/nf_conntrack_count; }
wait_held() { # WANT: namespace exit runs asynchronously
	local i=0
	while [ "$(held)" != "$1" ] && [ $i -lt 50 ]; do sleep 0.2; i=$((i + 1)); done
}

expect_eq "no table: conntrack held nowhere" "$(held)" 0
n rt rampartctl load /t/basic.bin >/dev/null || bad "load basic"
expect_eq "stateless table: conntrack not held" "$(held)" 0
expect_eq "udp through the stateless router" "$(n cl rtraffic udp 10.0.2.2 5001)" ok
expect_eq "tcp through the stateless router" "$(n cl rtraffic tcp 10.0.2.2 6001)" ok
expect_eq "no conntrack entry in the stateless router" "$(entries rt)" 0

n rt rampartctl load /t/state.bin >/dev/null || bad "load state"
expect_eq "stateful table: conntrack held (router only)" "$(held)" 1
expect_eq "client -> server udp (new from the client side)" "$(n cl rtraffic udp 10.0.2.2 5001)" ok
expect_ge "conntrack entries in the stateful router" "$(entries rt)" 1
expect_eq "server -> client udp (new from the server side) dropped" "$(n sv rtraffic udp 10.0.1.2 8000 800)" timeout

# Stateless load with a deadline: the stateful table waits as previous, conntrack stays on.
n rt rampartctl load /t/basic.bin --confirm 2 >/dev/null || bad "load basic with deadline"
expect_eq "stateful table as previous: conntrack still held" "$(held)" 1
sleep 3
expect_eq "deadline missed: stateful table back" "$(status_of rt generation)" "$(gen state)"
expect_eq "after the revert: conntrack held" "$(held)" 1
expect_eq "after the revert: client -> server tcp" "$(n cl rtraffic tcp 10.0.2.2 6001)" ok
expect_eq "after the revert: server -> client tcp refused by policy" "$(n sv rtraffic tcp 10.0.1.2 8000 800)" timeout
n rt rampartctl rollback || bad "rollback"
expect_eq "rolled back to the stateless table, stateful one previous: held" "$(held)" 1

# Two stateless loads push the stateful table out: conntrack is dropped.
n rt rampartctl load /t/v6.bin >/dev/null || bad "load v6"
expect_eq "stateless active and previous: conntrack dropped" "$(held)" 0
n rt rampartctl rollback || bad "rollback to basic"
expect_eq "rollback between stateless tables: still not held" "$(held)" 0

# A namespace that goes away gives its reference back.
$IP netns add ctx
n ctx rampartctl load /t/state.bin >/dev/null || bad "load state in ctx"
expect_eq "stateful table in a second namespace: one held" "$(held)" 1
n rt rampartctl load /t/state.bin >/dev/null || bad "load state in rt"
expect_eq "and in the router again: two" "$(held)" 2
$IP netns del ctx
wait_held 1
expect_eq "namespace deleted: its reference dropped" "$(held)" 1
finish
