// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.cli;

import dev.rampart.dsl.Pipeline.Compiled;
import dev.rampart.dsl.test.PolicyTests;
import dev.rampart.dsl.test.PolicyTests.TestResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "test", description = "Run the tests written in a policy file (test \"...\": PACKET expect ...).")
final class TestCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The policy file.")
    Path file;

    @Option(names = "--json", description = "Print the results as JSON on stdout.")
    boolean json;

    @Option(names = {"-v", "--verbose"}, description = "List passing tests too.")
    boolean verbose;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Compiled c = PolicyInput.compileCleanOrFail(file, err, "running its tests");
        List<TestResult> results = PolicyTests.run(c.ir());
        long failed = results.stream().filter(r -> !r.passed()).count();
        if (json) {
            List<Object> list = new ArrayList<>();
            for (TestResult r : results) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", r.test().name());
                m.put("passed", r.passed());
                m.put("location", r.test().span().location());
                m.put("expected", r.expected().keyword());
                m.put("expectedRule", r.expectedRule());
                m.put("actual", r.actual().keyword());
                m.put("actualRule", r.actualRule());
                if (!r.passed()) m.put("trace", r.trace());
                list.add(m);
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("file", file.toString());
            m.put("tests", results.size());
            m.put("failed", failed);
            m.put("results", list);
            out.println(Json.write(m));
        } else {
            for (TestResult r : results) {
                if (!r.passed()) out.println(r.test().span().location() + ": " + r.describe().stripTrailing());
                else if (verbose) out.println(r.describe());
            }
            if (results.isEmpty()) out.println(file + ": no tests (add: test \"name\": PACKET expect VERDICT)");
            else out.println(PolicyInput.plural(results.size(), "test") + ", " + (results.size() - failed) + " passed, " + failed + " failed");
        }
        return failed > 0 ? ExitCode.POLICY : ExitCode.OK;
    }
}
