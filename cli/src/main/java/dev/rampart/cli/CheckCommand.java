// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.cli;

import dev.rampart.dsl.Pipeline.Compiled;
import dev.rampart.dsl.ir.IrChain;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "check", description = "Parse and check a policy; print every problem found.")
final class CheckCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The policy file (.rampart).")
    Path file;

    @Option(names = "--json", description = "Print the diagnostics and a summary as JSON on stdout.")
    boolean json;

    @Option(names = "--strict", description = "Treat warnings as errors (exit 1).")
    boolean strict;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Compiled c = PolicyInput.compileOrFail(file, err);
        boolean failed = !c.ok() || (strict && !c.diagnostics().isEmpty());
        int rules = c.ir() == null ? 0 : c.ir().chains().stream().mapToInt(ch -> ch.rules().size()).sum();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("file", file.toString());
            m.put("ok", !failed);
            m.put("chains", c.ir() == null ? null : c.ir().chains().size());
            m.put("rules", c.ir() == null ? null : rules);
            m.put("tests", c.ir() == null ? null : c.ir().tests().size());
            m.put("diagnostics", PolicyInput.diagnosticsJson(c.diagnostics()));
            out.println(Json.write(m));
            return failed ? ExitCode.POLICY : ExitCode.OK;
        }
        PolicyInput.printDiagnostics(c.diagnostics(), err);
        if (c.ok()) {
            StringBuilder sb = new StringBuilder(file.toString()).append(": ").append(failed ? "warnings (--strict)" : "ok").append(" (");
            for (IrChain ch : c.ir().chains()) sb.append(ch.hook().keyword()).append(' ').append(ch.rules().size()).append(", ");
            sb.append(PolicyInput.plural(rules, "rule")).append(", ").append(PolicyInput.plural(c.ir().tests().size(), "test")).append(')');
            out.println(sb);
        }
        return failed ? ExitCode.POLICY : ExitCode.OK;
    }
}
