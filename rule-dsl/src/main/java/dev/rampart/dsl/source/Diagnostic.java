// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.source;

/**
 * One finding about the source, as data: phases collect these instead of printing or throwing.
 *
 * @param code       a stable kebab-case identifier such as {@code unknown-name}, used by tests and tools
 * @param message    what is wrong, in one sentence, naming the thing
 * @param suggestion what to do instead ("did you mean 'web'?"), or null
 */
public record Diagnostic(Severity severity, Span span, String code, String message, String suggestion) {

    public static Diagnostic error(Span span, String code, String message) {
        return new Diagnostic(Severity.ERROR, span, code, message, null);
    }

    public static Diagnostic warning(Span span, String code, String message) {
        return new Diagnostic(Severity.WARNING, span, code, message, null);
    }

    public Diagnostic withSuggestion(String s) {
        return new Diagnostic(severity, span, code, message, s);
    }

    public boolean isError() { return severity == Severity.ERROR; }

    /** One line: {@code file:line:col: error[code]: message}. */
    public String headline() {
        return span.location() + ": " + severity.label() + "[" + code + "]: " + message;
    }
}
