// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.ir;

/** Where a chain is attached; each hook sees IPv4 and IPv6. */
public enum Hook {
    INPUT, FORWARD, OUTPUT;

    public String keyword() { return name().toLowerCase(java.util.Locale.ROOT); }

    public static Hook byKeyword(String k) {
        for (Hook h : values()) if (h.keyword().equals(k)) return h;
        return null;
    }
}
