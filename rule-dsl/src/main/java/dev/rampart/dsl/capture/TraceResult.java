// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.capture;

import dev.rampart.dsl.ir.Verdict;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The totals of a trace. Counts cover everything read up to the end of the file, or up to the
 * corruption named by {@link #error}: a damaged capture still yields its earlier packets.
 *
 * @param ruleHits       per rule id, in chain order (rules never hit included)
 * @param policyHits     packets decided by the chain's policy
 * @param verdicts       evaluated packets per verdict
 * @param fragmentsHeld  fragments that went into reassembly (complete or not)
 * @param reassembled    datagrams completed from fragments (each evaluated once)
 * @param incomplete     datagrams never completed, dropped by defragmentation
 * @param incompleteFragments fragments of those
 * @param noRoom         packets dropped for lack of room (conntrack table or defragmentation memory)
 * @param warnings       things the trace had to assume or adjust (e.g. a long interface name cut)
 */
public record TraceResult(String format, long frames, long evaluated, Map<String, Hits> ruleHits, Hits policyHits,
                          Map<Verdict, Long> verdicts, long malformed, long truncated, long notIp, long fragmentsHeld,
                          long reassembled, long incomplete, long incompleteFragments, long noRoom,
                          List<String> warnings, CaptureError errorOrNull) {

    /** Packets and IP bytes. */
    public record Hits(long packets, long bytes) {
        public Hits plus(long len) { return new Hits(packets + 1, bytes + len); }
    }

    public Optional<CaptureError> error() { return Optional.ofNullable(errorOrNull); }
}
