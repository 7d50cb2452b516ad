// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.link.cli;

import dev.rampart.link.SshPrompts;
import java.io.Console;

/**
 * Asks on the terminal, without echo, as ssh does. Only used when the command runs on a terminal:
 * a script or a pipe gets no prompt and logs in with keys only.
 */
final class ConsolePrompts implements SshPrompts {
    private final Console console;

    ConsolePrompts(Console console) { this.console = console; }

    /** Prompts on the terminal when there is one; otherwise none. */
    static SshPrompts forThisProcess() {
        Console c = System.console();
        return c == null ? SshPrompts.NEVER : SshPrompts.remembering(new ConsolePrompts(c));
    }

    @Override
    public String ask(Secret kind, String what, String problem) {
        if (problem != null) console.printf("rampart: %s%n", problem);
        char[] answer = kind == Secret.PASSWORD
                ? console.readPassword("Password for %s: ", what)
                : console.readPassword("Passphrase for key %s: ", what);
        return answer == null ? null : new String(answer);
    }
}
