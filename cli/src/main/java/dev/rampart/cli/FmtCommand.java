// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.cli;

import dev.rampart.dsl.ast.PolicyFile;
import dev.rampart.dsl.fmt.Formatter;
import dev.rampart.dsl.parse.Parser;
import dev.rampart.dsl.source.Result;
import dev.rampart.dsl.source.SourceFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "fmt", description = {"Print a policy file in canonical form (comments kept).",
        "Only this file is formatted, not its includes; a file with syntax errors is left alone."})
final class FmtCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Policy files.")
    List<Path> files;

    @Option(names = "--check", description = "Write nothing; exit 1 and name the files that are not formatted.")
    boolean check;

    @Option(names = {"-w", "--write"}, description = "Rewrite the files in place instead of printing.")
    boolean write;

    @Option(names = "--name-rules", description = "Write each unnamed rule's assigned id into the file as its name, so it is kept from now on.")
    boolean nameRules;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (check && write) {
            err.println("rampart: --check and --write exclude each other");
            return ExitCode.USAGE;
        }
        int worst = ExitCode.OK;
        for (Path file : files) {
            try {
                PolicyInput.existingFile(file, "policy file");
            } catch (PolicyInput.UsageError e) {
                err.println("rampart: " + e.getMessage());
                worst = ExitCode.USAGE;
                continue;
            }
            String text = Files.readString(file, StandardCharsets.UTF_8);
            Result<PolicyFile> parsed = Parser.parse(new SourceFile(file.toString(), text));
            if (parsed.diagnostics().hasErrors()) {
                PolicyInput.printDiagnostics(parsed.diagnostics(), err);
                err.println("rampart: " + file + " not formatted: fix the syntax errors first");
                worst = Math.max(worst, ExitCode.POLICY);
                continue;
            }
            String formatted = Formatter.format(parsed.value(), nameRules);
            if (check) {
                if (!formatted.equals(text)) {
                    out.println(file + ": not formatted (run: rampart fmt -w " + file + ")");
                    worst = Math.max(worst, ExitCode.POLICY);
                }
            } else if (write) {
                if (!formatted.equals(text)) {
                    // Write beside and rename, so an interrupted run never leaves half a policy.
                    Path tmp = file.resolveSibling("." + file.getFileName() + ".rampart-fmt.tmp");
                    Files.writeString(tmp, formatted, StandardCharsets.UTF_8);
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    err.println("formatted " + file);
                }
            } else {
                out.print(formatted);
                out.flush();
            }
        }
        return worst;
    }
}
