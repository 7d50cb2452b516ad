// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.ir;

/** A closed interval [lo, hi] of 128-bit values; lo &lt;= hi. */
public record Interval(U128 lo, U128 hi) {
    public Interval {
        if (hi.lt(lo)) throw new IllegalArgumentException("inverted interval " + lo + ".." + hi);
    }

    public static Interval point(U128 v) { return new Interval(v, v); }

    public static Interval of(long lo, long hi) { return new Interval(U128.of(lo), U128.of(hi)); }

    public boolean contains(U128 v) { return lo.le(v) && v.le(hi); }
}
