// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.ir;

import dev.rampart.dsl.eval.Packet;
import dev.rampart.dsl.source.Span;
import java.util.Map;
import java.util.Set;

/**
 * A policy's own unit test after checks.
 *
 * @param expectedRule a rule id, {@link #BY_POLICY} for the chain's default policy, or null for "any"
 * @param setContents  dynamic set elements assumed for this test ({@code with @blocklist 1.2.3.4})
 */
public record IrTest(String name, Hook hook, Packet packet, Verdict expected, String expectedRule,
                     Map<String, Set<U128>> setContents, Span span) {
    public static final String BY_POLICY = "policy";
}
