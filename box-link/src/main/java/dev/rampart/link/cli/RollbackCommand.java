// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.link.cli;

import dev.rampart.link.BoxConnection;
import dev.rampart.link.BoxException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "rollback", description = "Revert the box to its previous confirmed table (or drop the one awaiting confirm).")
public final class RollbackCommand extends BoxCommand {
    @Mixin TargetOptions target;

    @Override int run() throws BoxException {
        try (BoxConnection box = target.connect()) {
            long gen = box.rollback();
            out().println(gen == 0 ? "rolled back: no table is running now" : "rolled back: generation " + Long.toHexString(gen) + " is running");
            return OK;
        }
    }
}
