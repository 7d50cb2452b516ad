// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.link;

import java.util.List;

/** Per-rule counters of the running table, in rule order. */
public record Counters(long generation, List<RuleCounter> rules) {
    /** @param lastHitMs unix milliseconds of the last packet, 0 when never hit */
    public record RuleCounter(long ruleId, int ruleIndex, long packets, long bytes, long lastHitMs) {}
}
