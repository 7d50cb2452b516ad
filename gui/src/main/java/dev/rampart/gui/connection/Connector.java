// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.connection;

import dev.rampart.link.BoxException;
import dev.rampart.link.SshPrompts;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** Opens boxes named by profiles; blocking, called off the UI thread. */
public interface Connector {

    /**
     * @param trust    what the user agreed to about an SSH host key this time (NONE on a first try)
     * @param progress steps worth showing ("building the demo agent", "SSH to fw1 ...")
     * @throws HostKeyException when the SSH host key is unknown or changed: the caller asks the user
     *                          and tries again with the matching {@link Trust}
     */
    Box connect(Profile profile, Trust trust, Consumer<String> progress, BooleanSupplier cancelled) throws BoxException;

    /**
     * As {@link #connect(Profile, Trust, Consumer, BooleanSupplier)}, asking {@code prompts} for an
     * SSH password or key passphrase; a connector without SSH logins ignores them.
     */
    default Box connect(Profile profile, Trust trust, SshPrompts prompts, Consumer<String> progress, BooleanSupplier cancelled)
            throws BoxException {
        return connect(profile, trust, progress, cancelled);
    }

    /** Closes anything the connector started (the demo box's agent). */
    default void shutdown() {}

    enum Trust { NONE, RECORD_NEW_KEY, REPLACE_CHANGED_KEY }

    /** An SSH host key the user has to decide about. */
    final class HostKeyException extends BoxException {
        public enum Problem { UNKNOWN, CHANGED }

        private final Problem problem;

        public HostKeyException(Problem problem, String message, Throwable cause) {
            super(message, cause);
            this.problem = problem;
        }

        public Problem problem() { return problem; }
    }
}
