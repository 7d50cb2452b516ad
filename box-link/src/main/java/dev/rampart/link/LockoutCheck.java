// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.link;

import dev.rampart.dsl.eval.Evaluation;
import dev.rampart.dsl.eval.Packet;
import dev.rampart.dsl.eval.ReferenceEvaluator;
import dev.rampart.dsl.eval.SetContents;
import dev.rampart.dsl.eval.TcpFlags;
import dev.rampart.dsl.ir.ConnState;
import dev.rampart.dsl.ir.Hook;
import dev.rampart.dsl.ir.IrChain;
import dev.rampart.dsl.ir.IrPolicy;
import dev.rampart.dsl.ir.U128;
import dev.rampart.dsl.ir.Verdict;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Would the candidate policy cut off the people deploying it? Evaluates, with the reference
 * evaluator, the packets of the management session (the running SSH connection, the new one the
 * deploy opens to confirm, and the box's replies) and of the configured management addresses.
 */
public final class LockoutCheck {
    private LockoutCheck() {}

    /** Management access that must survive: a workstation address reaching the box's address and port. */
    public record Access(String client, String box, int port) {
        /** {@code CLIENT} or {@code CLIENT=BOX:PORT}; a bare client uses the session's box address and port. */
        public static Access parse(String s) {
            int eq = s.indexOf('=');
            if (eq < 0) return new Access(s, null, 0);
            String box = s.substring(eq + 1);
            int colon = box.lastIndexOf(':');
            int port = 22;
            if (colon > 0 && !box.endsWith("]")) {
                port = Integer.parseInt(box.substring(colon + 1));
                box = box.substring(0, colon);
            }
            return new Access(s.substring(0, eq), box.replace("[", "").replace("]", ""), port);
        }
    }

    /** One management packet the candidate would not accept. */
    public record Cut(String what, Packet packet, Hook hook, Verdict verdict, String ruleId, String ruleLocation) {
        public String explain() {
            String by = ruleId == null ? "the " + hook.keyword() + " chain's policy (no rule matches)"
                    : "rule '" + ruleId + "'" + (ruleLocation != null ? " at " + ruleLocation : "");
            return what + " (" + packet.describe() + ") would be " + (verdict == Verdict.DROP ? "dropped" : "rejected") + " by " + by;
        }
    }

    public record Report(List<Cut> cuts, List<String> notes) {
        public boolean safe() { return cuts.isEmpty(); }
    }

    private static final int EPHEMERAL = 50000;

    public static Report check(IrPolicy policy, BoxStatus.Peer peer, List<Access> management, String viaInterface) {
        List<Cut> cuts = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        String iface = viaInterface == null ? "" : viaInterface;
        if (viaInterface == null)
            notes.add("management traffic is assumed to arrive on no particular interface; rules limited to an "
                    + "interface ('in ...') do not count for it (name one with --via-interface)");
        String boxAddr = null;
        int boxPort = 22;
        switch (peer.kind()) {
            case SSH -> {
                boxAddr = peer.serverAddress();
                boxPort = peer.serverPort();
                session(policy, "this SSH session", peer.clientAddress(), peer.clientPort(), boxAddr, boxPort, iface, true,
                        cuts, notes);
            }
            case SERIAL -> notes.add("connected over a serial line: there is no IP session to cut");
            case LOCAL -> notes.add("connected locally: there is no network session to cut");
        }
        for (Access a : management) {
            String b = a.box() != null ? a.box() : boxAddr;
            int p = a.box() != null ? a.port() : boxPort;
            if (b == null) {
                notes.add("cannot check management address " + a.client() + ": give the box's address as "
                        + a.client() + "=BOX:PORT");
                continue;
            }
            session(policy, "management access from " + a.client(), a.client(), EPHEMERAL + 1, b, p, iface, false, cuts,
                    notes);
        }
        return new Report(List.copyOf(cuts), List.copyOf(notes));
    }

    private static void session(IrPolicy policy, String what, String client, int clientPort, String box, int boxPort,
                                String iface, boolean running, List<Cut> cuts, List<String> notes) {
        U128 c, b;
        try {
            c = addr(client);
            b = addr(box);
        } catch (UnknownHostException e) {
            notes.add("cannot check " + what + ": '" + e.getMessage() + "' is not an IP address");
            return;
        }
        int ack = TcpFlags.bit("ack"), syn = TcpFlags.bit("syn");
        if (running)
            probe(policy, what + ", packets to the box", Hook.INPUT,
                    new Packet(c, b, Packet.TCP, clientPort, boxPort, 0, 0, ack, ConnState.ESTABLISHED, iface, ""), cuts);
        probe(policy, (running ? "a new connection to confirm the deploy" : what) + ", opening", Hook.INPUT,
                new Packet(c, b, Packet.TCP, running ? EPHEMERAL : clientPort, boxPort, 0, 0, syn, ConnState.NEW, iface, ""),
                cuts);
        probe(policy, what + ", the box's replies", Hook.OUTPUT,
                new Packet(b, c, Packet.TCP, boxPort, clientPort, 0, 0, ack, ConnState.ESTABLISHED, "", iface), cuts);
    }

    private static void probe(IrPolicy policy, String what, Hook hook, Packet p, List<Cut> cuts) {
        Optional<IrChain> chain = policy.chain(hook);
        if (chain.isEmpty()) return;   // no chain for the hook: the engine accepts
        Evaluation e = ReferenceEvaluator.evaluate(chain.get(), p, SetContents.EMPTY);
        if (e.verdict() == Verdict.ACCEPT) return;
        cuts.add(new Cut(what, p, hook, e.verdict(), e.byPolicy() ? null : e.rule().id(),
                e.byPolicy() || e.rule().span() == null ? null : e.rule().span().location()));
    }

    private static U128 addr(String s) throws UnknownHostException {
        String t = s.startsWith("[") ? s.substring(1, s.length() - 1) : s;
        if (!t.matches("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) throw new UnknownHostException(s);
        return U128.ofBytes(InetAddress.getByName(t).getAddress());
    }
}
