// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.telemetry;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Where a subscription starts when the collector meets a box's spool: the cases the live tests
 * against rampartd (CollectorTest) cannot easily make, worked out by hand.
 */
class CollectorDecisionTest {
    static final long A = 0xA, B = 0xB;

    static SpoolEpoch epoch(int n, long spool, long base, long first, long knownNext, long prevLast) {
        return new SpoolEpoch("box", n, OptionalLong.of(spool), base, first, knownNext, 5, OptionalLong.empty(),
                n == 1 ? null : SpoolEpoch.REPLACED, prevLast, 0);
    }

    @Test void aNewBoxStartsItsFirstEpochAtZero() {
        Collector.Decision d = Collector.decide("box", List.of(), -1, A, 40, 7);
        assertEquals(0, d.from());
        assertEquals(new SpoolEpoch("box", 1, OptionalLong.of(A), 0, 0, 40, 7, OptionalLong.empty(), null, -1, 0), d.epoch());
        assertEquals(List.of(d.epoch()), d.note().rows());
        assertNull(d.note().gap());
    }

    @Test void theSameSpoolCarriesOnWithoutANote() {
        SpoolEpoch e = epoch(2, B, 100, 0, 50, 99);
        Collector.Decision d = Collector.decide("box", List.of(epoch(1, A, 0, 0, 100, -1), e), 129, B, 60, 7);
        assertEquals(e, d.epoch());
        assertEquals(30, d.from(), "the box's own number after stored #129 = base 100 + 29");
        assertNull(d.note());
    }

    @Test void aReplacedSpoolLeavesAGapForWhatTheOldOneHadAndStartsAboveIt() {
        // Stored through #119 of spool A, which was known to have handed out 0..149.
        Collector.Decision d = Collector.decide("box", List.of(epoch(1, A, 0, 0, 150, -1)), 119, B, 10, 7);
        assertEquals(new SpoolEpoch("box", 2, OptionalLong.of(B), 150, 0, 10, 7, OptionalLong.empty(), SpoolEpoch.REPLACED,
                119, 30), d.epoch());
        assertEquals(0, d.from());
        assertEquals(new Gap("box", 120, 149, 7, SpoolEpoch.REPLACED), d.note().gap());
    }

    @Test void aSpoolPutBackCarriesOnAfterWhatItsEpochHeld() {
        // A (stored through its #99), then B (base 100, stored through its #49 = #149), then A again with 130 numbers.
        List<SpoolEpoch> known = List.of(epoch(1, A, 0, 0, 100, -1), epoch(2, B, 100, 0, 50, 99));
        Collector.Decision d = Collector.decide("box", known, 149, A, 130, 7);
        assertEquals(100, d.from(), "A's numbers from 100 on were never stored");
        assertEquals(3, d.epoch().epoch());
        assertEquals(150, d.epoch().start());
        assertEquals(150, d.epoch().stored(100));
        assertNull(d.note().gap());
    }

    @Test void theSameSpoolBehindWhatWasStoredWentBack() {
        // Spool A restored from a copy that ends at 80 while #0..#99 were stored.
        Collector.Decision d = Collector.decide("box", List.of(epoch(1, A, 0, 0, 100, -1)), 99, A, 80, 7);
        assertEquals(SpoolEpoch.WENT_BACK, d.epoch().reason());
        assertEquals(80, d.from(), "below 80 it holds what was stored already");
        assertEquals(100, d.epoch().stored(80));
    }

    @Test void aDatabaseFromBeforeSpoolsWereNotedAdoptsASpoolThatIsAheadOfIt() {
        Collector.Decision d = Collector.decide("box", List.of(), 99, A, 130, 7);
        assertEquals(100, d.from());
        assertEquals(1, d.epoch().epoch());
        assertEquals(0, d.epoch().base());
    }

    @Test void aDatabaseFromBeforeSpoolsWereNotedMeetingASpoolBehindItNotesBoth() {
        Collector.Decision d = Collector.decide("box", List.of(), 99, A, 20, 7);
        assertEquals(2, d.note().rows().size());
        SpoolEpoch unnoted = d.note().rows().get(0);
        assertEquals(OptionalLong.empty(), unnoted.spoolId());
        assertEquals(2, d.epoch().epoch());
        assertEquals(100, d.epoch().base());
        assertEquals(0, d.from());
        assertEquals(99, d.epoch().prevLastSeq());
    }
}
