// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.telemetry;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * The records of one box that came from one spool (docs/protocol.md section 9, spool_id). A box
 * whose spool is wiped or replaced numbers its records from 0 again; each spool's records are
 * stored as an epoch of their own, shifted above everything stored for the box before, so the
 * store's key (box, seq) stays unique and the idempotency check never mistakes a new record for
 * an old one. The box's own number of a stored record is {@code stored - base}.
 *
 * @param epoch       1, 2, ... in the order the desktop met the box's spools
 * @param spoolId     the box's spool_id; empty for records stored before spools were tracked
 * @param base        stored seq = base + the box's seq
 * @param firstSeq    the box's first number collected in this epoch (0 for a new spool)
 * @param knownNext   the highest next_seq the box reported for this spool
 * @param startedMs   when the collector met the spool
 * @param firstRecordMs time of the epoch's first stored record, once there is one
 * @param reason      why this epoch replaced the previous one; null for a box's first
 * @param prevLastSeq the previous spool's last number accounted for, in its own numbering (-1: none)
 * @param prevLost    numbers the previous spool had handed out that the desktop never received
 */
public record SpoolEpoch(String box, int epoch, OptionalLong spoolId, long base, long firstSeq, long knownNext,
                         long startedMs, OptionalLong firstRecordMs, String reason, long prevLastSeq, long prevLost) {

    /** The reason of an epoch that began because the box showed a spool other than the one being collected. */
    public static final String REPLACED = "spool replaced on box";
    /** The reason when the same spool came back with fewer numbers than were stored (restored from an older copy). */
    public static final String WENT_BACK = "spool on box went back to an older state";

    public SpoolEpoch {
        Objects.requireNonNull(box);
        Objects.requireNonNull(spoolId);
        Objects.requireNonNull(firstRecordMs);
    }

    /** The stored number of a box's number in this epoch. */
    public long stored(long boxSeq) { return base + boxSeq; }

    /** The box's own number of a stored number of this epoch. */
    public long boxSeq(long stored) { return stored - base; }

    /** The stored number of the epoch's first number. */
    public long start() { return base + firstSeq; }

    /** Whether this epoch began by replacing another (the record stream restarted). */
    public boolean restart() { return reason != null; }

    /** When the restart shows in a time-ordered log: just before the epoch's first record. */
    public long restartMs() { return firstRecordMs.orElse(startedMs); }

    public boolean sameSpool(long id) { return spoolId.isPresent() && spoolId.getAsLong() == id; }

    public SpoolEpoch withKnownNext(long next) {
        return next <= knownNext ? this : new SpoolEpoch(box, epoch, spoolId, base, firstSeq, next, startedMs,
                firstRecordMs, reason, prevLastSeq, prevLost);
    }

    public SpoolEpoch withFirstRecordMs(long ms) {
        return new SpoolEpoch(box, epoch, spoolId, base, firstSeq, knownNext, startedMs, OptionalLong.of(ms), reason,
                prevLastSeq, prevLost);
    }

    /** The spool id as the box's tools print it. */
    public String spoolText() {
        return spoolId.isPresent() ? String.format("%016x", spoolId.getAsLong()) : "(not recorded)";
    }
}
