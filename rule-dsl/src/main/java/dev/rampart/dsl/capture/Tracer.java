// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.capture;

import dev.rampart.dsl.capture.TracedPacket.Kind;
import dev.rampart.dsl.capture.TraceResult.Hits;
import dev.rampart.dsl.eval.Evaluation;
import dev.rampart.dsl.eval.Packet;
import dev.rampart.dsl.eval.ReferenceEvaluator;
import dev.rampart.dsl.ir.Hook;
import dev.rampart.dsl.ir.IrChain;
import dev.rampart.dsl.ir.IrRule;
import dev.rampart.dsl.ir.Verdict;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Runs every packet of a capture through one chain, in capture order, with the datagrams
 * defragmented and connection state tracked as the kernel would before the filter hook.
 */
public final class Tracer {
    private final IrChain chain;
    private final TraceOptions opts;
    private final Consumer<TracedPacket> out;
    private final ConnTracker conntrack;
    private final Reassembler reassembler;
    private final Map<String, Hits> ruleHits = new LinkedHashMap<>();
    private final Map<Verdict, Long> verdicts = new EnumMap<>(Verdict.class);
    private final Set<String> warnings = new LinkedHashSet<>();
    private final Map<String, String> ifNames = new HashMap<>();
    private Hits policyHits = new Hits(0, 0);
    private long evaluated, malformed, truncated, notIp, fragmentsHeld, reassembled, incomplete, incompleteFragments, noRoom;

    private Tracer(IrChain chain, TraceOptions opts, Consumer<TracedPacket> perPacket) {
        this.chain = chain;
        this.opts = opts;
        this.out = opts.listPackets() ? perPacket : null;
        this.conntrack = new ConnTracker(opts.maxConnections());
        this.reassembler = new Reassembler(opts.maxFragDatagrams(), opts.maxFragBytes());
        for (IrRule r : chain.rules()) ruleHits.put(r.id(), new Hits(0, 0));
    }

    public static TraceResult trace(Path capture, IrChain chain, TraceOptions opts, Consumer<TracedPacket> perPacket) {
        try (InputStream in = Files.newInputStream(capture)) {
            return trace(in, chain, opts, perPacket);
        } catch (IOException e) {
            Tracer t = new Tracer(chain, opts, perPacket);
            return t.result("unknown", new CaptureError(0, 1, "cannot read " + capture + ": " + e.getMessage()), 0);
        }
    }

    public static TraceResult trace(InputStream capture, IrChain chain, TraceOptions opts, Consumer<TracedPacket> perPacket) {
        return new Tracer(chain, opts, perPacket).run(CaptureReader.open(capture));
    }

    private TraceResult run(CaptureReader reader) {
        long frames = 0;
        List<Reassembler.Incomplete> expired = new ArrayList<>();
        for (Frame f = reader.next(); f != null; f = reader.next()) {
            frames++;
            reassembler.expire(f.timestampNanos(), expired);
            for (Reassembler.Incomplete i : expired) reportIncomplete(i);
            expired.clear();
            frame(f);
        }
        for (Reassembler.Incomplete i : reassembler.drain()) reportIncomplete(i);
        return result(reader.format(), reader.error().orElse(null), frames);
    }

    private void frame(Frame f) {
        Decoded d = PacketDecoder.decode(f);
        if (d instanceof Decoded.Whole w) {
            evaluate(f, w.datagram(), 0);
        } else if (d instanceof Decoded.NotIp n) {
            notIp++;
            emit(f, Kind.NOT_IP, 0, n.what());
        } else if (d instanceof Decoded.Bad b) {
            bad(f, b);
        } else if (d instanceof Decoded.Fragment fr) {
            fragment(f, fr);
        }
    }

    private void bad(Frame f, Decoded.Bad b) {
        if (b.truncated()) {
            truncated++;
            emit(f, Kind.TRUNCATED, 0, b.reason());
        } else {
            malformed++;
            emit(f, Kind.MALFORMED, 0, b.reason());
        }
    }

    private void fragment(Frame f, Decoded.Fragment fr) {
        Reassembler.Outcome o = reassembler.add(fr, f.number(), f.timestampNanos());
        if (o instanceof Reassembler.Held h) {
            fragmentsHeld++;
            emit(f, Kind.FRAGMENT_HELD, 0, () -> "fragment of " + describe(fr) + ", bytes " + h.offset() + "-"
                    + (h.offset() + h.length() - 1) + (fr.more() ? "" : " (last)") + ", held for reassembly");
        } else if (o instanceof Reassembler.Duplicate) {
            fragmentsHeld++;
            emit(f, Kind.FRAGMENT_HELD, 0, () -> "duplicate fragment of " + describe(fr) + ", ignored as the kernel does");
        } else if (o instanceof Reassembler.Rejected r) {
            if (r.overLimit()) {
                noRoom++;
                emit(f, Kind.DROPPED_NO_ROOM, 0, r.reason());
            } else {
                malformed++;
                emit(f, Kind.MALFORMED, 0, () -> "fragment of " + describe(fr) + ": " + r.reason());
            }
        } else if (o instanceof Reassembler.Complete c) {
            fragmentsHeld++;
            reassembled++;
            if (c.decoded() instanceof Decoded.Whole w) evaluate(f, w.datagram(), c.fragments());
            else if (c.decoded() instanceof Decoded.Bad b) bad(f, new Decoded.Bad("reassembled datagram: " + b.reason(), b.truncated()));
            else throw new IllegalStateException("reassembly produced " + c.decoded());
        }
    }

    private static String describe(Decoded.Fragment fr) {
        return "IPv" + fr.family() + " datagram " + fr.src().toAddressString() + " -> " + fr.dst().toAddressString() + " id " + fr.id();
    }

    private void evaluate(Frame f, Datagram d, int fragments) {
        long now = f.timestampNanos();
        ConnTracker.Step step = conntrack.observe(d, now);
        if (step.tableFull()) {
            noRoom++;
            emit(f, Kind.DROPPED_NO_ROOM, d.ipLength(), () -> "conntrack table full (" + opts.maxConnections() + " entries): the kernel drops new connections");
            return;
        }
        String capIf = captureInterface(f);
        Hook hook = chain.hook();
        String in = "", outIf = "";
        if (hook != Hook.OUTPUT) in = capIf.isEmpty() ? clean(opts.inIf()) : capIf;
        if (hook == Hook.OUTPUT) outIf = capIf.isEmpty() ? clean(opts.outIf()) : capIf;
        else if (hook == Hook.FORWARD) outIf = clean(opts.outIf());
        Packet p = new Packet(d.src(), d.dst(), d.proto(), d.sport(), d.dport(), d.icmpType(), d.icmpCode(), d.tcpFlags(),
                step.state(), in, outIf);
        Evaluation ev = ReferenceEvaluator.evaluate(chain, p, opts.sets());
        conntrack.settle(step, d, ev.verdict() == Verdict.ACCEPT, now);
        evaluated++;
        verdicts.merge(ev.verdict(), 1L, Long::sum);
        if (ev.byPolicy()) policyHits = policyHits.plus(d.ipLength());
        else ruleHits.merge(ev.rule().id(), new Hits(1, d.ipLength()), (a, b) -> a.plus(d.ipLength()));
        if (out != null) out.accept(new TracedPacket(f.number(), now, Kind.EVALUATED, f.originalLength(), d.ipLength(), p, ev, step.note(), fragments));
    }

    private String captureInterface(Frame f) {
        int index = PacketDecoder.sll2IfIndex(f);
        if (index >= 0) {
            String n = opts.ifIndexNames().get(index);
            return clean(n != null ? n : "ifindex" + Integer.toUnsignedString(index));
        }
        return clean(f.iface());
    }

    /** Interface names the IR can hold: at most 15 bytes, as Linux allows; longer ones are cut, with a warning. */
    private String clean(String name) {
        if (name.isEmpty()) return name;
        return ifNames.computeIfAbsent(name, n -> {
            byte[] b = n.getBytes(StandardCharsets.UTF_8);
            if (b.length <= 15) return n;
            int cut = 15;
            while (cut > 0 && (b[cut] & 0xc0) == 0x80) cut--;
            String s = new String(b, 0, cut, StandardCharsets.UTF_8);
            warnings.add("interface name \"" + n + "\" is longer than Linux's 15 bytes; matched as \"" + s + "\"");
            return s;
        });
    }

    private void reportIncomplete(Reassembler.Incomplete i) {
        incomplete++;
        incompleteFragments += i.fragments();
        if (out != null) out.accept(new TracedPacket(i.firstFrame(), i.firstSeenNanos(), Kind.INCOMPLETE, 0, 0, null, null,
                "incomplete datagram IPv" + i.family() + " " + i.src().toAddressString() + " -> " + i.dst().toAddressString()
                        + " (" + i.fragments() + " fragment(s), " + i.bytes() + " bytes, " + i.why()
                        + "), dropped by defragmentation", i.fragments()));
    }

    private void emit(Frame f, Kind kind, int ipLength, String reason) {
        emit(f, kind, ipLength, () -> reason);
    }

    /** Reasons are built only when someone reads them: a silent trace of a big capture skips the strings. */
    private void emit(Frame f, Kind kind, int ipLength, java.util.function.Supplier<String> reason) {
        if (out != null) out.accept(new TracedPacket(f.number(), f.timestampNanos(), kind, f.originalLength(), ipLength, null, null, reason.get(), 0));
    }

    private TraceResult result(String format, CaptureError error, long frames) {
        return new TraceResult(format, frames, evaluated, java.util.Collections.unmodifiableMap(new LinkedHashMap<>(ruleHits)),
                policyHits, java.util.Collections.unmodifiableMap(new EnumMap<>(verdicts)), malformed, truncated, notIp,
                fragmentsHeld, reassembled, incomplete, incompleteFragments, noRoom, List.copyOf(warnings), error);
    }
}
