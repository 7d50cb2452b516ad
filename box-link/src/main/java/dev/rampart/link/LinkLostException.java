// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.link;

/** The path to the box broke (cut connection, dead line, timeout): worth a reconnect, unlike a refusal. */
public final class LinkLostException extends BoxException {
    public LinkLostException(String message) { super(message); }
    public LinkLostException(String message, Throwable cause) { super(message, cause); }
}
