// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.link;

/**
 * A failure talking to a box, with a message meant for the user: what went wrong and, where there
 * is one, what to do about it. {@code code} is the protocol's error code when the box refused.
 */
public class BoxException extends Exception {
    private final int code;

    public BoxException(String message) { this(message, 0, null); }
    public BoxException(String message, Throwable cause) { this(message, 0, cause); }
    public BoxException(String message, int code, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** The box's error code (docs/protocol.md section 4), or 0 for failures on this side. */
    public int code() { return code; }
}
