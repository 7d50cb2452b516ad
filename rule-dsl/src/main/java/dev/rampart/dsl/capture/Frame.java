// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.capture;

/**
 * One captured link-layer frame as the file holds it.
 *
 * @param number          1-based position in the capture
 * @param offset          byte offset of the frame's record in the file
 * @param timestampNanos  capture time, nanoseconds since the epoch
 * @param linkType        the LINKTYPE_ value of its interface
 * @param originalLength  length on the wire; {@code data.length} is what was captured
 * @param iface           interface name the capture gives for it, "" when none
 * @param direction       0 unknown, 1 inbound, 2 outbound (pcapng epb_flags)
 */
public record Frame(long number, long offset, long timestampNanos, int linkType, int originalLength,
                    byte[] data, String iface, int direction) {
    /** Cut short by the capture's snapshot length. */
    public boolean truncated() { return data.length < originalLength; }
}
