// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.connection;

import dev.rampart.link.BoxConnection;
import dev.rampart.link.BoxException;
import dev.rampart.link.BoxStatus;
import dev.rampart.link.Counters;
import dev.rampart.link.FlowRecord;
import dev.rampart.link.LoadResult;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A connected box as the view-models use it: box-link's BoxConnection in the app, a scripted box
 * in the view-model tests. Every method blocks; view-models call them through the task runner.
 */
public interface Box extends AutoCloseable {
    /** Where it is, for the status line: {@code demo box}, {@code ssh://admin@fw1:22}. */
    String describe();

    BoxStatus status() throws BoxException;

    Counters counters() throws BoxException;

    /** Uploads and swaps in a compiled table; the box reverts by itself unless confirmed within {@code confirmSeconds}. */
    LoadResult load(byte[] table, int confirmSeconds, BoxConnection.Progress progress, BooleanSupplier cancelled)
            throws BoxException;

    /**
     * Opens a fresh path to the box and confirms {@code generation} over it: a confirm that only
     * used the old path would not prove that the new policy still lets the admin in.
     */
    void reconnectAndConfirm(long generation) throws BoxException;

    /** Goes back to the previous confirmed table; returns the generation now running. */
    long rollback() throws BoxException;

    /** Flow records until the handle is closed; {@code sink} is called on a link thread. */
    AutoCloseable subscribe(Consumer<FlowRecord> sink) throws BoxException;

    /**
     * The box's numbered records from {@code fromSeq} on, every number once, as a record or inside
     * a lost range (docs/protocol.md section 9), until the handle is closed; {@code listener} is
     * called on a link thread. Boxes whose agent keeps no spool refuse.
     */
    default SpoolSubscription subscribeFrom(long fromSeq, BoxConnection.SpoolListener listener) throws BoxException {
        throw new BoxException(describe() + " does not offer records since N");
    }

    /** Where the box's spool stood when a {@link #subscribeFrom} began, and the handle that ends it. */
    record SpoolSubscription(BoxConnection.SpoolPosition position, AutoCloseable handle) {}

    @Override void close();
}
