// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.link;

/**
 * What STATUS reports (docs/protocol.md section 4).
 *
 * @param state           whether the running table is confirmed or still on probation
 * @param peer            who the box thinks this session is: for SSH, the client's address and port
 *                        from SSH_CONNECTION (what the lockout check protects)
 * @param linkErrors      frames the box dropped on this session: bad header, bad CRC, malformed
 * @param spool           the flow-record spool, when the agent has one (it appends these fields)
 * @param kernelFlows     the kernel flow log as the agent received it, when it reads one (appended
 *                        after the spool's fields)
 */
public record BoxStatus(String agentVersion, String backend, long runningGeneration, TableState state,
                        long confirmedGeneration, int confirmSecondsLeft, int rules, long uptimeMs, Peer peer,
                        long[] linkErrors, long boxRetransmits, String lastEvent, java.util.Optional<Spool> spool,
                        java.util.Optional<KernelFlows> kernelFlows) {

    /**
     * Counted by the agent since it started, from the module's exports.
     *
     * @param lostTableFull    packets the module could not record: their flow was new and its table full
     * @param lostNoListener   records exported while no agent was subscribed
     * @param lostSendFailed   records the module could not allocate a message for or deliver
     * @param overruns         times the agent's socket overflowed (those records are in lostSendFailed)
     */
    public record KernelFlows(long records, long exports, long lostTableFull, long lostNoListener, long lostSendFailed,
                              long overruns) {}

    /**
     * @param nextSeq      the number the next record will get
     * @param oldestSeq    the oldest number still kept (older ones were acknowledged and deleted)
     * @param ackedEnd     every number below it has been acknowledged by a desktop
     * @param lostFull     records lost since the agent started because the spool was full
     * @param writeErrors  records lost since start because a write failed (they got no number)
     * @param quarantined  segments found corrupt at start and set aside
     */
    public record Spool(long spoolId, long nextSeq, long oldestSeq, long ackedEnd, long bytes, long maxBytes,
                        long lostFull, long writeErrors, int segments, int quarantined) {}

    public enum TableState { NONE, CONFIRMED, AWAITING_CONFIRM }

    public enum PeerKind { LOCAL, SSH, SERIAL }

    public record Peer(PeerKind kind, String clientAddress, int clientPort, String serverAddress, int serverPort) {
        public String describe() {
            return switch (kind) {
                case LOCAL -> "a local connection";
                case SERIAL -> "a serial line";
                case SSH -> "SSH from " + clientAddress + ":" + clientPort + " to " + serverAddress + ":" + serverPort;
            };
        }
    }
}
