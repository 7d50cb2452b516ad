// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.bench;

import dev.rampart.dsl.Pipeline;
import dev.rampart.dsl.analysis.Unreachable;
import dev.rampart.dsl.ast.PolicyFile;
import dev.rampart.dsl.check.CheckedPolicy;
import dev.rampart.dsl.check.Checker;
import dev.rampart.dsl.check.SourceLoader;
import dev.rampart.dsl.fmt.Formatter;
import dev.rampart.dsl.ir.IrChain;
import dev.rampart.dsl.ir.IrPolicy;
import dev.rampart.dsl.lower.Lowering;
import dev.rampart.dsl.parse.Parser;
import dev.rampart.dsl.source.Result;
import dev.rampart.dsl.ir.IrRule;
import dev.rampart.dsl.source.Diagnostic;
import dev.rampart.dsl.source.SourceFile;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.List;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

/**
 * Times the whole pipeline (parse, check, lower, unreachable analysis) on generated policies of
 * 1k, 10k and 100k rules shaped like ClassBench filter sets: source and destination prefixes
 * /8../32, port ranges, a handful of protocols. Not a test: run it by hand,
 * {@code java -cp rule-dsl/target/classes:rule-dsl/target/test-classes dev.rampart.dsl.bench.PipelineBench}.
 * <p>
 * Each size is run twice: once through {@link Pipeline#run} for the headline time, once stage by
 * stage (the same calls {@code Pipeline.compile} makes) for the breakdown. Besides wall time it
 * prints the CPU time of the measuring thread and of the whole process (the latter includes
 * garbage collection and JIT threads), and each stage's CPU time on the measuring thread, since on
 * a shared machine wall time says more about the neighbours than about the code.
 */
public final class PipelineBench {
    private PipelineBench() {}

    public static void main(String[] args) {
        int[] sizes = args.length > 0 ? java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray() : new int[] {1_000, 10_000, 100_000};
        // Warm-up: let the JIT compile the hot paths on mid-sized input before measuring.
        for (int i = 0; i < 3; i++) Pipeline.run(new SourceFile("warm.rampart", generate(10_000, 99 + i)));
        System.out.printf("%8s %9s %10s %10s %10s %8s %8s %8s %8s %8s %8s %8s %8s %8s %8s%n", "rules", "bytes", "time ms", "cpu ms",
                "proc ms", "heapMB", "warns", "parse", "check", "lower", "analyse", "parse.c", "check.c", "lower.c", "anal.c");
        for (int n : sizes) {
            String text = generate(n, n);
            System.gc();
            for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) p.resetPeakUsage();
            long cpu0 = THREADS.getCurrentThreadCpuTime(), proc0 = processCpu();
            long t0 = System.nanoTime();
            Pipeline.Compiled c = Pipeline.run(new SourceFile("bench.rampart", text));
            long ns = System.nanoTime() - t0;
            long cpu = THREADS.getCurrentThreadCpuTime() - cpu0, proc = processCpu() - proc0;
            long peak = 0;
            for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
                if (p.getType() == MemoryType.HEAP) peak += p.getPeakUsage().getUsed();
            }
            if (!c.ok()) {
                for (Diagnostic d : c.diagnostics().all()) if (d.isError()) System.out.println(d.headline());
                throw new IllegalStateException("generated policy did not compile");
            }
            long warnings = c.diagnostics().all().size() + c.diagnostics().dropped();
            System.gc();
            long[] st = stages(text);
            System.out.printf("%8d %9d %10.1f %10.1f %10.1f %8.1f %8d %8.1f %8.1f %8.1f %8.1f %8.1f %8.1f %8.1f %8.1f%n", n, text.length(),
                    ns / 1e6, cpu / 1e6, proc / 1e6, peak / 1048576.0, warnings, st[0] / 1e6, st[1] / 1e6, st[2] / 1e6, st[3] / 1e6,
                    st[4] / 1e6, st[5] / 1e6, st[6] / 1e6, st[7] / 1e6);
        }
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private static long processCpu() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }

    /**
     * Wall nanoseconds of parse, check, lower and analysis, run as {@code Pipeline.compile} runs
     * them, then the CPU nanoseconds of this thread in each (all the stage's CPU only when run
     * single-threaded, {@code -Djava.util.concurrent.ForkJoinPool.common.parallelism=0}).
     */
    private static long[] stages(String text) {
        long[] t = new long[8];
        long c0 = THREADS.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        Result<List<PolicyFile>> files = SourceLoader.load(new SourceFile("bench.rampart", text), Path.of("").toAbsolutePath(), Parser::parse);
        long t1 = System.nanoTime(), c1 = THREADS.getCurrentThreadCpuTime();
        Result<CheckedPolicy> checked = Checker.check(files.value(), Formatter::anonymousId);
        long t2 = System.nanoTime(), c2 = THREADS.getCurrentThreadCpuTime();
        Result<IrPolicy> ir = Lowering.lower(checked.value());
        long t3 = System.nanoTime(), c3 = THREADS.getCurrentThreadCpuTime();
        int found = 0;
        for (IrChain chain : ir.value().chains()) found += Unreachable.diagnostics(chain).size();
        long t4 = System.nanoTime(), c4 = THREADS.getCurrentThreadCpuTime();
        if (found < 0) throw new AssertionError();
        t[0] = t1 - t0;
        t[1] = t2 - t1;
        t[2] = t3 - t2;
        t[3] = t4 - t3;
        t[4] = c1 - c0;
        t[5] = c2 - c1;
        t[6] = c3 - c2;
        t[7] = c4 - c3;
        return t;
    }

    /** A ClassBench-like forward chain of n rules, deterministic for a seed. */
    static String generate(int n, long seed) {
        Random rnd = new Random(seed);
        StringBuilder sb = new StringBuilder(n * 96);
        sb.append("chain forward policy drop {\n");
        Set<Long> ids = new HashSet<>();
        int made = 0;
        for (int i = 0; made < n; i++) {
            String name = "r" + i;
            if (!ids.add(IrRule.numericIdOf(name))) continue; // 32-bit ids collide around 100k names
            made++;
            sb.append("  rule ").append(name).append(":");
            // As in ClassBench seeds, (nearly) every filter names at least one address prefix.
            boolean from = rnd.nextInt(10) != 0, to = !from || rnd.nextInt(10) != 0;
            if (from) sb.append(" from ").append(prefix(rnd));
            if (to) sb.append(" to ").append(prefix(rnd));
            int p = rnd.nextInt(10);
            if (p < 6) {
                sb.append(" proto ").append(p < 4 ? "tcp" : "udp");
                if (rnd.nextInt(3) != 0) sb.append(" sport ").append(portRange(rnd));
                sb.append(" dport ").append(portRange(rnd));
            } else if (p < 7) {
                sb.append(" proto icmp");
            } else if (p < 8) {
                sb.append(" proto ").append(rnd.nextBoolean() ? "47" : "50");
            }
            sb.append(rnd.nextInt(4) == 0 ? " drop" : " accept").append('\n');
        }
        sb.append("}\n");
        return sb.toString();
    }

    private static String prefix(Random rnd) {
        int len = 8 + rnd.nextInt(25);
        int a = rnd.nextInt();
        int masked = len == 32 ? a : a & (int) (0xffffffffL << (32 - len));
        return ((masked >>> 24) & 255) + "." + ((masked >>> 16) & 255) + "." + ((masked >>> 8) & 255) + "." + (masked & 255) + "/" + len;
    }

    private static String portRange(Random rnd) {
        return switch (rnd.nextInt(4)) {
            case 0 -> "0-65535";
            case 1 -> "1024-65535";
            case 2 -> Integer.toString(rnd.nextInt(1024));
            default -> {
                int a = rnd.nextInt(60000);
                yield a + "-" + (a + rnd.nextInt(5000));
            }
        };
    }
}
