// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.link;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The three forms of pushed records (docs/protocol.md section 4): RECORDS, FLOWS (capability bit 5)
 * and NAMED_FLOWS (bit 6), built byte by byte as the agent writes them, and what the desktop reads
 * from each; a record cut short drops the message rather than inventing fields.
 */
class RecordsDecodingTest {
    private static final byte[] SRC = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 10, 20, 3, 7};
    private static final byte[] DST = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 93, (byte) 184, (byte) 216, 34};

    private static Le.Out item(int type, int n) {
        return new Le.Out().u8(type).u32(0).u32(n);
    }

    private static void common(Le.Out o, long seq) {
        o.u64(seq).u64(1_700_000_000_000L + seq).u8(1).u8(0).u8(6).u8(1).bytes(SRC).bytes(DST)
                .u16(50000).u16(443).u32(0x1234).u64(0xabcdefL);
    }

    private static void counters(Le.Out o, long packets) {
        o.u64(packets).u64(packets * 1500).u64(1_699_999_999_000L).u64(1_700_000_000_000L).u32(2).u32(3).u16(0x1b);
    }

    private static void str(Le.Out o, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        o.u16(b.length).bytes(b);
    }

    private static List<FlowRecord> parse(byte[] m) {
        List<FlowRecord> out = new ArrayList<>();
        BoxConnection.parseRecords(m, out::add);
        return out;
    }

    @Test void namedFlowsCarryNamesAfterTheCounters() {
        Le.Out o = item(BoxConnection.R_NAMED_FLOWS, 2);
        common(o, 7);
        counters(o, 40);
        str(o, "lan0");
        str(o, "wan0");
        common(o, 8);
        counters(o, 1);
        str(o, "veth-0123456789");
        str(o, "");
        List<FlowRecord> rs = parse(o.toArray());
        assertEquals(2, rs.size());
        FlowRecord a = rs.get(0), b = rs.get(1);
        assertEquals(7, a.seq());
        assertEquals(40, a.packets());
        assertEquals(60_000, a.bytes());
        assertEquals(2, a.inIf());
        assertEquals(3, a.outIf());
        assertEquals(0x1b, a.tcpFlags());
        assertEquals("lan0", a.inName());
        assertEquals("wan0", a.outName());
        assertArrayEquals(new byte[] {10, 20, 3, 7}, a.src(), "a v4 record's address is 4 bytes");
        assertEquals(8, b.seq());
        assertEquals("veth-0123456789", b.inName());
        assertEquals("", b.outName());
        assertEquals("veth-0123456789", FlowRecord.iface(b.inName(), b.inIf()));
    }

    @Test void flowsWithoutNamesKeepTheirIndexes() {
        Le.Out o = item(BoxConnection.R_FLOWS, 1);
        common(o, 9);
        counters(o, 5);
        FlowRecord r = parse(o.toArray()).get(0);
        assertEquals(5, r.packets());
        assertEquals(2, r.inIf());
        assertEquals("", r.inName());
        assertEquals("#2", FlowRecord.iface(r.inName(), r.inIf()), "an index alone reads as #N");
        assertEquals("", FlowRecord.iface("", 0));
    }

    @Test void plainRecordsHaveNoCountersAndNoNames() {
        Le.Out o = item(BoxConnection.R_RECORDS, 1);
        common(o, 10);
        FlowRecord r = parse(o.toArray()).get(0);
        assertFalse(r.hasCounters());
        assertEquals("", r.inName());
        assertEquals(0x1234, r.ruleId());
    }

    @Test void aNameCutShortDropsTheMessage() {
        Le.Out o = item(BoxConnection.R_NAMED_FLOWS, 1);
        common(o, 11);
        counters(o, 3);
        str(o, "lan0");
        o.u16(4).bytes(new byte[] {'w', 'a'});
        assertEquals(List.of(), parse(o.toArray()));
    }
}
