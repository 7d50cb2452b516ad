// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.ir;

import dev.rampart.dsl.source.Span;
import java.util.List;

/**
 * A rule after checks: first-match semantics, matched when any term matches.
 *
 * @param id       the stable identity: the rule's name, or for an unnamed rule an id derived from its
 *                 content ({@code anon-} + hash), so it survives edits of other rules and reorders
 * @param numericId a 32-bit form of {@code id} (FNV-1a), unique in the policy (checked), used by tables,
 *                 counters and flow records
 * @param terms    empty when the rule can never match (reported by the checker)
 */
public record IrRule(String id, long numericId, boolean named, Verdict verdict, RejectKind reject,
                     boolean log, boolean count, String comment, List<Term> terms, Span span) {

    /** FNV-1a 32-bit of the UTF-8 bytes: simple, stable across JVMs and languages (C uses the same). */
    public static long numericIdOf(String id) {
        int h = 0x811c9dc5;
        for (byte b : id.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= 0x01000193;
        }
        return h & 0xffff_ffffL;
    }
}
