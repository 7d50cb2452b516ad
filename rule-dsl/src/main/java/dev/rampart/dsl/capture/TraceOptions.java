// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.capture;

import dev.rampart.dsl.eval.SetContents;
import java.util.Map;

/**
 * How to run a capture through a chain.
 *
 * @param inIf          input interface for packets whose capture names none ("" = none)
 * @param outIf         output interface for packets whose capture names none ("" = none)
 * @param sets          contents of the policy's dynamic sets
 * @param listPackets   whether the per-packet consumer is called
 * @param ifIndexNames  names for Linux cooked v2 interface indexes; unnamed ones become {@code ifindexN}
 * @param maxConnections conntrack table size (the kernel's nf_conntrack_max)
 * @param maxFragDatagrams datagrams held for reassembly at once
 * @param maxFragBytes  fragment data bytes held at once (the kernel's ipfrag_high_thresh is 4 MiB)
 */
public record TraceOptions(String inIf, String outIf, SetContents sets, boolean listPackets,
                           Map<Integer, String> ifIndexNames, int maxConnections, int maxFragDatagrams,
                           long maxFragBytes) {
    public TraceOptions {
        inIf = inIf == null ? "" : inIf;
        outIf = outIf == null ? "" : outIf;
        sets = sets == null ? SetContents.EMPTY : sets;
        ifIndexNames = ifIndexNames == null ? Map.of() : Map.copyOf(ifIndexNames);
        if (maxConnections < 1 || maxFragDatagrams < 1 || maxFragBytes < 1) {
            throw new IllegalArgumentException("trace limits must be positive: " + maxConnections + ", " + maxFragDatagrams + ", " + maxFragBytes);
        }
    }

    public static TraceOptions defaults() {
        return new TraceOptions("", "", SetContents.EMPTY, true, Map.of(), 262_144, 4096, 4L << 20);
    }

    public TraceOptions withInterfaces(String in, String out) {
        return new TraceOptions(in, out, sets, listPackets, ifIndexNames, maxConnections, maxFragDatagrams, maxFragBytes);
    }

    public TraceOptions withSets(SetContents s) {
        return new TraceOptions(inIf, outIf, s, listPackets, ifIndexNames, maxConnections, maxFragDatagrams, maxFragBytes);
    }

    public TraceOptions withListPackets(boolean list) {
        return new TraceOptions(inIf, outIf, sets, list, ifIndexNames, maxConnections, maxFragDatagrams, maxFragBytes);
    }

    public TraceOptions withIfIndexNames(Map<Integer, String> names) {
        return new TraceOptions(inIf, outIf, sets, listPackets, names, maxConnections, maxFragDatagrams, maxFragBytes);
    }

    public TraceOptions withLimits(int connections, int fragDatagrams, long fragBytes) {
        return new TraceOptions(inIf, outIf, sets, listPackets, ifIndexNames, connections, fragDatagrams, fragBytes);
    }
}
