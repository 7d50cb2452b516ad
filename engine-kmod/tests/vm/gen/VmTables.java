// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The tables the VM tests load, compiled by the project's own TableCompiler from IR built here,
 * and the conformance workload: random keys with the reference evaluator's answer for each.
 *
 *   java -cp rule-dsl/target/classes engine-kmod/tests/vm/gen/VmTables.java OUTDIR [KEYS]
 *
 * Writes OUTDIR/NAME.bin for every table, OUTDIR/ids.txt ("TABLE RULE HEXID" lines, what the
 * cases grep for counters), OUTDIR/generations.txt ("TABLE HEXGEN"), and for conformance
 * conf.bin, conf.keys (KeyCodec format) and conf.expect ("VERDICT RULE_ID" per key, from
 * ReferenceEvaluator). The topology these tables assume is drawn in tests/vm/lib.sh.
 */

import dev.rampart.dsl.eval.Packet;
import dev.rampart.dsl.eval.ReferenceEvaluator;
import dev.rampart.dsl.eval.SetContents;
import dev.rampart.dsl.eval.Evaluation;
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
import dev.rampart.dsl.table.KeyCodec;
import dev.rampart.dsl.table.PolicyHash;
import dev.rampart.dsl.table.TableCompiler;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

public final class VmTables {
    static final Span SPAN = new Span(new SourceFile("vm-tables", ""), 0, 0);
    static final int TCP = 6, UDP = 17, ICMP = 1, ICMPV6 = 58;

    static final StringBuilder ids = new StringBuilder(), gens = new StringBuilder();

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        int nkeys = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        Files.createDirectories(out);
        write(out, "basic", basic());
        write(out, "state", state());
        write(out, "swap_a", swap(false));
        write(out, "swap_b", swap(true));
        write(out, "v6", v6());
        write(out, "ns_a", nsTable(true));
        write(out, "ns_b", nsTable(false));
        write(out, "sets", sets());
        write(out, "flowlog", flowlog(true));
        write(out, "flowlog_quiet", flowlog(false));
        conformance(out, nkeys);
        Files.writeString(out.resolve("ids.txt"), ids.toString());
        Files.writeString(out.resolve("generations.txt"), gens.toString());
    }

    // ---- building blocks -------------------------------------------------------------------

    static IntervalSet cidr(String s) {
        try {
            String[] p = s.split("/");
            byte[] b = InetAddress.getByName(p[0]).getAddress();
            U128 a = U128.ofBytes(b);
            int len = Integer.parseInt(p[1]) + (b.length == 4 ? 96 : 0);
            return IntervalSet.of(new Interval(a.andNotLowBits(128 - len), a.orLowBits(128 - len)));
        } catch (IOException e) {
            throw new IllegalArgumentException(s, e);
        }
    }

    static IntervalSet pt(long v) { return IntervalSet.range(v, v); }

    static IntervalSet ifname(String n) { return IntervalSet.point(U128.ofIfName(n)); }

    static Map<Field, IntervalSet> m(Object... kv) {
        Map<Field, IntervalSet> r = new EnumMap<>(Field.class);
        for (int i = 0; i < kv.length; i += 2) r.put((Field) kv[i], (IntervalSet) kv[i + 1]);
        return r;
    }

    static Term t(Object... kv) { return new Term(m(kv), null, null); }

    static IrRule rule(String name, Verdict v, Term... terms) {
        return rule(name, v, RejectKind.AUTO, terms);
    }

    static IrRule rule(String name, Verdict v, RejectKind rk, Term... terms) {
        return new IrRule(name, IrRule.numericIdOf(name), true, v, rk, false, true, null, List.of(terms), SPAN);
    }

    /** A rule with the log flag: its packets go to the kernel's flow log. */
    static IrRule logged(String name, Verdict v, RejectKind rk, Term... terms) {
        return new IrRule(name, IrRule.numericIdOf(name), true, v, rk, true, true, null, List.of(terms), SPAN);
    }

    static IrChain chain(Hook h, Verdict policy, IrRule... rules) {
        return new IrChain(h, policy, List.of(rules), SPAN);
    }

    static IrPolicy policy(Map<String, DynSet> sets, IrChain... chains) {
        return new IrPolicy(List.of(chains), sets, List.of());
    }

    static void write(Path out, String name, IrPolicy p) throws IOException {
        Files.write(out.resolve(name + ".bin"), TableCompiler.compile(p));
        for (IrChain c : p.chains())
            for (IrRule r : c.rules()) ids.append(name).append(' ').append(r.id()).append(' ')
                    .append(String.format("%08x", r.numericId())).append('\n');
        gens.append(name).append(' ').append(String.format("%016x", PolicyHash.of(p))).append('\n');
    }

    /** Both families of one service: a term per family, as lowering does. */
    static Term[] svc(int proto, int port) {
        return new Term[] {t(Field.PROTO, pt(proto), Field.DPORT, pt(port))};
    }

    // ---- the tables ------------------------------------------------------------------------

    /**
     * The flow log's test table (12-flowlog): logged accept, drop and reject rules for UDP, TCP and
     * ICMP on forward, one logged rule on input, and rules that are not logged. With log false the
     * same rules without the log flag: the datapath bench's baseline for the cost of logging
     * (fl-bench is the rule the bench's flow hits).
     */
    static IrPolicy flowlog(boolean log) {
        RejectKind auto = RejectKind.AUTO;
        return policy(Map.of(),
                chain(Hook.FORWARD, Verdict.ACCEPT,
                        lr(log, "fl-udp", Verdict.ACCEPT, auto, t(Field.PROTO, pt(UDP), Field.DPORT, pt(5001))),
                        lr(log, "fl-udp-drop", Verdict.DROP, auto, t(Field.PROTO, pt(UDP), Field.DPORT, pt(5002))),
                        rule("fl-quiet", Verdict.ACCEPT, svc(UDP, 5003)),
                        rule("fl-quiet-drop", Verdict.DROP, svc(UDP, 5004)),
                        lr(log, "fl-tcp-drop", Verdict.DROP, auto, t(Field.PROTO, pt(TCP), Field.DPORT, pt(6002))),
                        lr(log, "fl-tcp-reset", Verdict.REJECT, RejectKind.TCP_RESET,
                                t(Field.PROTO, pt(TCP), Field.DPORT, pt(6003))),
                        lr(log, "fl-ping", Verdict.ACCEPT, auto, t(Field.PROTO, pt(ICMP), Field.ICMP_TYPE, pt(8)),
                                t(Field.PROTO, pt(ICMPV6), Field.ICMP_TYPE, pt(128))),
                        lr(log, "fl-bench", Verdict.ACCEPT, auto, t(Field.PROTO, pt(UDP), Field.DPORT, pt(9000)))),
                chain(Hook.INPUT, Verdict.ACCEPT,
                        lr(log, "fl-in", Verdict.ACCEPT, auto, t(Field.PROTO, pt(UDP), Field.DPORT, pt(5101)))));
    }

    static IrRule lr(boolean log, String name, Verdict v, RejectKind rk, Term... terms) {
        return log ? logged(name, v, rk, terms) : rule(name, v, rk, terms);
    }

    /** Accept, drop and reject per port on forward; one input and one output rule on the router. */
    static IrPolicy basic() {
        return policy(Map.of(),
                chain(Hook.FORWARD, Verdict.ACCEPT,
                        rule("udp-accept", Verdict.ACCEPT, svc(UDP, 5001)),
                        rule("udp-drop", Verdict.DROP, svc(UDP, 5002)),
                        rule("udp-reject", Verdict.REJECT, svc(UDP, 5003)),
                        rule("tcp-accept", Verdict.ACCEPT, svc(TCP, 6001)),
                        rule("tcp-drop", Verdict.DROP, svc(TCP, 6002)),
                        rule("tcp-reject", Verdict.REJECT, svc(TCP, 6003)),
                        rule("ping-drop", Verdict.DROP, t(Field.PROTO, pt(ICMP), Field.ICMP_TYPE, pt(8),
                                Field.DST, cidr("10.0.2.2/32"))),
                        rule("udp-admin", Verdict.REJECT, RejectKind.ICMP_ADMIN_PROHIBITED, svc(UDP, 5004))),
                chain(Hook.INPUT, Verdict.ACCEPT,
                        rule("in-drop", Verdict.DROP, svc(UDP, 5101))),
                chain(Hook.OUTPUT, Verdict.ACCEPT,
                        rule("out-drop", Verdict.DROP, svc(UDP, 5201))));
    }

    /** Only replies come back: new connections only from the client side. */
    static IrPolicy state() {
        return policy(Map.of(),
                chain(Hook.FORWARD, Verdict.DROP,
                        rule("replies", Verdict.ACCEPT, t(Field.STATE, IntervalSet.range(1, 2))),
                        rule("from-client", Verdict.ACCEPT, t(Field.IIF, ifname("rt-c"), Field.STATE, pt(0)))));
    }

    /** Two different tables that agree on the stream (udp to and from 7000 accepted by a rule). */
    static IrPolicy swap(boolean b) {
        List<IrRule> rules = new ArrayList<>();
        if (b) rules.add(rule("b-tcp-drop", Verdict.DROP, svc(TCP, 1234)));
        rules.add(rule(b ? "b-stream" : "a-stream", Verdict.ACCEPT,
                t(Field.PROTO, pt(UDP), Field.DPORT, pt(7000)), t(Field.PROTO, pt(UDP), Field.SPORT, pt(7000))));
        if (!b) rules.add(rule("a-udp-drop", Verdict.DROP, svc(UDP, 7001)));
        return policy(Map.of(), chain(Hook.FORWARD, b ? Verdict.DROP : Verdict.ACCEPT, rules.toArray(IrRule[]::new)));
    }

    static IrPolicy v6() {
        return policy(Map.of(),
                chain(Hook.FORWARD, Verdict.ACCEPT,
                        rule("v6-drop", Verdict.DROP, t(Field.PROTO, pt(UDP), Field.DPORT, pt(7777),
                                Field.DST, cidr("fd00:2::/64"))),
                        rule("v6-no-ports", Verdict.ACCEPT, t(Field.PROTO, pt(UDP), Field.DPORT, pt(0),
                                Field.SPORT, pt(0))),
                        rule("v6-reject", Verdict.REJECT, svc(UDP, 7779))));
    }

    /** ns_a filters the router's forward hook, ns_b the server's own input. */
    static IrPolicy nsTable(boolean a) {
        return policy(Map.of(), chain(a ? Hook.FORWARD : Hook.INPUT, Verdict.ACCEPT,
                rule(a ? "ns-a-drop" : "ns-b-drop", Verdict.DROP, svc(UDP, a ? 5001 : 5002))));
    }

    static IrPolicy sets() {
        DynSet block = new DynSet("blocklist", Field.V4.union(Field.V6), 4, 0, SPAN);
        Term blocked = new Term(m(), new SetMatch("blocklist", false), null);
        return policy(Map.of("blocklist", block), chain(Hook.FORWARD, Verdict.ACCEPT,
                rule("blocked", Verdict.DROP, blocked)));
    }

    // ---- conformance -----------------------------------------------------------------------

    static final String[] IFS = {"", "eth0", "eth1", "rt-c", "rt-s", "wan0", "wan1", "lan0"};
    static final int[] PROTOS = {TCP, UDP, ICMP, ICMPV6, 132, 47};

    static void conformance(Path out, int nkeys) throws IOException {
        Random rnd = new Random(20261122);
        Map<String, DynSet> dyn = new LinkedHashMap<>();
        dyn.put("confset", new DynSet("confset", Field.V4.union(Field.V6), 64, 0, SPAN));
        List<IrChain> chains = new ArrayList<>();
        for (Hook h : Hook.values()) {
            List<IrRule> rules = new ArrayList<>();
            int n = 400 + rnd.nextInt(200);
            for (int i = 0; i < n; i++) rules.add(randomRule(rnd, h + "-r" + i));
            chains.add(new IrChain(h, rnd.nextBoolean() ? Verdict.ACCEPT : Verdict.DROP, rules, SPAN));
        }
        IrPolicy p = new IrPolicy(chains, dyn, List.of());
        write(out, "conf", p);

        Set<U128> members = new LinkedHashSet<>();
        for (int i = 0; i < 6; i++) members.add(randomAddr(rnd, i % 2 == 0));
        Map<String, Set<U128>> setMap = Map.of("confset", members);
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out.resolve("confset.txt")))) {
            for (U128 a : members) w.println(a.toAddressString());
        }
        SetContents contents = SetContents.of(setMap);

        List<Hook> hooks = new ArrayList<>();
        List<Packet> packets = new ArrayList<>();
        StringBuilder expect = new StringBuilder();
        for (int i = 0; i < nkeys; i++) {
            Hook h = Hook.values()[rnd.nextInt(3)];
            IrChain c = chains.get(h.ordinal());
            Packet pk = rnd.nextInt(10) == 0 ? randomPacket(rnd, h, members)
                    : packetNear(rnd, h, c.rules().get(rnd.nextInt(c.rules().size())), members);
            hooks.add(h);
            packets.add(pk);
            Evaluation e = ReferenceEvaluator.evaluate(c, pk, contents);
            expect.append(e.verdict().ordinal()).append(' ').append(e.rule() == null ? 0 : e.rule().numericId()).append('\n');
        }
        try (OutputStream os = Files.newOutputStream(out.resolve("conf.keys"))) {
            KeyCodec.write(os, hooks, packets, setMap, Map.of("confset", 0));
        }
        Files.writeString(out.resolve("conf.expect"), expect.toString());
    }

    static U128 randomAddr(Random r, boolean v4) {
        if (v4) return U128.ofV4(r.nextBoolean() ? (10 << 24) | r.nextInt(1 << 16) : r.nextInt());
        return new U128(0xfd00_0000_0000_0000L | (r.nextInt(16) & 0xffL) << 32, r.nextLong());
    }

    static IntervalSet randomPrefix(Random r, boolean v4) {
        U128 a = randomAddr(r, v4);
        int len = v4 ? 96 + new int[] {8, 16, 24, 32, 0}[r.nextInt(5)] : new int[] {16, 48, 64, 128}[r.nextInt(4)];
        return IntervalSet.of(new Interval(a.andNotLowBits(128 - len), a.orLowBits(128 - len)));
    }

    static IntervalSet randomRange(Random r, int bits) {
        int max = (1 << bits) - 1;
        int lo = r.nextInt(max + 1), hi = Math.min(max, lo + (r.nextBoolean() ? 0 : r.nextInt(2000)));
        IntervalSet s = IntervalSet.range(lo, hi);
        if (r.nextInt(4) == 0) {
            int lo2 = r.nextInt(max + 1);
            s = s.union(IntervalSet.range(lo2, Math.min(max, lo2 + r.nextInt(50))));
        }
        return s;
    }

    static IrRule randomRule(Random r, String name) {
        List<Term> terms = new ArrayList<>();
        int nt = 1 + (r.nextInt(4) == 0 ? 1 : 0);
        for (int i = 0; i < nt; i++) {
            Map<Field, IntervalSet> f = new EnumMap<>(Field.class);
            boolean v4 = r.nextInt(3) != 0;
            IntervalSet fam = v4 ? Field.V4 : Field.V6;
            f.put(Field.SRC, r.nextInt(3) == 0 ? fam : randomPrefix(r, v4));
            f.put(Field.DST, r.nextInt(3) == 0 ? fam : randomPrefix(r, v4));
            int proto = PROTOS[r.nextInt(PROTOS.length)];
            if (r.nextInt(6) > 0) f.put(Field.PROTO, pt(proto));
            if (f.containsKey(Field.PROTO) && (proto == TCP || proto == UDP || proto == 132)) {
                if (r.nextBoolean()) f.put(Field.DPORT, randomRange(r, 16));
                if (r.nextInt(4) == 0) f.put(Field.SPORT, randomRange(r, 16));
                if (proto == TCP && r.nextInt(5) == 0) f.put(Field.TCP_FLAGS, pt(2));
            }
            if (f.containsKey(Field.PROTO) && (proto == ICMP || proto == ICMPV6) && r.nextBoolean())
                f.put(Field.ICMP_TYPE, pt(r.nextInt(4) == 0 ? 0 : 8));
            if (r.nextInt(4) == 0) f.put(Field.STATE, IntervalSet.range(r.nextInt(2), 1 + r.nextInt(3)));
            if (r.nextInt(5) == 0) f.put(Field.IIF, ifname(IFS[1 + r.nextInt(IFS.length - 1)]));
            if (r.nextInt(8) == 0) f.put(Field.OIF, IntervalSet.of(new Interval(U128.ofIfName("wan"), U128.ifPrefixEnd("wan"))));
            SetMatch sm = r.nextInt(25) == 0 ? new SetMatch("confset", r.nextInt(3) == 0) : null;
            terms.add(new Term(f, sm, null));
        }
        Verdict v = Verdict.values()[r.nextInt(3)];
        return new IrRule(name, IrRule.numericIdOf(name), true, v, RejectKind.AUTO, false, true, null, terms, SPAN);
    }

    static U128 pick(Random r, IntervalSet s) {
        List<Interval> iv = s.intervals();
        Interval i = iv.get(r.nextInt(iv.size()));
        BigInteger lo = big(i.lo()), span = big(i.hi()).subtract(lo);
        BigInteger off = new BigInteger(130, r).mod(span.add(BigInteger.ONE));
        if (r.nextInt(5) == 0) off = r.nextBoolean() ? BigInteger.ZERO : span;
        BigInteger v = lo.add(off);
        return new U128(v.shiftRight(64).longValue(), v.longValue());
    }

    static BigInteger big(U128 u) {
        return new BigInteger(Long.toUnsignedString(u.hi())).shiftLeft(64).add(new BigInteger(Long.toUnsignedString(u.lo())));
    }

    /** A packet inside one term of the rule, then sometimes nudged out of it in one field. */
    static Packet packetNear(Random r, Hook h, IrRule rule, Set<U128> members) {
        Term t = rule.terms().get(r.nextInt(rule.terms().size()));
        U128 src = pick(r, t.get(Field.SRC)), dst = pick(r, t.get(Field.DST));
        if (src.isV4Mapped() != dst.isV4Mapped()) dst = src.isV4Mapped() ? randomAddr(r, true) : randomAddr(r, false);
        if (t.srcSet() != null && r.nextBoolean()) src = members.iterator().next();
        int proto = (int) pick(r, t.get(Field.PROTO)).lo();
        return finish(r, h, src, dst, proto, t);
    }

    static Packet randomPacket(Random r, Hook h, Set<U128> members) {
        boolean v4 = r.nextBoolean();
        return finish(r, h, randomAddr(r, v4), randomAddr(r, v4), PROTOS[r.nextInt(PROTOS.length)], Term.any());
    }

    static Packet finish(Random r, Hook h, U128 src, U128 dst, int proto, Term t) {
        boolean ports = Packet.hasPorts(proto), icmp = proto == ICMP || proto == ICMPV6;
        int sport = ports ? (int) pick(r, t.get(Field.SPORT).intersect(IntervalSet.range(1, 65535)).isEmpty()
                ? IntervalSet.range(1, 65535) : t.get(Field.SPORT).intersect(IntervalSet.range(1, 65535))).lo() : 0;
        int dport = ports ? (int) pick(r, t.get(Field.DPORT).intersect(IntervalSet.range(1, 65535)).isEmpty()
                ? IntervalSet.range(1, 65535) : t.get(Field.DPORT).intersect(IntervalSet.range(1, 65535))).lo() : 0;
        int type = icmp ? (int) pick(r, t.get(Field.ICMP_TYPE)).lo() : 0;
        int code = icmp ? r.nextInt(4) : 0;
        int flags = proto == TCP ? (int) pick(r, t.get(Field.TCP_FLAGS)).lo() : 0;
        ConnState st = ConnState.values()[(int) pick(r, t.get(Field.STATE)).lo()];
        String in = h == Hook.OUTPUT ? "" : IFS[1 + r.nextInt(IFS.length - 1)];
        String out = h == Hook.INPUT ? "" : IFS[1 + r.nextInt(IFS.length - 1)];
        switch (r.nextInt(8)) {
            case 0 -> dport = ports ? r.nextInt(65536) : dport;
            case 1 -> src = randomAddr(r, src.isV4Mapped());
            case 2 -> st = ConnState.values()[r.nextInt(4)];
            default -> { }
        }
        return new Packet(src, dst, proto, sport, dport, type, code, flags, st, in, out);
    }
}
