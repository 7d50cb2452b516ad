// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.source;

public enum Severity {
    ERROR, WARNING, INFO;

    public String label() { return name().toLowerCase(java.util.Locale.ROOT); }
}
