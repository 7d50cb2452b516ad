// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.cli;

import dev.rampart.dsl.ir.IrPolicy;
import dev.rampart.dsl.table.TableCompiler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code rampart compile FILE -o table.bin}: policy or ClassBench rules to a table blob. */
@Command(name = "compile", mixinStandardHelpOptions = true,
        description = "Compile a policy (or a ClassBench rule file) into a classifier table.")
public final class CompileCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "policy file or ClassBench .rules file")
    Path input;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "TABLE", description = "where to write the table")
    Path output;

    @Option(names = "--linear", description = "no decision trees: one linear scan per chain (for comparisons)")
    boolean linear;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        TableInput.Loaded in = TableInput.load(input, err);
        if (!in.ok()) return in.exit();
        if (in.ir() == null) {
            err.println("error: " + input + " is already a compiled table");
            return 2;
        }
        IrPolicy p = in.ir();
        long t0 = System.nanoTime();
        byte[] table = TableCompiler.compile(p, linear ? TableCompiler.Options.LINEAR : TableCompiler.Options.DEFAULT);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        try {
            Files.write(output, table);
        } catch (IOException e) {
            err.println("error: cannot write " + output + ": " + e.getMessage());
            return 2;
        }
        int rules = p.chains().stream().mapToInt(c -> c.rules().size()).sum();
        out.printf(Locale.ROOT, "wrote %s: %d rules in %d chains, %d bytes (%.1f bytes/rule), compiled in %d ms%n",
                output, rules, p.chains().size(), table.length, (double) table.length / Math.max(1, rules), ms);
        return 0;
    }
}
