// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.ir;

/** Conntrack state as nftables' ct state names it; the ordinal is the STATE field's value. */
public enum ConnState {
    NEW, ESTABLISHED, RELATED, INVALID;

    public String keyword() { return name().toLowerCase(java.util.Locale.ROOT); }

    public static ConnState byKeyword(String k) {
        for (ConnState s : values()) if (s.keyword().equals(k)) return s;
        return null;
    }
}
