// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.cli;

import dev.rampart.dsl.Pipeline;
import dev.rampart.dsl.Pipeline.Compiled;
import dev.rampart.dsl.source.Diagnostic;
import dev.rampart.dsl.source.DiagnosticRenderer;
import dev.rampart.dsl.source.Diagnostics;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Loading a policy file for a command: usage errors first, then the pipeline with its diagnostics. */
final class PolicyInput {
    private PolicyInput() {}

    /** Thrown for input the user must fix before anything can run (exit 2). */
    static final class UsageError extends Exception {
        UsageError(String message) { super(message); }
    }

    /**
     * Ends a command with an exit code after its reason has been printed; Main turns it into that
     * code, so commands do not each thread "print, then return 1" through their bodies.
     */
    static final class Failure extends RuntimeException {
        final int exitCode;

        Failure(int exitCode) {
            super(null, null, false, false);
            this.exitCode = exitCode;
        }
    }

    static Path existingFile(Path p, String what) throws UsageError {
        if (!Files.exists(p)) throw new UsageError(what + " " + p + " does not exist");
        if (Files.isDirectory(p)) throw new UsageError(what + " " + p + " is a directory, not a file");
        if (!Files.isReadable(p)) throw new UsageError(what + " " + p + " is not readable");
        return p;
    }

    static Compiled compile(Path file) throws UsageError {
        return Pipeline.run(existingFile(file, "policy file"));
    }

    /** The policy compiled, whatever its diagnostics; ends the command with exit 2 when the file cannot be read. */
    static Compiled compileOrFail(Path file, PrintWriter err) {
        try {
            return compile(file);
        } catch (UsageError e) {
            err.println("rampart: " + e.getMessage());
            throw new Failure(ExitCode.USAGE);
        }
    }

    /**
     * A policy without errors to work on: prints its diagnostics and ends the command with exit 1
     * when it has errors. {@code doing} completes "fix them before ...".
     */
    static Compiled compileCleanOrFail(Path file, PrintWriter err, String doing) {
        Compiled c = compileOrFail(file, err);
        printDiagnostics(c.diagnostics(), err);
        if (!c.ok()) {
            err.println("rampart: " + file + " has errors; fix them before " + doing);
            throw new Failure(ExitCode.POLICY);
        }
        return c;
    }

    /** Diagnostics as a compiler prints them, and a one-line count. */
    static void printDiagnostics(Diagnostics ds, PrintWriter err) {
        if (ds.isEmpty()) return;
        err.print(DiagnosticRenderer.renderAll(ds));
        int errors = ds.errorCount();
        int warnings = (int) ds.all().stream().filter(d -> !d.isError()).count();
        err.println(plural(errors, "error") + ", " + plural(warnings, "warning/note"));
        err.flush();
    }

    static List<Object> diagnosticsJson(Diagnostics ds) {
        List<Object> out = new ArrayList<>();
        for (Diagnostic d : ds.sorted()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("severity", d.severity().label());
            m.put("code", d.code());
            m.put("file", d.span().file().name());
            m.put("line", d.span().line());
            m.put("column", d.span().column());
            m.put("message", d.message());
            m.put("suggestion", d.suggestion());
            out.add(m);
        }
        return out;
    }

    static String plural(long n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }
}
