// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.table;

import dev.rampart.dsl.ir.DynSet;
import dev.rampart.dsl.ir.Field;
import dev.rampart.dsl.ir.IrChain;
import dev.rampart.dsl.ir.IrPolicy;
import dev.rampart.dsl.ir.IrRule;
import dev.rampart.dsl.ir.Term;

import java.nio.charset.StandardCharsets;
import java.util.TreeMap;

/**
 * The generation id of a table: a 64-bit FNV-1a of a canonical text dump of the policy's meaning
 * (chains, rules, terms, dynamic sets; not spans, comments or tests), so two compilations of the
 * same policy carry the same id and any change of meaning changes it.
 */
public final class PolicyHash {
    private PolicyHash() {}

    public static String canonicalDump(IrPolicy p) {
        StringBuilder sb = new StringBuilder();
        for (IrChain c : p.chains()) {
            sb.append("chain ").append(c.hook().keyword()).append(" policy ").append(c.policy().keyword()).append('\n');
            for (IrRule r : c.rules()) {
                sb.append(" rule ").append(r.id()).append(' ').append(r.numericId()).append(' ')
                        .append(r.verdict().keyword()).append(' ').append(r.reject().keyword)
                        .append(r.log() ? " log" : "").append(r.count() ? " count" : "").append('\n');
                for (Term t : r.terms()) {
                    sb.append("  term");
                    for (Field f : Field.values()) {
                        if (!t.get(f).equals(f.universe())) sb.append(' ').append(f.name()).append(t.get(f));
                    }
                    if (t.srcSet() != null) sb.append(" srcset ").append(t.srcSet());
                    if (t.dstSet() != null) sb.append(" dstset ").append(t.dstSet());
                    sb.append('\n');
                }
            }
        }
        for (DynSet s : new TreeMap<>(p.dynamicSets()).values()) {
            sb.append("set ").append(s.name()).append(' ').append(s.family()).append(' ')
                    .append(s.capacity()).append(' ').append(s.timeoutSeconds()).append('\n');
        }
        return sb.toString();
    }

    public static long of(IrPolicy p) { return fnv64(canonicalDump(p).getBytes(StandardCharsets.UTF_8)); }

    static long fnv64(byte[] data) {
        long h = 0xcbf29ce484222325L;
        for (byte b : data) {
            h ^= (b & 0xff);
            h *= 0x100000001b3L;
        }
        return h;
    }
}
