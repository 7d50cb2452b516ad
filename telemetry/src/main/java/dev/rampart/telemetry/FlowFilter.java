// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.telemetry;

import java.util.Optional;

/**
 * What the log viewer asks for: every field optional, every match negatable. Times are unix
 * milliseconds, {@code from} inclusive and {@code to} exclusive.
 */
public record FlowFilter(Optional<String> box, Optional<Long> from, Optional<Long> to, Optional<Match<String>> address,
                         Optional<Match<Integer>> port, Optional<Match<Integer>> proto, Optional<Match<String>> iface,
                         Optional<Match<Long>> rule, Optional<Match<Integer>> verdict) {

    /** Which end of a flow an address or port filter looks at. */
    public enum Side { SRC, DST, EITHER }

    /**
     * One condition. Negating an EITHER match means "on neither side".
     */
    public record Match<T>(T value, Side side, boolean negated) {
        public static <T> Match<T> is(T v) { return new Match<>(v, Side.EITHER, false); }
        public static <T> Match<T> not(T v) { return new Match<>(v, Side.EITHER, true); }
    }

    public static final FlowFilter ALL = new FlowFilter(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    public FlowFilter box(String b) { return new FlowFilter(Optional.of(b), from, to, address, port, proto, iface, rule, verdict); }
    public FlowFilter between(long fromMs, long toMs) { return new FlowFilter(box, Optional.of(fromMs), Optional.of(toMs), address, port, proto, iface, rule, verdict); }
    public FlowFilter since(long fromMs) { return new FlowFilter(box, Optional.of(fromMs), to, address, port, proto, iface, rule, verdict); }
    public FlowFilter address(String a, Side side, boolean negated) {
        return new FlowFilter(box, from, to, Optional.of(new Match<>(Flow.canonical(a), side, negated)), port, proto, iface, rule, verdict);
    }
    public FlowFilter port(int p, Side side, boolean negated) { return new FlowFilter(box, from, to, address, Optional.of(new Match<>(p, side, negated)), proto, iface, rule, verdict); }
    public FlowFilter proto(int p, boolean negated) { return new FlowFilter(box, from, to, address, port, Optional.of(new Match<>(p, Side.EITHER, negated)), iface, rule, verdict); }
    /** Interface on either side (in or out). */
    public FlowFilter iface(String i, boolean negated) { return new FlowFilter(box, from, to, address, port, proto, Optional.of(new Match<>(i, Side.EITHER, negated)), rule, verdict); }
    public FlowFilter rule(long r, boolean negated) { return new FlowFilter(box, from, to, address, port, proto, iface, Optional.of(new Match<>(r, Side.EITHER, negated)), verdict); }
    public FlowFilter verdict(int v, boolean negated) { return new FlowFilter(box, from, to, address, port, proto, iface, rule, Optional.of(new Match<>(v, Side.EITHER, negated))); }
}
