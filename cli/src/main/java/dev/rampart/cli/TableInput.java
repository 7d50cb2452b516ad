// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.cli;

import dev.rampart.dsl.Pipeline;
import dev.rampart.dsl.classbench.ClassBench;
import dev.rampart.dsl.ir.IrPolicy;
import dev.rampart.dsl.source.DiagnosticRenderer;
import dev.rampart.dsl.source.Result;
import dev.rampart.dsl.source.SourceFile;
import dev.rampart.dsl.table.TableFormat;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * What the classifier commands accept as input, told apart by content: a compiled table (starts
 * with the table magic), a ClassBench rule file (first rule line starts with '@'), or a policy
 * in the Rampart language (which goes through the language pipeline).
 */
final class TableInput {
    private TableInput() {}

    enum Kind { TABLE, CLASSBENCH, POLICY }

    /** Either the IR (from rules), or the table bytes, or an exit code after a printed error. */
    record Loaded(IrPolicy ir, byte[] table, int exit) {
        boolean ok() { return exit == 0; }
    }

    static Kind kindOf(byte[] data) {
        if (data.length >= 4 && Arrays.equals(Arrays.copyOf(data, 4), TableFormat.MAGIC)) return Kind.TABLE;
        for (byte b : data) {
            if (b == ' ' || b == '\t' || b == '\r' || b == '\n') continue;
            return b == '@' ? Kind.CLASSBENCH : Kind.POLICY;
        }
        return Kind.POLICY;
    }

    static Loaded load(Path file, PrintWriter err) {
        byte[] data;
        try {
            data = Files.readAllBytes(file);
        } catch (IOException e) {
            err.println("rampart: cannot read " + file + ": " + e.getMessage());
            return new Loaded(null, null, ExitCode.USAGE);
        }
        return switch (kindOf(data)) {
            case TABLE -> new Loaded(null, data, ExitCode.OK);
            case CLASSBENCH -> {
                Result<IrPolicy> r = ClassBench.parseRules(new SourceFile(file.toString(),
                        new String(data, StandardCharsets.UTF_8)));
                if (!r.ok()) {
                    err.print(DiagnosticRenderer.renderAll(r.diagnostics()));
                    yield new Loaded(null, null, ExitCode.POLICY);
                }
                yield new Loaded(r.value(), null, ExitCode.OK);
            }
            case POLICY -> compilePolicy(file, err);
        };
    }

    /** Rampart policy files: the whole pipeline, its diagnostics printed; errors end here. */
    static Loaded compilePolicy(Path file, PrintWriter err) {
        Pipeline.Compiled c = Pipeline.run(file);
        PolicyInput.printDiagnostics(c.diagnostics(), err);
        if (!c.ok()) {
            err.println("rampart: " + file + " has errors; fix them before compiling");
            return new Loaded(null, null, ExitCode.POLICY);
        }
        return new Loaded(c.ir(), null, ExitCode.OK);
    }
}
