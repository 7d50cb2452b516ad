// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.support;

import dev.rampart.gui.service.Dialogs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Answers dialogs from fields and records the errors shown. */
public final class FakeDialogs implements Dialogs {
    public Path openAnswer;
    public Path saveAnswer;
    public boolean discardAnswer;
    public int discardQuestions;
    public final List<String> errors = new ArrayList<>();

    @Override
    public Optional<Path> chooseFileToOpen(Path initialDirectory) { return Optional.ofNullable(openAnswer); }

    @Override
    public Optional<Path> chooseFileToSave(Path suggestion) { return Optional.ofNullable(saveAnswer); }

    @Override
    public boolean confirmDiscard(String what) {
        discardQuestions++;
        return discardAnswer;
    }

    @Override
    public void showError(String title, String message) { errors.add(title + ": " + message); }

    /** Answers for {@link #confirm}, in order; questions asked are recorded. */
    public final java.util.ArrayDeque<Boolean> confirmAnswers = new java.util.ArrayDeque<>();
    public final List<String> questions = new ArrayList<>();

    @Override
    public boolean confirm(String title, String message, String yes) {
        questions.add(title + ": " + message);
        if (confirmAnswers.isEmpty()) throw new AssertionError("unexpected question: " + title);
        return confirmAnswers.poll();
    }

    /** Answers for {@link #askSecret}, in order (null: the user cancels); questions asked are recorded with their problem. */
    public final java.util.ArrayDeque<Optional<String>> secretAnswers = new java.util.ArrayDeque<>();
    public final List<String> secretQuestions = new ArrayList<>();

    @Override
    public Optional<String> askSecret(String title, String message, String problem) {
        secretQuestions.add(title + (problem == null ? "" : " | " + problem));
        if (secretAnswers.isEmpty()) throw new AssertionError("unexpected secret question: " + title);
        return secretAnswers.poll();
    }

    public Path captureAnswer;

    @Override
    public Optional<Path> chooseCaptureToOpen(Path initialDirectory) { return Optional.ofNullable(captureAnswer); }
}
