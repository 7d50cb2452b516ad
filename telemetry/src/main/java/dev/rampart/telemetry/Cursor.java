// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.telemetry;

/** Where a newest-first page ended: the next page starts strictly after this row in (time, box, seq) order. */
public record Cursor(long timeMs, String box, long seq) {
    static Cursor of(Flow f) { return new Cursor(f.timeMs(), f.box(), f.seq()); }
}
