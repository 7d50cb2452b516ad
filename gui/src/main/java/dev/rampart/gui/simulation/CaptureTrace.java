// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.simulation;

import dev.rampart.dsl.capture.TraceOptions;
import dev.rampart.dsl.capture.TraceResult;
import dev.rampart.dsl.capture.TracedPacket;
import dev.rampart.dsl.capture.Tracer;
import dev.rampart.dsl.eval.Packet;
import dev.rampart.dsl.ir.IrChain;
import dev.rampart.dsl.ir.IrRule;
import dev.rampart.dsl.ir.Verdict;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * A capture run through one chain by the same engine as {@code rampart trace} (defragmentation and
 * connection tracking included), keeping what the app lists: for each rule, the chain's policy and
 * the frames that were never evaluated, the packets they took. Blocking; the app calls it from a
 * worker thread and it stops soon after {@code cancelled} turns true.
 */
public final class CaptureTrace {
    /**
     * Packets listed per row. The counts are always complete; the lists stop here so that a capture
     * of millions of packets keeps bounded memory (about 200 bytes a listed packet).
     */
    public static final int LISTED_PER_ROW = 50_000;

    /** Where the trace has got to, in bytes of the file. */
    @FunctionalInterface
    public interface Progress {
        void update(long bytesRead, long fileSize);
    }

    /**
     * One packet as listed. {@code rule} is null when the chain's policy decided or the packet was
     * not evaluated; {@code packet} and {@code verdict} are null when it was not evaluated.
     */
    public record Seen(long frame, long timestampNanos, TracedPacket.Kind kind, int ipLength, Packet packet,
                       Verdict verdict, String rule, String reason, int fragments) {}

    /**
     * @param byRule       listed packets per rule id (rules never hit have none)
     * @param byPolicy     listed packets decided by the chain's policy
     * @param notEvaluated frames (and incomplete datagrams) that never reached the chain
     * @param notEvaluatedCount all of those, listed or not
     * @param firstNanos   the first frame's time, for times relative to the start
     */
    public record Outcome(Path capture, IrChain chain, TraceOptions options, TraceResult result,
                          Map<String, List<Seen>> byRule, List<Seen> byPolicy, List<Seen> notEvaluated,
                          long notEvaluatedCount, long firstNanos) {}

    private CaptureTrace() {}

    /**
     * @throws CancellationException when {@code cancelled} turned true before the end
     * @throws IOException           when the file cannot be opened (damage inside it is in the result instead)
     */
    public static Outcome run(Path capture, IrChain chain, TraceOptions options, BooleanSupplier cancelled, Progress progress)
            throws IOException {
        long size = Files.size(capture);
        Map<String, List<Seen>> byRule = new HashMap<>();
        for (IrRule r : chain.rules()) byRule.put(r.id(), new ArrayList<>());
        List<Seen> byPolicy = new ArrayList<>();
        List<Seen> notEvaluated = new ArrayList<>();
        long[] notEvaluatedCount = {0};
        long[] first = {Long.MIN_VALUE};
        TraceResult result;
        try (InputStream in = new Watched(Files.newInputStream(capture), size, cancelled, progress)) {
            result = Tracer.trace(in, chain, options.withListPackets(true), p -> {
                if (first[0] == Long.MIN_VALUE && p.kind() != TracedPacket.Kind.INCOMPLETE) first[0] = p.timestampNanos();
                List<Seen> into;
                if (p.kind() == TracedPacket.Kind.EVALUATED) {
                    into = p.evaluation().byPolicy() ? byPolicy : byRule.get(p.evaluation().rule().id());
                } else if (p.kind() == TracedPacket.Kind.FRAGMENT_HELD) {
                    // Its datagram is listed once, at the fragment that completed it (or as incomplete).
                    return;
                } else {
                    notEvaluatedCount[0]++;
                    into = notEvaluated;
                }
                if (into.size() >= LISTED_PER_ROW) return;
                into.add(p.kind() == TracedPacket.Kind.EVALUATED
                        ? new Seen(p.frame(), p.timestampNanos(), p.kind(), p.ipLength(), p.packet(), p.evaluation().verdict(),
                                p.evaluation().byPolicy() ? null : p.evaluation().rule().id(), p.reason(), p.fragments())
                        : new Seen(p.frame(), p.timestampNanos(), p.kind(), p.ipLength(), null, null, null, p.reason(), p.fragments()));
            });
        }
        if (cancelled.getAsBoolean()) throw new CancellationException("cancelled");
        progress.update(size, size);
        return new Outcome(capture, chain, options, result, byRule, byPolicy, notEvaluated, notEvaluatedCount[0],
                first[0] == Long.MIN_VALUE ? 0 : first[0]);
    }

    /** Counts what the reader takes and stops it when cancelled: the trace engine itself knows neither. */
    private static final class Watched extends FilterInputStream {
        private final long size;
        private final BooleanSupplier cancelled;
        private final Progress progress;
        private long read;

        Watched(InputStream in, long size, BooleanSupplier cancelled, Progress progress) {
            super(in);
            this.size = size;
            this.cancelled = cancelled;
            this.progress = progress;
        }

        private void advance(long n) {
            // An unchecked exception: the reader turns IOExceptions into "damaged file" results.
            if (cancelled.getAsBoolean()) throw new CancellationException("cancelled");
            if (n > 0) {
                read += n;
                progress.update(read, size);
            }
        }

        @Override public int read() throws IOException {
            int b = super.read();
            advance(b < 0 ? 0 : 1);
            return b;
        }

        @Override public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            advance(n);
            return n;
        }

        @Override public long skip(long n) throws IOException {
            long s = super.skip(n);
            advance(s);
            return s;
        }
    }
}
