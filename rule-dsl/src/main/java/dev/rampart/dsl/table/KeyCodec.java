// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.table;

import dev.rampart.dsl.eval.Packet;
import dev.rampart.dsl.ir.Hook;
import dev.rampart.dsl.ir.U128;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Packets as the walker's key words ({@link TableFormat#W_SRC_HI} ...), and the key file the C
 * harness and benchmark read: magic "RKEY", u32 key count, u32 set-element count, then the set
 * elements (u32 set index, u32 0, u64 address high, u64 address low) and the keys (u32 hook, u32 0,
 * 15 u64 words), all little-endian.
 */
public final class KeyCodec {
    private KeyCodec() {}

    public static long[] words(Packet p) {
        long[] w = new long[TableFormat.W_COUNT];
        w[TableFormat.W_SRC_HI] = p.src().hi();
        w[TableFormat.W_SRC_LO] = p.src().lo();
        w[TableFormat.W_DST_HI] = p.dst().hi();
        w[TableFormat.W_DST_LO] = p.dst().lo();
        w[TableFormat.W_PROTO] = p.proto();
        w[TableFormat.W_SPORT] = p.sport();
        w[TableFormat.W_DPORT] = p.dport();
        w[TableFormat.W_ICMP_TYPE] = p.icmpType();
        w[TableFormat.W_ICMP_CODE] = p.icmpCode();
        w[TableFormat.W_TCP_FLAGS] = p.tcpFlags();
        w[TableFormat.W_STATE] = p.state().ordinal();
        U128 in = U128.ofIfName(p.inIf()), out = U128.ofIfName(p.outIf());
        w[TableFormat.W_IIF_HI] = in.hi();
        w[TableFormat.W_IIF_LO] = in.lo();
        w[TableFormat.W_OIF_HI] = out.hi();
        w[TableFormat.W_OIF_LO] = out.lo();
        return w;
    }

    /** Writes a key file; {@code setIndex} maps set names to the table's set numbers. */
    public static void write(OutputStream os, List<Hook> hooks, List<Packet> packets,
                             Map<String, Set<U128>> sets, Map<String, Integer> setIndex) throws IOException {
        LeWriter w = new LeWriter();
        int elems = 0;
        for (Map.Entry<String, Set<U128>> e : sets.entrySet()) if (setIndex.containsKey(e.getKey())) elems += e.getValue().size();
        w.bytes(new byte[] {'R', 'K', 'E', 'Y'}).u32(packets.size()).u32(elems);
        for (Map.Entry<String, Set<U128>> e : sets.entrySet()) {
            Integer idx = setIndex.get(e.getKey());
            if (idx == null) continue;
            for (U128 a : e.getValue()) w.u32(idx).u32(0).u64(a.hi()).u64(a.lo());
        }
        for (int i = 0; i < packets.size(); i++) {
            w.u32(hooks.get(i).ordinal()).u32(0);
            for (long x : words(packets.get(i))) w.u64(x);
        }
        os.write(w.toArray());
    }
}
