// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.logs;

import dev.rampart.telemetry.Flow;

/**
 * A rule made from a flow record, for the editor to insert: in the flow's chain, right above the
 * rule that decided the flow (so that it takes effect), or at the chain's end when the chain's
 * policy decided.
 *
 * @param before the id of the deciding rule, null for the chain policy or an unknown rule
 */
public record NewRule(String hook, String line, String before) {

    public static NewRule from(Flow f, String decidingRule) {
        StringBuilder sb = new StringBuilder("rule flow-").append(f.seq()).append(": proto ").append(FilterQuery.protoName(f.proto()))
                .append(" from ").append(f.src()).append(" to ").append(f.dst());
        if (f.proto() == 6 || f.proto() == 17) sb.append(" dport ").append(f.dstPort());
        // The opposite of what happened: the usual reason to make a rule from a flow is to change its fate.
        sb.append(f.verdict() == Flow.ACCEPT ? " drop" : " accept");
        String fate = switch (f.verdict()) { case Flow.ACCEPT -> "accepted"; case Flow.DROP -> "dropped"; default -> "rejected"; };
        sb.append(" log comment \"from flow #").append(f.seq()).append(", which was ").append(fate)
                .append(decidingRule == null ? " by the chain policy" : " by " + decidingRule).append('"');
        return new NewRule(f.hookName(), sb.toString(), decidingRule);
    }
}
