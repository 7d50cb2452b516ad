// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.link;

import java.util.HashMap;
import java.util.Map;

/**
 * How an SSH login asks a person for a secret: the password of a box that takes passwords, or the
 * passphrase of an encrypted key no ssh-agent holds. Called on the connecting thread, which waits
 * for the answer; never on a UI thread.
 */
@FunctionalInterface
public interface SshPrompts {
    enum Secret { PASSWORD, PASSPHRASE }

    /**
     * @param what    whose secret: {@code user@host:port} for a password, the key file for a passphrase
     * @param problem why the previous answer was refused, as one sentence; null on the first question
     * @return the answer, or null when the person declines (the login then stops and says so)
     */
    String ask(Secret kind, String what, String problem);

    /** Batch use: nothing is asked; logins use keys (an encrypted one through ssh-agent) only. */
    SshPrompts NEVER = (kind, what, problem) -> null;

    /** Wrong answers tolerated per secret before the login gives up, as OpenSSH's NumberOfPasswordPrompts. */
    int TRIES = 3;

    /**
     * Keeps the answers in memory so that the reconnects of one connection (a confirm after a
     * push, a lost link) log in without asking again; an answer the box refuses is dropped and
     * the person asked. Nothing is written anywhere: the answers go when this object does.
     */
    static SshPrompts remembering(SshPrompts person) {
        Map<String, String> known = new HashMap<>();
        return (kind, what, problem) -> {
            String key = kind + " " + what;
            synchronized (known) {
                if (problem == null && known.containsKey(key)) return known.get(key);
                known.remove(key);
            }
            String answer = person.ask(kind, what, problem);
            if (answer != null) synchronized (known) {
                known.put(key, answer);
            }
            return answer;
        };
    }
}
