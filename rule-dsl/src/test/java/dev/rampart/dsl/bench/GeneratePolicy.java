// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.bench;

/**
 * Writes a large ClassBench-like policy to stdout, the one the pipeline benchmark measures:
 * {@code java -cp rule-dsl/target/classes:rule-dsl/target/test-classes dev.rampart.dsl.bench.GeneratePolicy 2000 42}.
 * examples/large-2k.rampart was made this way.
 */
public final class GeneratePolicy {
    private GeneratePolicy() {}

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 42;
        System.out.println("# Generated: " + n + " ClassBench-like rules (seed " + seed + "), for trying the tools on a big policy.");
        System.out.println("# Remake: java -cp rule-dsl/target/classes:rule-dsl/target/test-classes dev.rampart.dsl.bench.GeneratePolicy " + n + " " + seed);
        System.out.print(PipelineBench.generate(n, seed));
    }
}
