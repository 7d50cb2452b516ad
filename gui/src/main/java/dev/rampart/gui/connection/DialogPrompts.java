// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.connection;

import dev.rampart.gui.service.Dialogs;
import dev.rampart.gui.service.TaskRunner;
import dev.rampart.link.SshPrompts;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;

/**
 * SSH password and passphrase questions as dialogs. The login runs on the box worker; it hands the
 * question to the UI thread and waits there for the answer, so the UI thread never waits on the link.
 *
 * <p>Answers are never written to disk: the profile file is plain text in the user's config
 * directory and Rampart has no keyring, so a stored firewall password would be one file read away
 * from anyone with the user's files. They are kept in memory for the connection's reconnects only
 * (see {@link SshPrompts#remembering}); a key in ssh-agent is the way to connect without typing.
 */
final class DialogPrompts implements SshPrompts {
    private final TaskRunner tasks;
    private final Dialogs dialogs;
    private final BooleanSupplier cancelled;

    DialogPrompts(TaskRunner tasks, Dialogs dialogs, BooleanSupplier cancelled) {
        this.tasks = tasks;
        this.dialogs = dialogs;
        this.cancelled = cancelled;
    }

    @Override
    public String ask(Secret kind, String what, String problem) {
        if (cancelled.getAsBoolean()) return null;
        String title = kind == Secret.PASSWORD ? "Password for " + what : "Passphrase for the key " + what;
        String message = kind == Secret.PASSWORD
                ? "The box takes a password for " + what + ". It is kept in memory for this connection only and "
                        + "never saved; with a key (in ssh-agent) no password is needed."
                : "The key " + what + " is encrypted and no ssh-agent holds it. The passphrase is kept in memory for "
                        + "this connection only and never saved; add the key with ssh-add to stop being asked.";
        CompletableFuture<Optional<String>> answer = new CompletableFuture<>();
        tasks.post(() -> {
            try {
                // An attempt cancelled while the question waited in the queue is not asked.
                answer.complete(cancelled.getAsBoolean() ? Optional.empty() : dialogs.askSecret(title, message, problem));
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            }
        });
        try {
            return answer.get().orElse(null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            return null;
        }
    }
}
