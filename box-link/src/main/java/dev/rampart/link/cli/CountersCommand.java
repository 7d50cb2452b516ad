// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.link.cli;

import dev.rampart.dsl.ir.IrChain;
import dev.rampart.dsl.ir.IrPolicy;
import dev.rampart.dsl.ir.IrRule;
import dev.rampart.link.BoxConnection;
import dev.rampart.link.BoxException;
import dev.rampart.link.Counters;
import dev.rampart.link.SafeDeploy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;

@Command(name = "counters", description = "Packets, bytes and last hit per rule of the running table.")
public final class CountersCommand extends BoxCommand {
    @Mixin TargetOptions target;

    @Option(names = "--policy", paramLabel = "FILE", description = "the running policy, to show rule names and source lines")
    Path policy;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    @Override int run() throws BoxException {
        Map<Long, IrRule> byId = new HashMap<>();
        if (policy != null) {
            IrPolicy ir = SafeDeploy.compile(policy);
            for (IrChain c : ir.chains()) for (IrRule r : c.rules()) byId.put(r.numericId(), r);
        }
        try (BoxConnection box = target.connect()) {
            Counters cs = box.counters();
            if (cs.generation() == 0) {
                out().println("no table is running");
                return OK;
            }
            out().printf("generation %s%n", Long.toHexString(cs.generation()));
            out().printf("%-28s %-24s %12s %14s  %s%n", "rule", "source", "packets", "bytes", "last hit");
            int unmatched = 0;
            for (Counters.RuleCounter rc : cs.rules()) {
                IrRule r = byId.get(rc.ruleId());
                if (policy != null && r == null) unmatched++;
                String name = r != null ? r.id() : String.format("#%d (id %08x)", rc.ruleIndex(), rc.ruleId());
                String src = r != null && r.span() != null ? r.span().location() : "";
                String last = rc.lastHitMs() == 0 ? "never" : TIME.format(Instant.ofEpochMilli(rc.lastHitMs()));
                out().printf("%-28s %-24s %12d %14d  %s%n", name, src, rc.packets(), rc.bytes(), last);
            }
            if (unmatched > 0)
                err().println("note: " + unmatched + " rule(s) are not in " + policy + ": the box runs a different version of it");
            return OK;
        }
    }
}
