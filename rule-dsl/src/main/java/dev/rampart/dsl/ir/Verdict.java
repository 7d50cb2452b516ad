// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.ir;

public enum Verdict {
    ACCEPT, DROP, REJECT;

    public String keyword() { return name().toLowerCase(java.util.Locale.ROOT); }
}
