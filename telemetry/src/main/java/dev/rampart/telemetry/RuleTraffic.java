// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.telemetry;

/** What one rule (stable id; 0 is the chain policy) matched in a time window. */
public record RuleTraffic(long ruleId, long flows, long packets, long bytes, long lastSeenMs) {}
