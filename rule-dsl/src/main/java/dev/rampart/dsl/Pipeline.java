// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl;

import dev.rampart.dsl.analysis.Unreachable;
import dev.rampart.dsl.ast.PolicyFile;
import dev.rampart.dsl.check.CheckedPolicy;
import dev.rampart.dsl.check.Checker;
import dev.rampart.dsl.check.SourceLoader;
import dev.rampart.dsl.fmt.Formatter;
import dev.rampart.dsl.ir.IrChain;
import dev.rampart.dsl.ir.IrPolicy;
import dev.rampart.dsl.lower.Lowering;
import dev.rampart.dsl.lower.PacketBuilder;
import dev.rampart.dsl.parse.Parser;
import dev.rampart.dsl.source.Diagnostic;
import dev.rampart.dsl.source.Diagnostics;
import dev.rampart.dsl.source.Result;
import dev.rampart.dsl.source.SourceFile;
import java.nio.file.Path;
import java.util.List;

/**
 * The whole compiler in one place: load and parse (with includes), check, lower, analyse. Each
 * stage is one call whose result feeds the next; a stage that finds errors ends the run, since
 * later stages would only report consequences of them.
 */
public final class Pipeline {
    private Pipeline() {}

    /**
     * What a run produced. {@code checked} and {@code ir} are null when errors stopped the run
     * before them; {@code diagnostics} holds everything every stage reported.
     */
    public record Compiled(List<PolicyFile> files, CheckedPolicy checked, IrPolicy ir, Diagnostics diagnostics) {
        public boolean ok() { return ir != null && !diagnostics.hasErrors(); }

        /** Turns packet descriptions into packets, with this policy's zones ({@code in lan}). */
        public PacketBuilder packetBuilder() {
            return checked == null ? PacketBuilder.withoutZones()
                    : new PacketBuilder(z -> Checker.firstInterface(checked.symbols(), z));
        }
    }

    public static Compiled run(Path file) {
        return compile(SourceLoader.load(file, Parser::parse));
    }

    /** An in-memory policy; its includes are resolved relative to the working directory. */
    public static Compiled run(SourceFile source) {
        return run(source, Path.of("").toAbsolutePath());
    }

    public static Compiled run(SourceFile source, Path baseDir) {
        return compile(SourceLoader.load(source, baseDir, Parser::parse));
    }

    private static Compiled compile(Result<List<PolicyFile>> loaded) {
        Diagnostics all = new Diagnostics();
        all.addAll(loaded.diagnostics());
        List<PolicyFile> files = loaded.value();
        if (all.hasErrors()) return new Compiled(files, null, null, all);

        Result<CheckedPolicy> checked = Checker.check(files, Formatter::anonymousId);
        all.addAll(checked.diagnostics());
        if (checked.value() == null) return new Compiled(files, null, null, all);

        Result<IrPolicy> lowered = Lowering.lower(checked.value());
        all.addAll(lowered.diagnostics());
        if (lowered.value() == null) return new Compiled(files, checked.value(), null, all);

        for (IrChain chain : lowered.value().chains()) {
            for (Diagnostic d : Unreachable.diagnostics(chain)) all.add(d);
        }
        return new Compiled(files, checked.value(), lowered.value(), all);
    }
}
