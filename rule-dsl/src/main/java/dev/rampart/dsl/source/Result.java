// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.source;

/**
 * What a phase returns: its value (null when it could not produce one) and what it found.
 * Only internal bugs throw; bad input ends up here.
 */
public record Result<T>(T value, Diagnostics diagnostics) {
    public boolean ok() { return value != null && !diagnostics.hasErrors(); }
}
