// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.logs;

import dev.rampart.telemetry.Flow;
import dev.rampart.telemetry.FlowFilter;
import dev.rampart.telemetry.FlowFilter.Match;
import dev.rampart.telemetry.FlowFilter.Side;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A {@link FlowFilter} applied in memory to records as they stream in, with the meaning the flow
 * store's SQL gives it: a negated EITHER match means "on neither side".
 */
public final class FlowMatcher {
    private FlowMatcher() {}

    public static Predicate<Flow> of(FlowFilter f) {
        return flow -> matches(f, flow);
    }

    public static boolean matches(FlowFilter f, Flow x) {
        if (f.box().isPresent() && !f.box().get().equals(x.box())) return false;
        if (f.from().isPresent() && x.timeMs() < f.from().get()) return false;
        if (f.to().isPresent() && x.timeMs() >= f.to().get()) return false;
        return sided(f.address(), x.src(), x.dst()) && sided(f.port(), x.srcPort(), x.dstPort())
                && sided(f.iface(), x.inIface(), x.outIface()) && single(f.proto(), x.proto())
                && single(f.rule(), x.ruleId()) && single(f.verdict(), x.verdict());
    }

    private static <T> boolean sided(Optional<Match<T>> m, T src, T dst) {
        if (m.isEmpty()) return true;
        Match<T> c = m.get();
        boolean hit = switch (c.side()) {
            case SRC -> c.value().equals(src);
            case DST -> c.value().equals(dst);
            case EITHER -> c.value().equals(src) || c.value().equals(dst);
        };
        return hit != c.negated();
    }

    private static <T> boolean single(Optional<Match<T>> m, T v) {
        return m.isEmpty() || m.get().value().equals(v) != m.get().negated();
    }

    static final Side EITHER = Side.EITHER;
}
