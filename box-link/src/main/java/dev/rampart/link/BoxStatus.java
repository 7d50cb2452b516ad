// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.link;

/**
 * What STATUS reports (docs/protocol.md section 4).
 *
 * @param state           whether the running table is confirmed or still on probation
 * @param peer            who the box thinks this session is: for SSH, the client's address and port
 *                        from SSH_CONNECTION (what the lockout check protects)
 * @param linkErrors      frames the box dropped on this session: bad header, bad CRC, malformed
 */
public record BoxStatus(String agentVersion, String backend, long runningGeneration, TableState state,
                        long confirmedGeneration, int confirmSecondsLeft, int rules, long uptimeMs, Peer peer,
                        long[] linkErrors, long boxRetransmits, String lastEvent) {

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
