// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.cli;

import dev.rampart.dsl.classbench.ClassBench;
import dev.rampart.dsl.eval.Evaluation;
import dev.rampart.dsl.eval.Packet;
import dev.rampart.dsl.eval.ReferenceEvaluator;
import dev.rampart.dsl.eval.SetContents;
import dev.rampart.dsl.ir.Hook;
import dev.rampart.dsl.ir.IrChain;
import dev.rampart.dsl.ir.IrRule;
import dev.rampart.dsl.ir.Verdict;
import dev.rampart.dsl.source.DiagnosticRenderer;
import dev.rampart.dsl.source.Result;
import dev.rampart.dsl.source.SourceFile;
import dev.rampart.dsl.table.Decision;
import dev.rampart.dsl.table.KeyCodec;
import dev.rampart.dsl.table.Table;
import dev.rampart.dsl.table.TableCompiler;
import dev.rampart.dsl.table.TableReader;
import dev.rampart.dsl.table.TableWalker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code rampart classify POLICY|TABLE --headers FILE [--engine reference|java|native]}: classify
 * ClassBench-style header lines ({@code SRC DST SPORT DPORT PROTO [EXPECTED]}) and print each
 * decision, or with the expected 0-based rule index column, the mismatches and a summary line.
 */
@Command(name = "classify", mixinStandardHelpOptions = true,
        description = "Classify packet headers with the reference evaluator, the Java table walker or the C core.")
public final class ClassifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "POLICY|TABLE", description = "policy file, ClassBench .rules file or compiled table")
    Path input;

    @Option(names = "--headers", required = true, paramLabel = "FILE",
            description = "SRC DST SPORT DPORT PROTO [EXPECTED] per line; addresses as 32-bit integers or text")
    Path headers;

    @Option(names = "--engine", defaultValue = "java", paramLabel = "ENGINE",
            description = "reference, java or native (default ${DEFAULT-VALUE})")
    String engine;

    @Option(names = "--hook", defaultValue = "forward", paramLabel = "HOOK", description = "chain to use (default ${DEFAULT-VALUE})")
    String hookName;

    @Option(names = "--harness", paramLabel = "PATH",
            description = "the C core's rampart-harness (default: $RAMPART_HARNESS or engine-kmod/core/build/rampart-harness)")
    Path harness;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        Hook hook = Hook.byKeyword(hookName);
        if (hook == null) {
            err.println("error: unknown hook '" + hookName + "'");
            err.println("  = help: one of input, forward, output");
            return 2;
        }
        if (!List.of("reference", "java", "native").contains(engine)) {
            err.println("error: unknown engine '" + engine + "'");
            err.println("  = help: one of reference, java, native");
            return 2;
        }
        TableInput.Loaded in = TableInput.load(input, err);
        if (!in.ok()) return in.exit();
        Result<ClassBench.Trace> tr;
        try {
            tr = ClassBench.parseTrace(new SourceFile(headers.toString(), Files.readString(headers)));
        } catch (IOException e) {
            err.println("error: cannot read " + headers + ": " + e.getMessage());
            return 2;
        }
        if (!tr.ok()) {
            err.print(DiagnosticRenderer.renderAll(tr.diagnostics()));
            return 1;
        }
        List<Packet> packets = tr.value().packets();
        List<String> names = new ArrayList<>();
        List<Answer> answers;
        if (engine.equals("reference")) {
            if (in.ir() == null) {
                err.println("error: the reference engine needs the policy or rules, not a compiled table");
                return 2;
            }
            Optional<IrChain> chain = in.ir().chain(hook);
            if (chain.isEmpty()) return noChain(err, hook);
            answers = new ArrayList<>();
            for (IrChain c : in.ir().chains()) for (IrRule r : c.rules()) names.add(r.id());
            List<IrRule> all = new ArrayList<>();
            for (IrChain c : in.ir().chains()) all.addAll(c.rules());
            for (Packet p : packets) {
                Evaluation e = ReferenceEvaluator.evaluate(chain.get(), p, SetContents.EMPTY);
                answers.add(new Answer(e.verdict(), e.rule() == null ? -1 : all.indexOf(e.rule())));
            }
        } else {
            byte[] blob = in.table() != null ? in.table() : TableCompiler.compile(in.ir());
            if (in.ir() != null) for (IrChain c : in.ir().chains()) for (IrRule r : c.rules()) names.add(r.id());
            TableReader.Loaded t = TableReader.read(blob);
            if (!t.ok()) {
                err.println("error: " + input + ": " + t.error().describe());
                return 1;
            }
            answers = engine.equals("java") ? java(t.table(), hook, packets) : nativ(blob, hook, packets, err);
            if (answers == null) return 2;
            if (answers.isEmpty() && !packets.isEmpty()) return noChain(err, hook);
        }
        int[] expected = tr.value().hasExpected() ? tr.value().expected() : null;
        int mismatches = 0;
        for (int i = 0; i < packets.size(); i++) {
            Answer a = answers.get(i);
            String who = a.rule < 0 ? "policy" : a.rule < names.size() ? names.get(a.rule) : "rule #" + a.rule;
            if (expected == null) {
                out.println((i + 1) + ": " + packets.get(i).describe() + " => " + a.verdict.keyword() + " by " + who);
            } else if (expected[i] != a.rule) {
                mismatches++;
                out.println("mismatch at line " + (i + 1) + ": " + packets.get(i).describe() + " => " + who + " (index "
                        + a.rule + "), expected index " + expected[i]);
            }
        }
        if (expected != null) out.println(packets.size() + " packets, " + mismatches + " mismatches");
        return mismatches == 0 ? 0 : 1;
    }

    private record Answer(Verdict verdict, int rule) {}

    private static int noChain(PrintWriter err, Hook hook) {
        err.println("error: no " + hook.keyword() + " chain in the input");
        err.println("  = help: choose another chain with --hook");
        return 2;
    }

    private static List<Answer> java(Table t, Hook hook, List<Packet> packets) {
        List<Answer> out = new ArrayList<>(packets.size());
        for (Packet p : packets) {
            Optional<Decision> d = TableWalker.classify(t, hook, p, SetContents.EMPTY);
            if (d.isEmpty()) return List.of();
            out.add(new Answer(d.get().verdict(), d.get().ruleIndex()));
        }
        return out;
    }

    private Path findHarness() {
        if (harness != null) return harness;
        String env = System.getenv("RAMPART_HARNESS");
        if (env != null && !env.isEmpty()) return Path.of(env);
        Path dir = Path.of("").toAbsolutePath();
        for (int up = 0; up < 4 && dir != null; up++, dir = dir.getParent()) {
            Path p = dir.resolve("engine-kmod/core/build/rampart-harness");
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }

    /** Runs the C core through its harness executable: verify, then classify every header. */
    private List<Answer> nativ(byte[] blob, Hook hook, List<Packet> packets, PrintWriter err) {
        Path exe = findHarness();
        if (exe == null || !Files.isExecutable(exe)) {
            err.println("error: the native engine needs the C core's rampart-harness");
            err.println("  = help: build it with 'make -C engine-kmod/core', or pass --harness PATH");
            return null;
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory("rampart-classify");
            Path table = dir.resolve("table.bin"), keys = dir.resolve("keys.bin");
            Files.write(table, blob);
            try (OutputStream os = Files.newOutputStream(keys)) {
                KeyCodec.write(os, Collections.nCopies(packets.size(), hook), packets, Map.of(), Map.of());
            }
            Process p = new ProcessBuilder(exe.toString(), table.toString(), keys.toString()).redirectErrorStream(true).start();
            List<String> lines = new String(p.getInputStream().readAllBytes()).lines().toList();
            if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0) {
                err.println("error: the C core refused the table or failed: " + String.join(" ", lines.subList(0, Math.min(1, lines.size()))));
                return null;
            }
            List<Answer> out = new ArrayList<>(packets.size());
            for (String l : lines) {
                if (l.equals("nochain")) return List.of();
                String[] f = l.split(" ");
                out.add(new Answer(Verdict.values()[Integer.parseInt(f[0])], Integer.parseInt(f[1])));
            }
            return out;
        } catch (IOException e) {
            err.println("error: running " + exe + ": " + e.getMessage());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            if (dir != null) {
                try (var s = Files.walk(dir)) {
                    s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                } catch (IOException ignored) {
                    // a leftover temporary directory is harmless
                }
            }
        }
    }
}
