// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.classbench;

import dev.rampart.dsl.eval.Packet;
import dev.rampart.dsl.ir.ConnState;
import dev.rampart.dsl.ir.Field;
import dev.rampart.dsl.ir.Hook;
import dev.rampart.dsl.ir.Interval;
import dev.rampart.dsl.ir.IntervalSet;
import dev.rampart.dsl.ir.IrChain;
import dev.rampart.dsl.ir.IrPolicy;
import dev.rampart.dsl.ir.IrRule;
import dev.rampart.dsl.ir.RejectKind;
import dev.rampart.dsl.ir.Term;
import dev.rampart.dsl.ir.U128;
import dev.rampart.dsl.ir.Verdict;
import dev.rampart.dsl.source.SourceFile;
import dev.rampart.dsl.source.Span;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * ClassBench-like rule sets and traces of our own, so tests and benchmarks never depend on files
 * outside the repository. The three families follow the shapes ClassBench's seeds give (measured
 * on acl1/fw1/ipc1: share of rules whose source or destination is narrower than a /16, exact or
 * ranged ports): acl = both addresses narrow, exact destination ports; fw = mostly wildcard
 * sources and wide port ranges (the hard case for trees); ipc = narrow addresses with a mix of
 * ranges. Addresses cluster under a few hundred random bases as real address plans do. IPv6
 * variants put the same structure under 2001:db8::/32 with prefix lengths scaled.
 */
public final class RuleSetGenerator {
    private RuleSetGenerator() {}

    public enum Kind { ACL, FW, IPC }

    /** A generated rule set: a forward chain, drop by policy, rule N has id {@code cb<N>}. */
    public static IrPolicy rules(Kind kind, boolean ipv6, int count, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        long[] bases = new long[Math.max(8, count / 40)];
        for (int i = 0; i < bases.length; i++) bases[i] = rnd.nextLong() & 0xffff_ffffL;
        SourceFile file = new SourceFile("generated:" + kind.name().toLowerCase(java.util.Locale.ROOT), "");
        Span span = Span.of(file, 0, 0);
        List<IrRule> rules = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            EnumMap<Field, IntervalSet> f = new EnumMap<>(Field.class);
            int srcLen, dstLen;
            switch (kind) {
                case ACL -> {
                    srcLen = pick(rnd, new int[] {32, 32, 28, 24, 24, 16, 0});
                    dstLen = pick(rnd, new int[] {32, 32, 32, 30, 24, 24, 20});
                }
                case FW -> {
                    srcLen = pick(rnd, new int[] {0, 0, 0, 0, 0, 8, 16, 24, 32, 32});
                    dstLen = pick(rnd, new int[] {32, 32, 32, 32, 24, 24, 16, 8, 0});
                }
                default -> {
                    srcLen = pick(rnd, new int[] {32, 32, 24, 24, 20, 16, 8, 0});
                    dstLen = pick(rnd, new int[] {32, 32, 32, 24, 24, 16, 8});
                }
            }
            f.put(Field.SRC, prefix(rnd, bases, srcLen, ipv6));
            f.put(Field.DST, prefix(rnd, bases, dstLen, ipv6));
            int proto = kind == Kind.FW ? pick(rnd, new int[] {6, 6, 6, 17, 17, -1}) : pick(rnd, new int[] {6, 6, 6, 17, 1, -1});
            f.put(Field.PROTO, proto < 0 ? Field.PROTO.universe() : IntervalSet.point(U128.of(proto)));
            f.put(Field.SPORT, port(rnd, kind == Kind.FW ? 0.35 : kind == Kind.IPC ? 0.2 : 0.02, 0.05));
            f.put(Field.DPORT, port(rnd, kind == Kind.ACL ? 0.15 : kind == Kind.FW ? 0.25 : 0.5,
                    kind == Kind.ACL ? 0.8 : kind == Kind.FW ? 0.55 : 0.35));
            String id = ClassBench.ruleId(i);
            rules.add(new IrRule(id, IrRule.numericIdOf(id), false, Verdict.ACCEPT, RejectKind.AUTO, false, false, null,
                    List.of(new Term(f, null, null)), span));
        }
        return new IrPolicy(List.of(new IrChain(Hook.FORWARD, Verdict.DROP, rules, span)), Map.of(), List.of());
    }

    private static int pick(SplittableRandom rnd, int[] choices) { return choices[rnd.nextInt(choices.length)]; }

    private static IntervalSet prefix(SplittableRandom rnd, long[] bases, int len4, boolean ipv6) {
        long base = bases[rnd.nextInt(bases.length)];
        // Below the /16 of the base, vary the low bits so rules share upper prefixes but differ below.
        long a = (base & 0xffff_0000L) | (rnd.nextLong() & 0xffffL);
        if (!ipv6) {
            U128 lo = U128.ofV4((int) a).andNotLowBits(32 - len4);
            return IntervalSet.of(new Interval(lo, lo.orLowBits(32 - len4)));
        }
        int len6 = len4 == 0 ? 0 : Math.min(128, 32 + len4 * 3);
        U128 v = new U128(0x2001_0db8_0000_0000L | (a & 0xffff_ffffL), rnd.nextLong());
        U128 lo = v.andNotLowBits(128 - len6);
        return IntervalSet.of(new Interval(lo, lo.orLowBits(128 - len6)));
    }

    private static final int[] WELL_KNOWN = {20, 21, 22, 23, 25, 53, 80, 110, 123, 135, 139, 143, 161, 389, 443, 445,
        993, 995, 1433, 1521, 1723, 3306, 3389, 5060, 5432, 8080, 8443};

    /** Wildcard with probability pWild, else exact with probability pExact, else a range. */
    private static IntervalSet port(SplittableRandom rnd, double pWild, double pExact) {
        double x = rnd.nextDouble();
        if (x < pWild) return Field.SPORT.universe();
        if (x < pWild + pExact) {
            int p = rnd.nextInt(4) == 0 ? rnd.nextInt(65536) : WELL_KNOWN[rnd.nextInt(WELL_KNOWN.length)];
            return IntervalSet.range(p, p);
        }
        return switch (rnd.nextInt(4)) {
            case 0 -> IntervalSet.range(1024, 65535);
            case 1 -> IntervalSet.range(0, 1023);
            default -> {
                int lo = rnd.nextInt(65536), hi = Math.min(65535, lo + rnd.nextInt(4096));
                yield IntervalSet.range(lo, hi);
            }
        };
    }

    /**
     * A trace: about {@code perRule} headers per rule, each drawn inside one rule's box (random
     * rule, random point, occasionally the box's corners), as ClassBench's trace generator does.
     */
    public static List<Packet> trace(IrPolicy p, int count, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<IrRule> rules = p.chains().get(0).rules();
        List<Packet> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Term t = rules.get(rnd.nextInt(rules.size())).terms().get(0);
            boolean corner = rnd.nextInt(8) == 0;
            U128 src = point(rnd, t.get(Field.SRC), corner), dst = point(rnd, t.get(Field.DST), corner);
            int proto = (int) point(rnd, t.get(Field.PROTO), false).lo();
            if (t.get(Field.PROTO).equals(Field.PROTO.universe())) proto = rnd.nextBoolean() ? 6 : 17;
            int sport = (int) point(rnd, t.get(Field.SPORT), corner).lo(), dport = (int) point(rnd, t.get(Field.DPORT), corner).lo();
            out.add(new Packet(src, dst, proto, sport, dport, 0, 0, 0, ConnState.NEW, "", ""));
        }
        return out;
    }

    static U128 point(SplittableRandom rnd, IntervalSet s, boolean corner) {
        Interval iv = s.intervals().get(rnd.nextInt(s.intervals().size()));
        if (corner) return rnd.nextBoolean() ? iv.lo() : iv.hi();
        if (iv.lo().hi() == iv.hi().hi()) {
            long span = iv.hi().lo() - iv.lo().lo();
            long off = span == -1L ? rnd.nextLong() : Long.remainderUnsigned(rnd.nextLong(), span + 1);
            return new U128(iv.lo().hi(), iv.lo().lo() + off);
        }
        long spanHi = iv.hi().hi() - iv.lo().hi();
        long h = iv.lo().hi() + (spanHi == -1L ? rnd.nextLong() : Long.remainderUnsigned(rnd.nextLong(), spanHi + 1));
        U128 v = new U128(h, rnd.nextLong());
        if (v.lt(iv.lo())) return iv.lo();
        if (iv.hi().lt(v)) return iv.hi();
        return v;
    }
}
