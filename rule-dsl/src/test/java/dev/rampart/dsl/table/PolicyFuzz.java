// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.table;

import dev.rampart.dsl.eval.Packet;
import dev.rampart.dsl.ir.ConnState;
import dev.rampart.dsl.ir.DynSet;
import dev.rampart.dsl.ir.Field;
import dev.rampart.dsl.ir.Hook;
import dev.rampart.dsl.ir.Interval;
import dev.rampart.dsl.ir.IntervalSet;
import dev.rampart.dsl.ir.IrChain;
import dev.rampart.dsl.ir.IrPolicy;
import dev.rampart.dsl.ir.IrRule;
import dev.rampart.dsl.ir.RejectKind;
import dev.rampart.dsl.ir.SetMatch;
import dev.rampart.dsl.ir.Term;
import dev.rampart.dsl.ir.U128;
import dev.rampart.dsl.ir.Verdict;
import dev.rampart.dsl.source.SourceFile;
import dev.rampart.dsl.source.Span;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Random IR policies that use every field type (both address families, multi-interval and negated
 * sets, ports, ICMP, TCP flags, conntrack state, interface names and prefixes, dynamic sets,
 * several terms per rule, several chains) and random packets biased to the policy's interval
 * boundaries, where off-by-one errors live.
 */
final class PolicyFuzz {
    static final String[] IFACES = {"", "eth0", "eth1", "eth", "eth00", "wlan0", "lo", "br-lan", "ppp0"};
    static final String[] SETS = {"allow", "block"};

    final SplittableRandom rnd;
    final IrPolicy policy;
    final Map<String, Set<U128>> setContents = new HashMap<>();
    private final Map<Field, TreeSet<U128>> anchors = new EnumMap<>(Field.class);

    PolicyFuzz(long seed, int maxRules) {
        rnd = new SplittableRandom(seed);
        for (Field f : Field.values()) anchors.put(f, new TreeSet<>());
        Span span = Span.of(new SourceFile("fuzz-" + seed, ""), 0, 0);
        Map<String, DynSet> dyn = new LinkedHashMap<>();
        for (String s : SETS) dyn.put(s, new DynSet(s, Field.SRC.universe(), 1000, 0, span));
        List<IrChain> chains = new ArrayList<>();
        int ruleNo = 0;
        for (Hook h : Hook.values()) {
            if (h != Hook.FORWARD && rnd.nextInt(3) == 0) continue;
            int n = 1 + rnd.nextInt(maxRules);
            List<IrRule> rules = new ArrayList<>();
            for (int i = 0; i < n; i++, ruleNo++) {
                List<Term> terms = new ArrayList<>();
                int nt = rnd.nextInt(8) == 0 ? 0 : 1 + rnd.nextInt(rnd.nextInt(4) == 0 ? 3 : 1);
                for (int k = 0; k < nt; k++) terms.add(term());
                String id = "r" + ruleNo;
                Verdict v = Verdict.values()[rnd.nextInt(3)];
                rules.add(new IrRule(id, IrRule.numericIdOf(id), rnd.nextBoolean(), v,
                        RejectKind.values()[rnd.nextInt(RejectKind.values().length)], rnd.nextInt(4) == 0,
                        rnd.nextInt(4) == 0, null, terms, span));
            }
            chains.add(new IrChain(h, rnd.nextBoolean() ? Verdict.ACCEPT : Verdict.DROP, rules, span));
        }
        policy = new IrPolicy(chains, dyn, List.of());
        for (String s : SETS) {
            Set<U128> m = new HashSet<>();
            for (U128 a : anchors.get(Field.SRC)) if (rnd.nextInt(3) == 0) m.add(a);
            setContents.put(s, m);
        }
    }

    private U128 addr(boolean v4) {
        return v4 ? U128.ofV4(rnd.nextInt(4) == 0 ? rnd.nextInt() : 0x0a000000 | rnd.nextInt(1 << 12))
                  : new U128(0x2001_0db8_0000_0000L | rnd.nextInt(4), rnd.nextInt(4) == 0 ? rnd.nextLong() : rnd.nextInt(1 << 12));
    }

    private IntervalSet prefix(boolean v4) {
        U128 a = addr(v4);
        int host = v4 ? rnd.nextInt(33) : rnd.nextInt(129);
        if (rnd.nextInt(3) == 0) host = v4 ? rnd.nextInt(8) : rnd.nextInt(12);
        U128 lo = a.andNotLowBits(host);
        return IntervalSet.of(new Interval(lo, lo.orLowBits(host)));
    }

    private IntervalSet address(Field f) {
        boolean v4 = rnd.nextInt(3) != 0;
        IntervalSet s = switch (rnd.nextInt(7)) {
            case 0, 1, 2 -> prefix(v4);
            case 3 -> prefix(v4).union(prefix(v4)).union(prefix(v4));
            case 4 -> (v4 ? Field.V4 : Field.V6).minus(prefix(v4)); // negation within a family
            case 5 -> v4 ? Field.V4 : Field.V6;
            default -> {
                U128 a = addr(v4), b = addr(v4);
                yield IntervalSet.of(new Interval(a.lt(b) ? a : b, a.lt(b) ? b : a));
            }
        };
        note(f, s);
        return s;
    }

    private IntervalSet small(Field f, int max) {
        List<Interval> iv = new ArrayList<>();
        int k = 1 + (rnd.nextInt(3) == 0 ? rnd.nextInt(4) : 0);
        for (int i = 0; i < k; i++) {
            int a = rnd.nextInt(max + 1), b = rnd.nextInt(3) == 0 ? a : Math.min(max, a + rnd.nextInt(Math.max(1, max / 8)));
            iv.add(Interval.of(a, b));
        }
        IntervalSet s = IntervalSet.of(iv);
        if (rnd.nextInt(5) == 0) s = s.complement(f.universe());
        if (s.isEmpty()) s = IntervalSet.range(0, 0);
        note(f, s);
        return s;
    }

    private IntervalSet iface(Field f) {
        String name = IFACES[1 + rnd.nextInt(IFACES.length - 1)];
        IntervalSet s = rnd.nextBoolean() ? IntervalSet.point(U128.ofIfName(name))
                : IntervalSet.of(new Interval(U128.ofIfName(name), U128.ifPrefixEnd(name)));
        if (rnd.nextInt(5) == 0) s = s.complement(f.universe());
        note(f, s);
        return s;
    }

    private void note(Field f, IntervalSet s) {
        TreeSet<U128> a = anchors.get(f);
        for (Interval i : s.intervals()) {
            a.add(i.lo());
            a.add(i.hi());
            if (!i.lo().equals(U128.ZERO)) a.add(i.lo().minusOne());
            if (!i.hi().equals(U128.MAX)) a.add(i.hi().plusOne());
        }
    }

    private Term term() {
        EnumMap<Field, IntervalSet> m = new EnumMap<>(Field.class);
        if (rnd.nextInt(3) != 0) m.put(Field.SRC, address(Field.SRC));
        if (rnd.nextInt(3) != 0) m.put(Field.DST, address(Field.DST));
        int proto = rnd.nextInt(6);
        if (proto < 3) {
            int pr = new int[] {Packet.TCP, Packet.UDP, Packet.SCTP}[proto];
            m.put(Field.PROTO, IntervalSet.point(U128.of(pr)));
            note(Field.PROTO, m.get(Field.PROTO));
            if (rnd.nextBoolean()) m.put(Field.DPORT, small(Field.DPORT, 65535));
            if (rnd.nextInt(3) == 0) m.put(Field.SPORT, small(Field.SPORT, 65535));
            if (pr == Packet.TCP && rnd.nextInt(4) == 0) m.put(Field.TCP_FLAGS, small(Field.TCP_FLAGS, 255));
        } else if (proto == 3) {
            m.put(Field.PROTO, IntervalSet.point(U128.of(rnd.nextBoolean() ? Packet.ICMP : Packet.ICMPV6)));
            note(Field.PROTO, m.get(Field.PROTO));
            if (rnd.nextBoolean()) m.put(Field.ICMP_TYPE, small(Field.ICMP_TYPE, 255));
            if (rnd.nextInt(3) == 0) m.put(Field.ICMP_CODE, small(Field.ICMP_CODE, 255));
        } else if (proto == 4) {
            m.put(Field.PROTO, small(Field.PROTO, 255));
        }
        if (rnd.nextInt(3) == 0) m.put(Field.STATE, small(Field.STATE, 3));
        if (rnd.nextInt(4) == 0) m.put(Field.IIF, iface(Field.IIF));
        if (rnd.nextInt(5) == 0) m.put(Field.OIF, iface(Field.OIF));
        SetMatch src = rnd.nextInt(8) == 0 ? new SetMatch(SETS[rnd.nextInt(2)], rnd.nextBoolean()) : null;
        SetMatch dst = rnd.nextInt(10) == 0 ? new SetMatch(SETS[rnd.nextInt(2)], rnd.nextBoolean()) : null;
        return new Term(m, src, dst);
    }

    private U128 value(Field f) {
        TreeSet<U128> a = anchors.get(f);
        if (!a.isEmpty() && rnd.nextInt(4) != 0) {
            U128[] arr = a.toArray(new U128[0]);
            U128 v = arr[rnd.nextInt(arr.length)];
            if (f.bits < 128 && !v.lt(U128.ZERO.orLowBits(f.bits).plusOne())) return U128.ZERO.orLowBits(f.bits);
            return v;
        }
        return null;
    }

    private int narrow(Field f, int max) {
        U128 v = value(f);
        return v != null ? (int) Math.min(max, v.lo()) : rnd.nextInt(max + 1);
    }

    private U128 address(Field f, boolean v4) {
        U128 v = value(f);
        if (v != null && v.isV4Mapped() == v4) return v;
        return addr(v4);
    }

    private String ifname(Field f) {
        U128 v = value(f);
        if (v != null && rnd.nextBoolean()) {
            String n = v.toIfName();
            if (n.length() <= 15 && U128.ofIfName(n).equals(v)) return n;
        }
        return IFACES[rnd.nextInt(IFACES.length)];
    }

    Packet packet() {
        boolean v4 = rnd.nextInt(3) != 0;
        return new Packet(address(Field.SRC, v4), address(Field.DST, v4), rnd.nextInt(4) == 0 ? rnd.nextInt(256) : narrow(Field.PROTO, 255),
                narrow(Field.SPORT, 65535), narrow(Field.DPORT, 65535), narrow(Field.ICMP_TYPE, 255),
                narrow(Field.ICMP_CODE, 255), narrow(Field.TCP_FLAGS, 255), ConnState.values()[narrow(Field.STATE, 3)],
                ifname(Field.IIF), ifname(Field.OIF));
    }

    Hook hook() { return policy.chains().get(rnd.nextInt(policy.chains().size())).hook(); }
}
