# The flow log's cost per logged packet, timed in the kernel (a benchmark, not a test: `run
# flowbench` builds the module with `make BENCH=1`, which adds /sys/kernel/rampart/flow_bench;
# engine-kmod/kmod/flowlog_bench.c says what each case times). The same flow-log passes run next
# to the classifier's lookup of three tables: the 12-flowlog test table and ClassBench-style
# tables of 1,000 and 10,000 rules (VmBench, as `run bench` uses), each twice, interleaved.
# Each line: @@FLOWBENCH ROUND TABLE <the report's line>. Under TCG: the figures are the
# emulated machine's, not a native CPU's; only ratios within one run mean something.
REPS=11
$IP netns add fb
n fb $IP link set lo up
for round in 1 2; do
	for T in flowlog bench_1000 bench_10000; do
		n fb rampartctl load /t/$T.bin >/dev/null || bad "load $T"
		if n fb sh -c "echo $REPS >/sys/kernel/rampart/flow_bench"; then
			n fb cat /sys/kernel/rampart/flow_bench | sed "s/^/@@FLOWBENCH $round $T /"
		else
			bad "flow_bench with $T"
		fi
	done
done
$IP netns del fb
finish
