// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.service;

import java.nio.file.Path;
import java.util.Optional;

/** The questions and messages view-models put to the user, so they can be tested without windows. */
public interface Dialogs {
    Optional<Path> chooseFileToOpen(Path initialDirectory);

    Optional<Path> chooseFileToSave(Path suggestion);

    /** A packet capture (pcap, pcapng) to open. */
    default Optional<Path> chooseCaptureToOpen(Path initialDirectory) { return chooseFileToOpen(initialDirectory); }

    /** True when the user agrees to lose unsaved changes to {@code what}. */
    boolean confirmDiscard(String what);

    void showError(String title, String message);

    /** A yes/no question whose "yes" is {@code yes} (a verb, such as "Trust this key"); true for yes. */
    boolean confirm(String title, String message, String yes);

    /**
     * Asks for a password or passphrase, shown masked; empty when the user cancels. Never saved by
     * the dialog.
     *
     * @param problem why the previous answer was refused ("The password was wrong."), or null on the first question
     */
    default Optional<String> askSecret(String title, String message, String problem) { return Optional.empty(); }
}
