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
import java.util.Map;

/**
 * Prepares one benchmark case for the C bench binary: compiles a ClassBench rule file with the
 * tree design and the linear design, writes both tables, the trace as a key file and the expected
 * indexes, and prints the warm Java compile time (median of repeated compiles after warm-up).
 * Usage: {@code BenchExport RULES TRACE OUTDIR [REPEATS]}.
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
        Result<IrPolicy> p = ClassBench.parseRules(new SourceFile(rules.toString(), Files.readString(rules)));
        if (!p.ok()) {
            p.diagnostics().all().forEach(d -> System.err.println(d.headline()));
            System.exit(1);
        }
        Result<ClassBench.Trace> t = ClassBench.parseTrace(new SourceFile(trace.toString(), Files.readString(trace)));
        if (!t.ok()) {
            t.diagnostics().all().forEach(d -> System.err.println(d.headline()));
            System.exit(1);
        }
        Files.createDirectories(out);
        long[] ns = new long[repeats];
        byte[] table = null;
        TableCompiler.Options d = TableCompiler.Options.DEFAULT;
        TableCompiler.Options opt = new TableCompiler.Options(Integer.getInteger("rampart.leaf", d.leafSize()),
                Integer.getInteger("rampart.spfac", d.spaceFactor()), Integer.getInteger("rampart.budget", d.copyBudget()),
                Integer.getInteger("rampart.depth", d.maxDepth()),
                !Boolean.getBoolean("rampart.nopartition"), true);
        TableCompiler.compile(p.value(), opt); // warm-up
        for (int i = 0; i < repeats; i++) {
            long t0 = System.nanoTime();
            table = TableCompiler.compile(p.value(), opt);
            ns[i] = System.nanoTime() - t0;
        }
        Arrays.sort(ns);
        Files.write(out.resolve("tree.bin"), table);
        Files.write(out.resolve("linear.bin"), TableCompiler.compile(p.value(), TableCompiler.Options.LINEAR));
        try (OutputStream os = Files.newOutputStream(out.resolve("keys.bin"))) {
            KeyCodec.write(os, Collections.nCopies(t.value().packets().size(), Hook.FORWARD), t.value().packets(),
                    Map.of(), Map.of());
        }
        StringBuilder sb = new StringBuilder();
        for (int e : t.value().expected()) sb.append(e).append('\n');
        Files.writeString(out.resolve("expected.txt"), sb);
        int nRules = p.value().chains().get(0).rules().size();
        System.out.printf("rules=%d compile_ms=%.1f table_bytes=%d bytes_per_rule=%.1f%n", nRules, ns[repeats / 2] / 1e6,
                table.length, (double) table.length / nRules);
    }
}
