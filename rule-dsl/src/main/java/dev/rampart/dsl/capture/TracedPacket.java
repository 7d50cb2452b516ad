// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.capture;

import dev.rampart.dsl.eval.Evaluation;
import dev.rampart.dsl.eval.Packet;

/**
 * What became of one frame (or, for {@link Kind#INCOMPLETE}, of one datagram that never completed).
 *
 * @param frame          1-based frame number; for INCOMPLETE the frame of its first fragment
 * @param timestampNanos capture time
 * @param wireLength     the frame's length on the wire
 * @param ipLength       bytes of the IP datagram (after reassembly), what counters count; 0 when none
 * @param packet         the classification key, for EVALUATED only
 * @param evaluation     the policy's answer, for EVALUATED only
 * @param reason         why it was not evaluated, or a remark on an evaluated one (e.g. why it is invalid)
 * @param fragments      fragments that made up the datagram (0 when it was not fragmented)
 */
public record TracedPacket(long frame, long timestampNanos, Kind kind, int wireLength, int ipLength, Packet packet,
                           Evaluation evaluation, String reason, int fragments) {

    public enum Kind {
        /** Run through the chain. */
        EVALUATED,
        /** A fragment held until its datagram is complete; the datagram is evaluated at its last fragment. */
        FRAGMENT_HELD,
        /** Headers that the kernel would drop before the filter, or that cannot be read. */
        MALFORMED,
        /** The capture's snapshot length cut the headers: cannot be classified. */
        TRUNCATED,
        /** Not IPv4 or IPv6. */
        NOT_IP,
        /** A datagram whose fragments never all arrived: dropped by defragmentation. */
        INCOMPLETE,
        /** Dropped before the filter for lack of room (conntrack table or defragmentation memory full). */
        DROPPED_NO_ROOM
    }

    /** One line for listings: {@code #12 accept by web: tcp 10.0.0.1:5000 -> ...}. */
    public String describe() {
        StringBuilder sb = new StringBuilder("#").append(frame).append(' ');
        if (kind == Kind.EVALUATED) {
            sb.append(evaluation.verdict().keyword()).append(" by ")
                    .append(evaluation.byPolicy() ? "policy" : evaluation.rule().id()).append(": ").append(packet.describe());
            if (fragments > 0) sb.append(" (reassembled from ").append(fragments).append(" fragments)");
            if (reason != null) sb.append(" [").append(reason).append(']');
        } else {
            sb.append(kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')).append(": ").append(reason);
        }
        return sb.toString();
    }
}
