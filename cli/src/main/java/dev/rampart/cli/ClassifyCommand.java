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
import dev.rampart.dsl.table.NativeTable;
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
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code rampart classify POLICY|TABLE --headers FILE [--engine reference|java|native]}: classify
 * ClassBench-style header lines ({@code SRC DST SPORT DPORT PROTO [EXPECTED]}) and print each
 * decision, or with the expected 0-based rule index column, the mismatches and a summary line.
 */
@Command(name = "classify", mixinStandardHelpOptions = true,
        description = "Classify packet headers with the reference evaluator, the Java table walker or the C core "
                + "(librampart-core.so, in-process).")
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

    @Option(names = "--lib", paramLabel = "PATH",
            description = "the C core's librampart-core.so for the native engine (default: -Drampart.core.lib, "
                    + "$RAMPART_CORE_LIB or engine-kmod/core/build/librampart-core.so)")
    Path lib;

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
            if (engine.equals("java")) {
                TableReader.Loaded t = TableReader.read(blob);
                if (!t.ok()) {
                    err.println("error: " + input + ": " + t.error().describe());
                    return 1;
                }
                answers = java(t.table(), hook, packets);
            } else {
                answers = nativ(blob, hook, packets, err);
                if (answers == null) return exit;
            }
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

    private int exit = 2;

    /** The C core in-process (librampart-core.so through JNA): verify in C, then classify in batches. */
    private List<Answer> nativ(byte[] blob, Hook hook, List<Packet> packets, PrintWriter err) {
        Optional<Path> found = lib != null ? Optional.of(lib) : NativeTable.findLibrary();
        if (found.isEmpty() || !Files.isRegularFile(found.get())) {
            err.println("error: the native engine needs the C core's librampart-core.so, "
                    + (lib != null ? "and " + lib + " does not exist" : "which was not found"));
            err.println("  = help: " + NativeTable.HOW_TO_BUILD + ", or pass --lib PATH");
            return null;
        }
        try (NativeTable t = NativeTable.open(found.get(), blob)) {
            int n = packets.size();
            Hook[] hooks = new Hook[n];
            long[][] keys = new long[n][];
            for (int i = 0; i < n; i++) {
                hooks[i] = hook;
                keys[i] = KeyCodec.words(packets.get(i));
            }
            int[] verdicts = new int[n], rules = new int[n];
            t.classify(hooks, keys, 0, n, verdicts, rules);
            List<Answer> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                if (verdicts[i] < 0) return List.of();
                out.add(new Answer(Verdict.values()[verdicts[i]], rules[i]));
            }
            return out;
        } catch (NativeTable.Unavailable e) {
            err.println("error: " + e.getMessage());
            return null;
        } catch (NativeTable.Refused e) {
            err.println("error: " + input + ": the C core's verifier: " + e.getMessage());
            exit = 1;
            return null;
        }
    }
}
