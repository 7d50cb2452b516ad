// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.link.cli;

import dev.rampart.link.BoxException;
import dev.rampart.link.LockoutCheck;
import dev.rampart.link.SafeDeploy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

@Command(name = "push", description = "Deploy a policy safely: compile, check for lockout, upload, swap, reconnect and confirm.")
public final class PushCommand extends BoxCommand {
    @Parameters(index = "0", paramLabel = "FILE", description = "the policy (*.rampart)")
    Path file;

    @Mixin TargetOptions target;

    @Option(names = "--confirm", paramLabel = "DURATION", defaultValue = "60s",
            description = "revert unless confirmed within this time, e.g. 60s, 2m; 0 confirms at once (default: ${DEFAULT-VALUE})")
    String confirm;

    @Option(names = "--force", description = "deploy even if the lockout check says it would cut off management access")
    boolean force;

    @Option(names = "--mgmt", paramLabel = "ADDR[=BOX:PORT]", description = "management address that must keep access; repeatable")
    List<String> management = new ArrayList<>();

    @Option(names = "--via-interface", paramLabel = "NAME", description = "the box interface management traffic arrives on")
    String viaInterface;

    static int seconds(String d) {
        String s = d.trim().toLowerCase(java.util.Locale.ROOT);
        int mult = 1;
        if (s.endsWith("ms")) throw new IllegalArgumentException("--confirm takes seconds or minutes, not '" + d + "'");
        if (s.endsWith("s")) s = s.substring(0, s.length() - 1);
        else if (s.endsWith("m")) { s = s.substring(0, s.length() - 1); mult = 60; }
        try {
            int v = Integer.parseInt(s) * mult;
            if (v < 0 || v > 3600) throw new IllegalArgumentException("--confirm must be between 0 and 1h, not '" + d + "'");
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--confirm expects a duration like 60s or 2m, not '" + d + "'");
        }
    }

    @Override int run() throws BoxException {
        int confirmSeconds = seconds(confirm);
        List<LockoutCheck.Access> mgmt = management.stream().map(LockoutCheck.Access::parse).toList();
        long t0 = System.nanoTime();
        long[] lastPct = {-1};
        SafeDeploy.Outcome o = SafeDeploy.run(
                new SafeDeploy.Plan(file, target.factory(), confirmSeconds, force, mgmt, viaInterface, target.connectionOptions()),
                out()::println,
                (sent, total) -> {
                    long pct = total == 0 ? 100 : sent * 100 / total;
                    if (pct / 10 != lastPct[0] / 10) {
                        lastPct[0] = pct;
                        err().printf("upload %d%% (%d/%d bytes)%n", pct, sent, total);
                        err().flush();
                    }
                },
                () -> false);
        if (!o.deployed()) {
            err().println("rampart push: " + o.message());
            return FAILED;
        }
        out().printf("%s: generation %s, %d rules (%.1f s)%n", o.message(), Long.toHexString(o.generation()), o.rules(),
                (System.nanoTime() - t0) / 1e9);
        return o.confirmed() ? OK : FAILED;
    }
}
