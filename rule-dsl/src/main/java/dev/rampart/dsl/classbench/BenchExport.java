// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.classbench;

import dev.rampart.dsl.ir.Hook;
import dev.rampart.dsl.ir.IrPolicy;
import dev.rampart.dsl.source.Result;
import dev.rampart.dsl.source.SourceFile;
import dev.rampart.dsl.table.KeyCodec;
import dev.rampart.dsl.table.TableCompiler;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import dev.rampart.dsl.eval.Packet;

/**
 * Prepares one benchmark case for the C bench binary: compiles a ClassBench rule file with the
 * tree design and the linear design, writes both tables, the trace as a key file, as a 5-column
 * text file (for dpdk-test-acl) and the expected indexes, and prints the warm Java compile time
 * (median of repeated compiles after warm-up).
 * Usage: {@code BenchExport RULES TRACE|gen:N|gen6:KIND:COUNT:N OUTDIR [REPEATS]}: {@code gen:N} draws N
 * headers from the rules with our trace generator (expected indexes then come from the C linear
 * scan: "-" in expected.txt); {@code gen6:KIND:COUNT:N} ignores RULES and generates an IPv6 set.
 */
public final class BenchExport {
    private BenchExport() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: BenchExport RULES TRACE OUTDIR [REPEATS]");
            System.exit(2);
        }
        Path rules = Path.of(args[0]), trace = Path.of(args[1]), out = Path.of(args[2]);
        int repeats = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        IrPolicy policy;
        List<Packet> packets;
        int[] expected = null;
        if (args[1].startsWith("gen6:")) {
            String[] g = args[1].split(":");
            policy = RuleSetGenerator.rules(RuleSetGenerator.Kind.valueOf(g[1]), true, Integer.parseInt(g[2]), 1);
            packets = RuleSetGenerator.trace(policy, Integer.parseInt(g[3]), 2);
        } else {
            Result<IrPolicy> p = ClassBench.parseRules(new SourceFile(rules.toString(), Files.readString(rules)));
            if (!p.ok()) {
                p.diagnostics().all().forEach(d -> System.err.println(d.headline()));
                System.exit(1);
            }
            policy = p.value();
            if (args[1].startsWith("gen:")) {
                packets = RuleSetGenerator.trace(policy, Integer.parseInt(args[1].substring(4)), 2);
            } else {
                Result<ClassBench.Trace> t = ClassBench.parseTrace(new SourceFile(trace.toString(), Files.readString(trace)));
                if (!t.ok()) {
                    t.diagnostics().all().forEach(d -> System.err.println(d.headline()));
                    System.exit(1);
                }
                packets = t.value().packets();
                if (t.value().hasExpected()) expected = t.value().expected();
            }
        }
        Files.createDirectories(out);
        long[] ns = new long[repeats];
        byte[] table = null;
        TableCompiler.Options d = TableCompiler.Options.DEFAULT;
        TableCompiler.Options opt = new TableCompiler.Options(Integer.getInteger("rampart.leaf", d.leafSize()),
                Integer.getInteger("rampart.spfac", d.spaceFactor()), Integer.getInteger("rampart.budget", d.copyBudget()),
                Integer.getInteger("rampart.depth", d.maxDepth()),
                !Boolean.getBoolean("rampart.nopartition"), true);
        TableCompiler.compile(policy, opt); // warm-up
        for (int i = 0; i < repeats; i++) {
            long t0 = System.nanoTime();
            table = TableCompiler.compile(policy, opt);
            ns[i] = System.nanoTime() - t0;
        }
        Arrays.sort(ns);
        Files.write(out.resolve("tree.bin"), table);
        Files.write(out.resolve("linear.bin"), TableCompiler.compile(policy, TableCompiler.Options.LINEAR));
        try (OutputStream os = Files.newOutputStream(out.resolve("keys.bin"))) {
            KeyCodec.write(os, Collections.nCopies(packets.size(), Hook.FORWARD), packets, Map.of(), Map.of());
        }
        StringBuilder sb = new StringBuilder(), dpdk = new StringBuilder();
        for (int i = 0; i < packets.size(); i++) {
            sb.append(expected == null ? "-" : Integer.toString(expected[i])).append('\n');
            Packet k = packets.get(i);
            if (k.isV4()) {
                dpdk.append(k.src().lo() & 0xffff_ffffL).append('\t').append(k.dst().lo() & 0xffff_ffffL).append('\t')
                        .append(k.sport()).append('\t').append(k.dport()).append('\t').append(k.proto()).append('\n');
            }
        }
        Files.writeString(out.resolve("expected.txt"), sb);
        Files.writeString(out.resolve("trace5.txt"), dpdk);
        int nRules = policy.chains().get(0).rules().size();
        System.out.printf("rules=%d compile_ms=%.1f table_bytes=%d bytes_per_rule=%.1f%n", nRules, ns[repeats / 2] / 1e6,
                table.length, (double) table.length / nRules);
    }
}
