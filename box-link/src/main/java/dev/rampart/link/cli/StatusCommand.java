// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.link.cli;

import dev.rampart.link.BoxConnection;
import dev.rampart.link.BoxException;
import dev.rampart.link.BoxStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "status", description = "Show the box's running table, confirm deadline and link health.")
public final class StatusCommand extends BoxCommand {
    @Mixin TargetOptions target;

    @Override int run() throws BoxException {
        try (BoxConnection box = target.connect()) {
            BoxStatus s = box.status();
            out().printf("box        %s (%s, backend %s, up %d s)%n", box.describe(), s.agentVersion(), s.backend(), s.uptimeMs() / 1000);
            switch (s.state()) {
                case NONE -> out().println("table      none loaded (the engine accepts everything)");
                case CONFIRMED -> out().printf("table      generation %s, %d rules, confirmed%n", Long.toHexString(s.runningGeneration()), s.rules());
                case AWAITING_CONFIRM -> out().printf("table      generation %s, %d rules, AWAITING CONFIRM: reverts to %s in %d s%n",
                        Long.toHexString(s.runningGeneration()), s.rules(), Long.toHexString(s.confirmedGeneration()), s.confirmSecondsLeft());
            }
            if (!s.lastEvent().isEmpty()) out().println("last event " + s.lastEvent());
            out().println("session    the box sees " + s.peer().describe());
            s.spool().ifPresent(sp -> out().printf("spool      seq %d..%d kept, %d of %d bytes, %d records lost because it was full%s%n",
                    sp.oldestSeq(), sp.nextSeq() - 1, sp.bytes(), sp.maxBytes(), sp.lostFull(),
                    sp.quarantined() > 0 ? ", " + sp.quarantined() + " corrupt segments set aside" : ""));
            s.kernelFlows().ifPresent(k -> out().printf("flow log   %d records in %d exports from the kernel; lost there: %d packets"
                    + " (flow table full), %d records (no listener), %d records (send failed); %d socket overruns%n",
                    k.records(), k.exports(), k.lostTableFull(), k.lostNoListener(), k.lostSendFailed(), k.overruns()));
            return OK;
        }
    }
}
