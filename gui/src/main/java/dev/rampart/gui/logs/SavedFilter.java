// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.logs;

/** A filter line kept under a name, such as {@code scans: verdict drop dport 23}. */
public record SavedFilter(String name, String line) {
    public SavedFilter {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("a saved filter needs a name");
        if (line == null) throw new IllegalArgumentException("saved filter '" + name + "' has no filter line");
        name = name.strip();
        line = line.strip();
    }

    @Override public String toString() { return name; }
}
