// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.support;

import dev.rampart.gui.connection.Box;
import dev.rampart.link.BoxConnection;
import dev.rampart.link.BoxException;
import dev.rampart.link.BoxStatus;
import dev.rampart.link.Counters;
import dev.rampart.link.FlowRecord;
import dev.rampart.link.LinkLostException;
import dev.rampart.link.LoadResult;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A box that behaves like rampartd's state machine in miniature (load on probation, confirm,
 * revert, rollback) for view-model tests; what it was asked is recorded.
 */
public final class FakeBox implements Box {
    public BoxStatus.TableState state = BoxStatus.TableState.NONE;
    public long running, confirmed, previousConfirmed;
    public int rules, confirmLeft;
    public BoxStatus.Peer peer = new BoxStatus.Peer(BoxStatus.PeerKind.LOCAL, "", 0, "", 0);
    public List<Counters.RuleCounter> counters = new ArrayList<>();
    public final List<String> calls = new ArrayList<>();
    public Consumer<FlowRecord> sink;
    public boolean closed, lost;
    private long nextGeneration = 0x100;

    @Override public String describe() { return "fake box"; }

    private void check() throws BoxException {
        if (lost) throw new LinkLostException("the box closed the connection (fake)");
    }

    @Override
    public BoxStatus status() throws BoxException {
        check();
        return new BoxStatus("0.test", "sim", running, state, confirmed, confirmLeft, rules, 1000, peer, new long[3], 0, "", java.util.Optional.empty(), java.util.Optional.empty());
    }

    @Override
    public Counters counters() throws BoxException {
        check();
        return new Counters(running, List.copyOf(counters));
    }

    @Override
    public LoadResult load(byte[] table, int confirmSeconds, BoxConnection.Progress progress, BooleanSupplier cancelled)
            throws BoxException {
        check();
        calls.add("load " + confirmSeconds);
        if (state == BoxStatus.TableState.AWAITING_CONFIRM) throw new BoxException("the box refused: busy", 10, null);
        if (progress != null) progress.update(table.length, table.length);
        previousConfirmed = confirmed;
        running = nextGeneration++;
        state = BoxStatus.TableState.AWAITING_CONFIRM;
        confirmLeft = confirmSeconds;
        return new LoadResult(running, rules, confirmSeconds, table.length, table.length, 0, 0);
    }

    @Override
    public void reconnectAndConfirm(long generation) throws BoxException {
        check();
        calls.add("confirm " + Long.toHexString(generation));
        if (state != BoxStatus.TableState.AWAITING_CONFIRM || generation != running)
            throw new BoxException("the box refused: nothing to confirm", 7, null);
        state = BoxStatus.TableState.CONFIRMED;
        confirmed = running;
    }

    /** What the box does by itself when the deadline passes. */
    public void revert() {
        running = previousConfirmed;
        state = running == 0 ? BoxStatus.TableState.NONE : BoxStatus.TableState.CONFIRMED;
    }

    @Override
    public long rollback() throws BoxException {
        check();
        calls.add("rollback");
        if (state == BoxStatus.TableState.AWAITING_CONFIRM) {
            revert();
            return running;
        }
        throw new BoxException("the box refused: nothing to roll back to", 8, null);
    }

    @Override
    public AutoCloseable subscribe(Consumer<FlowRecord> sink) throws BoxException {
        check();
        calls.add("subscribe");
        this.sink = sink;
        return () -> {
            calls.add("unsubscribe");
            this.sink = null;
        };
    }

    @Override public void close() { closed = true; }
}
