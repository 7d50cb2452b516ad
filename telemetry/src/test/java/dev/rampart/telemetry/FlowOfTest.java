// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.telemetry;

import dev.rampart.link.FlowRecord;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What the database gets from a pushed record, with and without the flow counters. */
class FlowOfTest {
    private static final byte[] A = {10, 0, 0, 1}, B = {10, 0, 0, 2};

    @Test void aRecordWithCountersKeepsThem() {
        FlowRecord r = new FlowRecord(7, 1_700_000_000_500L, 0, 0, 17, A, B, 40000, 9999, 0x1234, 0xabc,
                40, 5120, 1_700_000_000_000L, 1_700_000_000_500L, 1, 0, 0);
        Flow f = Flow.of("box1", r);
        assertEquals(40, f.packets());
        assertEquals(5120, f.bytes());
        assertEquals("#1", f.inIface(), "no name sent: the index, marked as one");
        assertEquals("", f.outIface());
        assertEquals("10.0.0.1", f.src());
        assertEquals(9999, f.dstPort());
    }

    @Test void aRecordWithNamesStoresTheNames() {
        FlowRecord r = new FlowRecord(9, 1_700_000_000_500L, 1, 0, 6, A, B, 40000, 443, 0x1234, 0xabc,
                3, 180, 1_700_000_000_000L, 1_700_000_000_500L, 2, 3, 0x12, "eth0", "wan0");
        Flow f = Flow.of("box1", r);
        assertEquals("eth0", f.inIface());
        assertEquals("wan0", f.outIface());
        // An interface gone from the box since the packet passed: index 0, the name still known.
        Flow gone = Flow.of("box1", new FlowRecord(10, 1L, 0, 0, 17, A, B, 1, 53, 5, 6, 1, 60, 1L, 1L, 0, 0, 0,
                "ppp0", ""));
        assertEquals("ppp0", gone.inIface());
        assertEquals("", gone.outIface());
    }

    @Test void aRecordWithoutCountersStandsForOnePacketOfUnknownSize() {
        Flow f = Flow.of("box1", new FlowRecord(8, 1L, 0, 1, 6, A, B, 1, 22, 5, 6));
        assertEquals(1, f.packets());
        assertEquals(0, f.bytes());
        assertEquals("", f.inIface());
    }
}
