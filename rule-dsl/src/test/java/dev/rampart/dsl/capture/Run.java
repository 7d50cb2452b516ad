// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.capture;

import dev.rampart.dsl.ir.IrChain;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;

/** One trace of in-memory capture bytes, with every per-packet report kept. */
record Run(TraceResult result, List<TracedPacket> packets) {
    static Run of(byte[] capture, IrChain chain) { return of(capture, chain, TraceOptions.defaults()); }

    static Run of(byte[] capture, IrChain chain, TraceOptions opts) {
        List<TracedPacket> l = new ArrayList<>();
        TraceResult r = Tracer.trace(new ByteArrayInputStream(capture), chain, opts, l::add);
        return new Run(r, l);
    }

    List<TracedPacket> of(TracedPacket.Kind kind) {
        return packets.stream().filter(p -> p.kind() == kind).toList();
    }

    List<TracedPacket> evaluated() { return of(TracedPacket.Kind.EVALUATED); }
}
