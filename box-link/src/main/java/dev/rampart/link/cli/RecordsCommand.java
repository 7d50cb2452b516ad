// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.link.cli;

import dev.rampart.link.BoxConnection;
import dev.rampart.link.BoxException;
import dev.rampart.link.FlowRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Prints the flow records a box's spool holds, as they are stored, without acknowledging them:
 * the box keeps them for its collector. For checking a box by hand; `rampart logs` reads what a
 * collector stored.
 */
@Command(name = "records", description = "Print the flow records in a box's spool (read only: nothing is acknowledged).")
public final class RecordsCommand extends BoxCommand {
    @Mixin TargetOptions target;

    @Option(names = "--from", paramLabel = "SEQ", description = "first sequence number (default: the oldest the box keeps)")
    Long from;

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "15",
            description = "how long to wait for the records the box had numbered when asked (default: ${DEFAULT-VALUE})")
    int waitSeconds;

    @Override int run() throws BoxException {
        LinkedBlockingQueue<Object> items = new LinkedBlockingQueue<>();
        try (BoxConnection box = target.connect()) {
            if (!box.supportsSpool()) throw new BoxException("this box's agent has no spool");
            BoxConnection.SpoolListener l = new BoxConnection.SpoolListener() {
                @Override public void records(List<FlowRecord> batch) { items.addAll(batch); }
                @Override public void loss(BoxConnection.Loss loss) { items.add(loss); }
            };
            // Subscribing at the oldest number needs it first: a start from 0 would list deleted ranges.
            BoxConnection.SpoolPosition pos = box.subscribeFrom(from != null ? from : 0, l);
            long start = from != null ? from : pos.oldestSeq(), end = pos.nextSeq(), next = from != null ? from : 0;
            if (!box.supportsFlowCounters()) err().println("note: this box's agent sends no packet or byte counts");
            out().printf("spool %016x: numbers %d..%d%n", pos.spoolId(), start, end - 1);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(waitSeconds);
            while (next < end) {
                Object o;
                try {
                    o = items.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return FAILED;
                }
                if (o == null) {
                    err().printf("rampart records: only numbers up to %d arrived within %d s (the box had numbered up to %d)%n",
                            next - 1, waitSeconds, end - 1);
                    return FAILED;
                }
                if (o instanceof FlowRecord r) {
                    next = r.seq() + 1;
                    if (r.seq() < start) continue;
                    out().println(format(r));
                } else if (o instanceof BoxConnection.Loss loss) {
                    next = loss.firstSeq() + loss.count();
                    if (next <= start) continue;
                    out().printf("lost %d..%d: %s%n", Math.max(loss.firstSeq(), start), loss.lastSeq(), loss.text());
                }
            }
            box.unsubscribe();
            return OK;
        }
    }

    static String format(FlowRecord r) {
        StringBuilder b = new StringBuilder(r.describe());
        if (r.hasCounters())
            b.append(" first ").append(r.firstMs()).append(" last ").append(r.lastMs())
                    .append(" in ").append(iface(r.inName(), r.inIf())).append(" out ").append(iface(r.outName(), r.outIf()))
                    .append(" tcpflags ").append(Integer.toHexString(r.tcpFlags()));
        return b.toString();
    }

    /** name(index) when both are known, the one that is otherwise, "-" for no interface. */
    private static String iface(String name, long index) {
        if (name.isEmpty()) return index == 0 ? "-" : "#" + index;
        return index == 0 ? name : name + "(" + index + ")";
    }
}
