// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.telemetry;

/**
 * Sequence numbers [firstSeq, lastSeq] of a box that will never be stored, and why: the reason
 * the box's spool gave (for example "spool full"), or {@link #NOT_RECEIVED} when the collector
 * found the numbers missing from the stream without an explanation.
 */
public record Gap(String box, long firstSeq, long lastSeq, long detectedMs, String reason) {
    public static final String NOT_RECEIVED = "not received";

    public Gap(String box, long firstSeq, long lastSeq, long detectedMs) {
        this(box, firstSeq, lastSeq, detectedMs, NOT_RECEIVED);
    }

    public long count() { return lastSeq - firstSeq + 1; }
}
