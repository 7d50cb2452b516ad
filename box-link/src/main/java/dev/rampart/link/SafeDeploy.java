// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.link;

import dev.rampart.dsl.Pipeline;
import dev.rampart.dsl.ir.IrPolicy;
import dev.rampart.dsl.source.DiagnosticRenderer;
import dev.rampart.dsl.table.TableCompiler;

import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * compile -> lockout check -> upload -> swap with a confirm deadline -> reconnect and confirm.
 * If anything after the swap fails, the box reverts by itself when the deadline passes.
 */
public final class SafeDeploy {
    private SafeDeploy() {}

    /**
     * @param confirmSeconds 0 confirms at once (no probation): only sensible with --force-like intent
     * @param viaInterface   the box interface management traffic arrives on, or null when unknown
     */
    public record Plan(Path policy, Transport.Factory target, int confirmSeconds, boolean force,
                       List<LockoutCheck.Access> management, String viaInterface, BoxConnection.Options options) {}

    /** How a deploy ended; {@code refused} holds the lockout explanation when it did not even start. */
    public record Outcome(boolean deployed, boolean confirmed, long generation, int rules, LoadResult load,
                          LockoutCheck.Report lockout, String message) {}

    /** Compiles the policy; errors come back as rendered diagnostics in the exception. */
    public static IrPolicy compile(Path policy) throws BoxException {
        Pipeline.Compiled c = Pipeline.run(policy);
        if (!c.ok())
            throw new BoxException(DiagnosticRenderer.renderAll(c.diagnostics()).strip()
                    + System.lineSeparator() + "not deployed: " + policy + " has errors");
        return c.ir();
    }

    public static Outcome run(Plan plan, Consumer<String> say, BoxConnection.Progress progress, BooleanSupplier cancelled)
            throws BoxException {
        IrPolicy ir = compile(plan.policy());
        byte[] table = TableCompiler.compile(ir);
        say.accept("compiled " + plan.policy() + ": " + table.length + " bytes");
        try (BoxConnection box = BoxConnection.connect(plan.target(), plan.options())) {
            BoxStatus st = box.status();
            say.accept("connected to " + box.describe() + " (" + st.agentVersion() + ", backend " + st.backend()
                    + "); the box sees " + st.peer().describe());
            LockoutCheck.Report report = LockoutCheck.check(ir, st.peer(), plan.management(), plan.viaInterface());
            report.notes().forEach(n -> say.accept("note: " + n));
            if (!report.safe()) {
                StringBuilder sb = new StringBuilder("this policy would lock you out:");
                for (LockoutCheck.Cut c : report.cuts()) sb.append(System.lineSeparator()).append("  - ").append(c.explain());
                if (!plan.force()) {
                    sb.append(System.lineSeparator()).append("not deployed; fix the policy, or pass --force to deploy anyway "
                            + "(the box still reverts unless you confirm within the deadline)");
                    return new Outcome(false, false, 0, 0, null, report, sb.toString());
                }
                say.accept(sb + System.lineSeparator() + "deploying anyway (--force)");
            }
            LoadResult r = box.load(table, plan.confirmSeconds(), progress, cancelled);
            say.accept("loaded generation " + Long.toHexString(r.generation()) + " (" + r.rules() + " rules, "
                    + r.compressedBytes() + " bytes compressed" + (r.resumedFrom() > 0 ? ", resumed at " + r.resumedFrom() : "")
                    + (r.reconnects() > 0 ? ", after " + r.reconnects() + " reconnect(s)" : "") + ")");
            if (plan.confirmSeconds() == 0)
                return new Outcome(true, true, r.generation(), r.rules(), r, report, "deployed and confirmed");
            say.accept("reconnecting to prove the box is still reachable (it reverts in " + plan.confirmSeconds()
                    + " s otherwise)");
            try {
                box.reconnect();
                box.confirm(r.generation());
            } catch (BoxException e) {
                return new Outcome(true, false, r.generation(), r.rules(), r, report,
                        "could not confirm: " + e.getMessage() + System.lineSeparator()
                                + "the box will revert to its previous table by itself within " + plan.confirmSeconds() + " s");
            }
            return new Outcome(true, true, r.generation(), r.rules(), r, report, "deployed and confirmed");
        }
    }
}
