// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.telemetry;

/** Packets seen and packets denied (drop or reject) in one minute starting at {@code minuteMs}. */
public record DropMinute(long minuteMs, long packets, long denied) {
    public double rate() { return packets == 0 ? 0 : (double) denied / packets; }
}
