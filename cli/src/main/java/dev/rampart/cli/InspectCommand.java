// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.cli;

import dev.rampart.dsl.table.TableInspector;
import dev.rampart.dsl.table.TableReader;
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

/** {@code rampart inspect table.bin}: verify a table and print its header, sizes and rules. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Verify a compiled table and show its header, section sizes, trees and rules.")
public final class InspectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "TABLE")
    Path table;

    @Option(names = "--max-rules", paramLabel = "N", defaultValue = "200",
            description = "rules listed per chain (default ${DEFAULT-VALUE})")
    int maxRules;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        byte[] data;
        try {
            data = Files.readAllBytes(table);
        } catch (IOException e) {
            err.println("error: cannot read " + table + ": " + e.getMessage());
            return 2;
        }
        TableReader.Loaded t = TableReader.read(data);
        if (!t.ok()) {
            err.println("error: " + table + ": " + t.error().describe());
            return 1;
        }
        out.print(TableInspector.describe(t.table(), maxRules));
        return 0;
    }
}
