// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.telemetry;

/** Sequence numbers [firstSeq, lastSeq] of a box that the collector never received. */
public record Gap(String box, long firstSeq, long lastSeq, long detectedMs) {
    public long count() { return lastSeq - firstSeq + 1; }
}
