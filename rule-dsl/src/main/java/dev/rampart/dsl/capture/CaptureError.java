// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.capture;

/**
 * Why reading stopped before the end of the capture: everything read before it is kept.
 *
 * @param offset byte offset in the file where the bad or missing data starts
 * @param frame  the number (1-based) of the frame that could not be read
 */
public record CaptureError(long offset, long frame, String message) {
    public String describe() {
        return "byte " + offset + ", frame " + frame + ": " + message;
    }
}
