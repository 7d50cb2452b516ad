// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.link.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Runs the box commands without the full CLI, during development and in tests. */
@Command(name = "rampart", subcommands = {PushCommand.class, StatusCommand.class, RollbackCommand.class, CountersCommand.class})
public final class DevMain {
    public static void main(String[] args) {
        System.exit(new CommandLine(new DevMain()).execute(args));
    }
}
