// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.link.cli;

import dev.rampart.link.BoxException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** Exit codes shared by the box commands: 0 done, 1 refused or failed, 2 usage or internal error. */
abstract class BoxCommand implements Callable<Integer> {
    static final int OK = 0, FAILED = 1, USAGE = 2;

    @Spec CommandSpec spec;

    PrintWriter out() { return spec.commandLine().getOut(); }
    PrintWriter err() { return spec.commandLine().getErr(); }

    abstract int run() throws BoxException;

    @Override public final Integer call() {
        try {
            return run();
        } catch (IllegalArgumentException e) {
            err().println("rampart " + spec.name() + ": " + e.getMessage());
            return USAGE;
        } catch (BoxException e) {
            err().println("rampart " + spec.name() + ": " + e.getMessage());
            return FAILED;
        } finally {
            out().flush();
            err().flush();
        }
    }
}
