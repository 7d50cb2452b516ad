// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.cli;

import dev.rampart.dsl.classbench.ClassBench;
import dev.rampart.dsl.ir.IrPolicy;
import dev.rampart.dsl.source.DiagnosticRenderer;
import dev.rampart.dsl.source.Result;
import dev.rampart.dsl.source.SourceFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code rampart import classbench FILE}: a ClassBench rule file as a Rampart policy. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Convert rules from another format into a Rampart policy (formats: classbench).")
public final class ImportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FORMAT", description = "the input format: classbench")
    String format;

    @Parameters(index = "1", paramLabel = "FILE")
    Path input;

    @Option(names = {"-o", "--output"}, paramLabel = "POLICY", description = "write here instead of standard output")
    Path output;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        if (!format.equals("classbench")) {
            err.println("error: unknown import format '" + format + "'");
            err.println("  = help: supported formats: classbench");
            return 2;
        }
        String text;
        try {
            text = Files.readString(input);
        } catch (IOException e) {
            err.println("error: cannot read " + input + ": " + e.getMessage());
            return 2;
        }
        Result<IrPolicy> r = ClassBench.parseRules(new SourceFile(input.toString(), text));
        if (!r.ok()) {
            err.print(DiagnosticRenderer.renderAll(r.diagnostics()));
            return 1;
        }
        String policy = ClassBench.toPolicyText(r.value(), input.getFileName().toString());
        if (output == null) {
            out.print(policy);
            return 0;
        }
        try {
            Files.writeString(output, policy);
        } catch (IOException e) {
            err.println("error: cannot write " + output + ": " + e.getMessage());
            return 2;
        }
        return 0;
    }
}
