// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.check;

/** What a declared name stands for; the words are the ones diagnostics use ("'web' is a service, not a net"). */
public enum SymbolKind {
    NET("net"), HOST("host"), SERVICE("service"), ZONE("zone"), STATIC_SET("static set"),
    DYNAMIC_SET("dynamic set"), DEFINE("define");

    public final String word;

    SymbolKind(String word) { this.word = word; }

    /** Nets and hosts are both address sets and may be used wherever the other is. */
    public boolean isAddressSet() { return this == NET || this == HOST; }

    public boolean isSet() { return this == STATIC_SET || this == DYNAMIC_SET; }
}
