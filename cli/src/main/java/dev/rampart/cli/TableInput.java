package dev.rampart.cli;

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
 * in the Rampart language. Policy files go through the language pipeline, which this module
 * reaches through {@link #compilePolicy}; until that is wired they are refused with a clear
 * message.
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
            err.println("error: cannot read " + file + ": " + e.getMessage());
            return new Loaded(null, null, 2);
        }
        return switch (kindOf(data)) {
            case TABLE -> new Loaded(null, data, 0);
            case CLASSBENCH -> {
                Result<IrPolicy> r = ClassBench.parseRules(new SourceFile(file.toString(),
                        new String(data, StandardCharsets.UTF_8)));
                if (!r.ok()) {
                    err.print(DiagnosticRenderer.renderAll(r.diagnostics()));
                    yield new Loaded(null, null, 1);
                }
                yield new Loaded(r.value(), null, 0);
            }
            case POLICY -> compilePolicy(file, err);
        };
    }

    /** Rampart policy files: the language pipeline is not part of this build yet. */
    static Loaded compilePolicy(Path file, PrintWriter err) {
        err.println("error: " + file + " is a policy in the Rampart language; this build compiles tables from"
                + " ClassBench rule files and reads compiled tables only");
        err.println("  = help: the language pipeline (parse, check, lower) is needed for policy files");
        return new Loaded(null, null, 2);
    }
}
