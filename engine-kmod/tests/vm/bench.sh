# The datapath benchmark (not a test; `run bench`). Forwards 64-byte UDP datagrams from cl to sv
# through rt as fast as the sender goes, for D seconds, and counts what arrives, in these setups:
#   nofw         no firewall at all (rampart.ko unloaded, no nftables)
#   ct           conntrack on in all three namespaces (a one-rule nftables table): what Rampart
#                turns on by itself, so the fair baseline for the ones below
#   rampart-N    rampart.ko with N ClassBench-style ACL rules on forward, none matching the flow
#   nft-N        the same N rules as one linear nftables chain, plus conntrack as in `ct`
#   rampart-nolog / rampart-log
#                the flowlog test table, whose rule fl-bench accepts the flow, without and with
#                the log flag: the difference is the flow log's aggregation cost per packet
# Each line: @@BENCH SETUP REP PACKETS_PER_SECOND. Ratios only mean something within one run.
D=${BENCH_SECONDS:-4}
REPS=${BENCH_REPS:-5}
CT='table inet conn {
	chain c {
		type filter hook prerouting priority 0;
		ct state untracked counter
	}
}'

measure() {
	n sv rtraffic sink 9000 1 >/tmp/sink.out &
	local sp=$!
	sleep 0.5
	local sent=$(n cl rtraffic blast 10.0.2.2 9000 $D | cut -d' ' -f2)
	wait $sp
	local got=$(cut -d' ' -f2 /tmp/sink.out | tail -1)
	echo "@@BENCH $1 $2 $((got / D)) sent=$((sent / D))"
}

ct_on() { for ns in cl rt sv; do echo "$CT" | n $ns nft -f - || bad "nft ct $ns"; done; }
ct_off() { for ns in cl rt sv; do n $ns nft flush ruleset; done; }

rmmod rampart
topo_up
for rep in $(seq 1 $REPS); do
	measure nofw $rep
	ct_on
	measure ct $rep
	for N in 1000 10000; do
		t0=$(date +%s)
		n rt nft -f /t/bench_$N.nft || bad "nft -f bench_$N"
		echo "@@LOG nft load of $N rules: $(($(date +%s) - t0)) s"
		measure nft-$N $rep
		n rt nft delete table ip bench
	done
	ct_off
	insmod /mod/rampart.ko
	for N in 0 1000 10000; do
		n rt rampartctl load /t/bench_$N.bin >/dev/null || bad "load bench_$N"
		measure rampart-$N $rep
	done
	for T in nolog log; do
		n rt rampartctl load /t/flowlog$([ $T = nolog ] && echo _quiet).bin >/dev/null || bad "load flowlog $T"
		measure rampart-$T $rep
	done
	rmmod rampart
done
insmod /mod/rampart.ko
finish
