# Helpers for the cases, sourced by /init in the guest (busybox sh).
#
# Topology (each case builds its own with topo_up and removes it with topo_down):
#
#   +-- cl ---------+        +-- rt (rampart: input, forward, output) --+        +-- sv ---------+
#   | cl0 10.0.1.2  |--veth--| rt-c 10.0.1.1        rt-s 10.0.2.1       |--veth--| sv0 10.0.2.2  |
#   |   fd00:1::2   |        |   fd00:1::1            fd00:2::1         |        |   fd00:2::2   |
#   +---------------+        +------------------------------------------+        +---------------+
#
# sv and rt run `rtraffic serve` (UDP and TCP echo) on the ports the cases use.
IP=/sbin/ip
FAILS=0
SERVE_PORTS="5001 5002 5003 5004 6001 6002 6003 7000 7001 7777 7778 7779"

# nsenter only switches the network namespace: much cheaper than `ip netns exec` under TCG.
n() { local ns=$1; shift; nsenter --net=/run/netns/"$ns" "$@"; }
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; FAILS=$((FAILS + 1)); }
expect_eq() { if [ "$2" = "$3" ]; then ok "$1: $2"; else bad "$1: got '$2', want '$3'"; fi; }
expect_ge() { if [ "$2" -ge "$3" ] 2>/dev/null; then ok "$1: $2 >= $3"; else bad "$1: got '$2', want >= $3"; fi; }

# The kernel log since this case began (init.sh writes CASE_MARK to it before each case).
klog() { dmesg | awk -v m="${CASE_MARK:-}" 'f || m == "" { print } m != "" && index($0, m) { f = 1 }'; }

# The stable id of a rule of a test table, and a table's generation (from the generator).
rid() { awk -v t="$1" -v r="$2" '$1 == t && $2 == r { print $3 }' /t/ids.txt; }
gen() { awk -v t="$1" '$1 == t { print $2 }' /t/generations.txt; }

# Packets counted for a rule id in namespace NS (empty when the rule is not in the table).
packets() { n "$1" rampartctl counters | awk -v id="$2" '$2 == "rule" && $3 == id { print $7 }'; }
policy_packets() { n "$1" rampartctl counters | awk -v h="policy-$2" '$2 == h { print $4 }'; }
status_of() { n "$1" rampartctl status | awk -v k="$2" '$1 == k { print $2 }'; }

link() { # NS_A IF_A NS_B IF_B
	$IP link add "$2" netns "$1" type veth peer name "$4" netns "$3"
}

topo_up() {
	for ns in cl rt sv; do
		$IP netns add $ns
		n $ns $IP link set lo up
	done
	link cl cl0 rt rt-c
	link rt rt-s sv sv0
	n cl $IP addr add 10.0.1.2/24 dev cl0
	n cl $IP addr add fd00:1::2/64 dev cl0 nodad
	n rt $IP addr add 10.0.1.1/24 dev rt-c
	n rt $IP addr add fd00:1::1/64 dev rt-c nodad
	n rt $IP addr add 10.0.2.1/24 dev rt-s
	n rt $IP addr add fd00:2::1/64 dev rt-s nodad
	n sv $IP addr add 10.0.2.2/24 dev sv0
	n sv $IP addr add fd00:2::2/64 dev sv0 nodad
	n cl $IP link set cl0 up
	n rt $IP link set rt-c up
	n rt $IP link set rt-s up
	n sv $IP link set sv0 up
	n cl $IP route add default via 10.0.1.1
	n cl $IP -6 route add default via fd00:1::1
	n sv $IP route add default via 10.0.2.1
	n sv $IP -6 route add default via fd00:2::1
	n rt sysctl -qw net.ipv4.ip_forward=1
	n rt sysctl -qw net.ipv6.conf.all.forwarding=1
	n sv rtraffic serve $SERVE_PORTS &
	n rt rtraffic serve 5101 5201 &
	n cl rtraffic serve 8000 &
	sleep 1
}

topo_down() {
	for ns in cl rt sv; do
		for p in $($IP netns pids $ns 2>/dev/null); do kill $p 2>/dev/null; done
	done
	wait 2>/dev/null
	for ns in cl rt sv; do $IP netns del $ns 2>/dev/null; done
	return 0
}

# The end of every case: clean up, then the verdict.
finish() {
	topo_down
	echo "$FAILS failed checks"
	[ "$FAILS" -eq 0 ]
}
