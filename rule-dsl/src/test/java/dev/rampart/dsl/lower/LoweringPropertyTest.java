// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.lower;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rampart.dsl.Pipeline;
import dev.rampart.dsl.eval.Evaluation;
import dev.rampart.dsl.eval.Packet;
import dev.rampart.dsl.eval.ReferenceEvaluator;
import dev.rampart.dsl.eval.SetContents;
import dev.rampart.dsl.ir.ConnState;
import dev.rampart.dsl.ir.Hook;
import dev.rampart.dsl.ir.IrChain;
import dev.rampart.dsl.ir.U128;
import dev.rampart.dsl.source.DiagnosticRenderer;
import dev.rampart.dsl.source.SourceFile;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Random policies, rendered as text and compiled, against an interpreter of the language written
 * directly over the generator's own model (prefixes as big integers, ports as pairs, interface
 * patterns as string prefixes): no IntervalSet, no IR, no checker code. Packets are biased to the
 * edges of the prefixes, ranges and names the policy uses.
 */
class LoweringPropertyTest {
    static final String[] IFACES = {"lan0", "lan1", "wan0", "wan", "wa", "eth0", "dmz3"};
    static final String[] IF_PATTERNS = {"lan0", "wan*", "eth*", "lan*", "dmz3"};
    static final int[] PROTOS = {6, 17, 1, 58, 132, 47, 0};
    /** name, icmp (IPv4) number, icmpv6 number; -1 where the family has no such name. */
    static final Object[][] ICMP_NAMES = {{"echo-request", 8, 128}, {"echo-reply", 0, 129},
        {"destination-unreachable", 3, 1}, {"time-exceeded", 11, 3}, {"packet-too-big", -1, 2}, {"redirect", 5, -1}};

    record Pfx(BigInteger base, int len, boolean v6) {
        BigInteger first() { return base; }

        BigInteger last() { return base.add(BigInteger.ONE.shiftLeft((v6 ? 128 : 32) - len)).subtract(BigInteger.ONE); }

        boolean contains(Packet p, U128 a) {
            boolean av6 = !a.isV4Mapped();
            if (av6 != v6) return false;
            BigInteger x = new BigInteger(1, a.toBytes());
            if (!v6) x = x.and(BigInteger.valueOf(0xffffffffL));
            return x.compareTo(first()) >= 0 && x.compareTo(last()) <= 0;
        }

        String text() {
            if (!v6) {
                long v = base.longValue();
                return (v >>> 24) + "." + ((v >>> 16) & 255) + "." + ((v >>> 8) & 255) + "." + (v & 255) + "/" + len;
            }
            byte[] b = base.toByteArray();
            byte[] full = new byte[16];
            System.arraycopy(b, Math.max(0, b.length - 16), full, Math.max(0, 16 - b.length), Math.min(16, b.length));
            return new U128(new BigInteger(1, full).shiftRight(64).longValue(), new BigInteger(1, full).longValue()).toAddressString() + "/" + len;
        }
    }

    /** from/to: any of the prefixes (and the dynamic set), possibly negated as a whole; null = no match. */
    record Addr(boolean neg, List<Pfx> pfx, String net, boolean dyn) {
        boolean matches(Packet p, U128 a, Set<U128> set) {
            boolean in = pfx.stream().anyMatch(x -> x.contains(p, a)) || (dyn && set.contains(a));
            return neg != in;
        }

        String text() {
            List<String> items = new ArrayList<>();
            if (net != null) items.add(net);
            else pfx.forEach(x -> items.add(x.text()));
            if (dyn) items.add("@bl");
            String list = String.join(", ", items);
            return neg ? (items.size() == 1 ? "!" + list : "!{ " + list + " }") : list;
        }
    }

    record Ports(boolean neg, List<int[]> ranges) {
        boolean matches(int v) {
            boolean in = ranges.stream().anyMatch(r -> r[0] <= v && v <= r[1]);
            return neg != in;
        }

        String text() {
            List<String> items = new ArrayList<>();
            for (int[] r : ranges) items.add(r[0] == r[1] ? "" + r[0] : r[0] + "-" + r[1]);
            String list = String.join(", ", items);
            return neg ? (items.size() == 1 ? "!" + list : "!{ " + list + " }") : list;
        }
    }

    record Svc(String name, int proto, Ports ports) {}

    static final class R {
        String name;
        List<String> in;
        Addr src, dst;
        List<Integer> protos;
        Ports sport, dport;
        List<Integer> states;
        int[] flags;
        List<Object[]> icmpTypes;
        List<Svc> services;
        String action;
    }

    final Random rnd = new Random(20261122L);

    @Test
    void loweredPolicyAgreesWithTheModelInterpreter() {
        int compiled = 0, packets = 0, decidedByRule = 0;
        for (int round = 0; round < 100; round++) {
            List<Pfx> pool = new ArrayList<>();
            for (int i = 0; i < 6; i++) pool.add(randomPfx());
            List<Svc> services = List.of(new Svc("s0", 6, randomPorts(false)), new Svc("s1", 17, randomPorts(false)),
                    new Svc("s2", 132, null));
            List<R> rules = new ArrayList<>();
            int n = 1 + rnd.nextInt(8);
            for (int i = 0; i < n; i++) rules.add(randomRule("r" + i, pool, services));
            String text = render(pool, services, rules);
            Pipeline.Compiled c = Pipeline.run(new SourceFile("gen.rampart", text));
            if (!c.ok()) {
                // Only the family mismatch of independent random addresses is expected to be refused.
                assertTrue(c.diagnostics().all().stream().filter(d -> d.isError()).allMatch(d -> d.code().equals("family-mismatch")),
                        text + "\n" + DiagnosticRenderer.renderAll(c.diagnostics()));
                continue;
            }
            compiled++;
            IrChain chain = c.ir().chain(Hook.FORWARD).orElseThrow();
            for (int k = 0; k < 250; k++) {
                Set<U128> set = new HashSet<>();
                Packet p = randomPacket(pool, rules, set);
                Evaluation e = ReferenceEvaluator.evaluate(chain, p, SetContents.of(Map.of("bl", set)));
                String expected = "policy";
                for (R r : rules) {
                    if (matches(r, p, set)) {
                        expected = r.name;
                        break;
                    }
                }
                String actual = e.byPolicy() ? "policy" : e.rule().id();
                assertEquals(expected, actual, () -> text + "\npacket " + p + "\n" + p.describe());
                packets++;
                if (!actual.equals("policy")) decidedByRule++;
            }
        }
        assertTrue(compiled > 70, "too few generated policies compiled: " + compiled);
        assertTrue(decidedByRule > packets / 10, "packets rarely hit a rule (" + decidedByRule + " of " + packets + "): generator too sparse");
    }

    // ---- the model's meaning ---------------------------------------------------------------

    static boolean matches(R r, Packet p, Set<U128> set) {
        boolean v6 = !p.isV4();
        if (r.in != null && r.in.stream().noneMatch(pat -> ifMatch(pat, p.inIf()))) return false;
        if (r.src != null && !r.src.matches(p, p.src(), set)) return false;
        if (r.dst != null && !r.dst.matches(p, p.dst(), set)) return false;
        boolean protoNamed = r.protos != null || r.services != null;
        if (protoNamed && ((p.proto() == 1 && v6) || (p.proto() == 58 && !v6))) return false;
        if (r.protos != null && !r.protos.contains(p.proto())) return false;
        boolean ports = p.proto() == 6 || p.proto() == 17 || p.proto() == 132 || p.proto() == 136;
        if ((r.sport != null || r.dport != null) && !ports) return false;
        if (r.sport != null && !r.sport.matches(p.sport())) return false;
        if (r.dport != null && !r.dport.matches(p.dport())) return false;
        if (r.services != null && r.services.stream().noneMatch(s -> s.proto == p.proto() && (s.ports == null || s.ports.matches(p.dport())))) return false;
        if (r.states != null && !r.states.contains(p.state().ordinal())) return false;
        if (r.flags != null && (p.proto() != 6 || (p.tcpFlags() & r.flags[1]) != r.flags[0])) return false;
        if (r.icmpTypes != null) {
            if (p.proto() != (v6 ? 58 : 1)) return false;
            boolean any = false;
            for (Object[] t : r.icmpTypes) if ((int) t[v6 ? 2 : 1] == p.icmpType()) any = true;
            if (!any) return false;
        }
        return true;
    }

    static boolean ifMatch(String pattern, String name) {
        if (pattern.endsWith("*")) return !name.isEmpty() && name.startsWith(pattern.substring(0, pattern.length() - 1));
        return pattern.equals(name);
    }

    // ---- generation ------------------------------------------------------------------------

    Pfx randomPfx() {
        boolean v6 = rnd.nextInt(4) == 0;
        if (!v6) {
            int len = rnd.nextInt(33);
            long a = (10L << 24) | (rnd.nextInt(4) << 16) | rnd.nextInt(1 << 16);
            if (len < 8) a = rnd.nextLong() & 0xffffffffL;
            long mask = len == 0 ? 0 : (0xffffffffL << (32 - len)) & 0xffffffffL;
            return new Pfx(BigInteger.valueOf(a & mask), len, false);
        }
        int len = 16 + rnd.nextInt(113);
        BigInteger a = new BigInteger("fd00", 16).shiftLeft(112).or(new BigInteger(80, rnd).shiftLeft(32)).or(BigInteger.valueOf(rnd.nextInt(4)));
        BigInteger mask = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE).shiftRight(128 - len).shiftLeft(128 - len);
        return new Pfx(a.and(mask), len, true);
    }

    Ports randomPorts(boolean mayNegate) {
        List<int[]> r = new ArrayList<>();
        int k = 1 + rnd.nextInt(3);
        for (int i = 0; i < k; i++) {
            int a = rnd.nextInt(4) == 0 ? rnd.nextInt(65536) : rnd.nextInt(1100);
            int b = rnd.nextBoolean() ? a : Math.min(65535, a + rnd.nextInt(3000));
            r.add(new int[] {a, b});
        }
        return new Ports(mayNegate && rnd.nextInt(4) == 0, r);
    }

    Addr randomAddr(List<Pfx> pool) {
        if (rnd.nextInt(8) == 0) return new Addr(rnd.nextBoolean(), List.of(), null, true);
        if (rnd.nextInt(3) == 0) return new Addr(rnd.nextInt(4) == 0, List.of(pool.get(0), pool.get(1)), "n01", false);
        List<Pfx> ps = new ArrayList<>();
        int k = 1 + rnd.nextInt(2);
        for (int i = 0; i < k; i++) ps.add(pool.get(rnd.nextInt(pool.size())));
        return new Addr(rnd.nextInt(5) == 0, ps, null, false);
    }

    R randomRule(String name, List<Pfx> pool, List<Svc> services) {
        R r = new R();
        r.name = name;
        if (rnd.nextInt(3) == 0) {
            r.in = new ArrayList<>();
            int k = 1 + rnd.nextInt(2);
            for (int i = 0; i < k; i++) r.in.add(IF_PATTERNS[rnd.nextInt(IF_PATTERNS.length)]);
        }
        if (rnd.nextInt(2) == 0) r.src = randomAddr(pool);
        if (rnd.nextInt(3) == 0) r.dst = randomAddr(pool);
        int kind = rnd.nextInt(6);
        if (kind == 0 || kind == 1) {
            r.protos = new ArrayList<>(List.of(rnd.nextBoolean() ? 6 : 17));
            if (rnd.nextBoolean()) r.protos.add(132);
            if (rnd.nextBoolean()) r.dport = randomPorts(true);
            if (rnd.nextInt(3) == 0) r.sport = randomPorts(true);
            if (kind == 1 && r.protos.contains(6) && rnd.nextBoolean()) {
                int mask = rnd.nextInt(256) | 0x02, set = mask & rnd.nextInt(256);
                if (set == 0) set = mask & -mask; // the syntax needs at least one flag set
                r.flags = new int[] {set, mask};
            }
        } else if (kind == 2) {
            r.services = new ArrayList<>();
            r.services.add(services.get(rnd.nextInt(services.size())));
            if (rnd.nextBoolean()) r.services.add(services.get(rnd.nextInt(services.size())));
        } else if (kind == 3) {
            r.protos = new ArrayList<>();
            boolean v4 = rnd.nextBoolean(), v6 = !v4 || rnd.nextBoolean();
            if (v4) r.protos.add(1);
            if (v6) r.protos.add(58);
            if (rnd.nextBoolean()) {
                r.icmpTypes = new ArrayList<>();
                for (Object[] t : ICMP_NAMES) {
                    boolean usable = (v4 && (int) t[1] >= 0) || (v6 && (int) t[2] >= 0);
                    if (usable && rnd.nextInt(3) == 0) r.icmpTypes.add(t);
                }
                if (r.icmpTypes.isEmpty()) r.icmpTypes.add(ICMP_NAMES[0]);
            }
        } else if (kind == 4) {
            r.protos = new ArrayList<>(List.of(PROTOS[rnd.nextInt(PROTOS.length)]));
        }
        if (rnd.nextInt(3) == 0) {
            r.states = new ArrayList<>();
            for (int s = 0; s < 4; s++) if (rnd.nextBoolean()) r.states.add(s);
            if (r.states.isEmpty()) r.states.add(1);
        }
        r.action = rnd.nextBoolean() ? "accept" : "drop";
        return r;
    }

    static String render(List<Pfx> pool, List<Svc> services, List<R> rules) {
        StringBuilder sb = new StringBuilder();
        sb.append("net n01 = ").append(pool.get(0).text()).append(", ").append(pool.get(1).text()).append('\n');
        for (Svc s : services) {
            String proto = s.proto == 6 ? "tcp" : s.proto == 17 ? "udp" : "sctp";
            sb.append("service ").append(s.name).append(" = ").append(proto);
            if (s.ports != null) sb.append(' ').append(String.join(", ", s.ports.text().split(", ")));
            sb.append('\n');
        }
        sb.append("set bl dynamic\n");
        sb.append("chain forward policy drop {\n");
        for (R r : rules) {
            sb.append("  rule ").append(r.name).append(":");
            if (r.in != null) sb.append(" in ").append(String.join(", ", r.in));
            if (r.src != null) sb.append(" from ").append(r.src.text());
            if (r.dst != null) sb.append(" to ").append(r.dst.text());
            if (r.protos != null) {
                List<String> ps = new ArrayList<>();
                for (int p : r.protos) ps.add(Packet.protoName(p));
                sb.append(" proto ").append(String.join(", ", ps));
            }
            if (r.services != null) sb.append(" service ").append(String.join(", ", r.services.stream().map(Svc::name).toList()));
            if (r.sport != null) sb.append(" sport ").append(r.sport.text());
            if (r.dport != null) sb.append(" dport ").append(r.dport.text());
            if (r.flags != null) {
                sb.append(" flags ").append(flagNames(r.flags[0]));
                sb.append(" / ").append(flagNames(r.flags[1]));
            }
            if (r.icmpTypes != null) sb.append(" icmp-type ").append(String.join(", ", r.icmpTypes.stream().map(t -> (String) t[0]).toList()));
            if (r.states != null) sb.append(" state ").append(String.join(", ", r.states.stream().map(s -> ConnState.values()[s].keyword()).toList()));
            sb.append(' ').append(r.action).append('\n');
        }
        sb.append("}\n");
        return sb.toString();
    }

    static String flagNames(int bits) { return dev.rampart.dsl.eval.TcpFlags.format(bits); }

    Packet randomPacket(List<Pfx> pool, List<R> rules, Set<U128> set) {
        boolean v6 = rnd.nextInt(3) == 0;
        U128 src = edgeAddress(pool, v6), dst = edgeAddress(pool, v6);
        if (rnd.nextBoolean()) set.add(src);
        if (rnd.nextInt(4) == 0) set.add(dst);
        int proto = rnd.nextInt(10) == 0 ? rnd.nextInt(256) : PROTOS[rnd.nextInt(PROTOS.length)];
        if (rnd.nextInt(3) == 0) proto = v6 ? 58 : 1;
        boolean ports = proto == 6 || proto == 17 || proto == 132 || proto == 136;
        int sport = ports ? edgePort(rules, true) : 0, dport = ports ? edgePort(rules, false) : 0;
        boolean icmp = proto == 1 || proto == 58;
        int type = icmp ? new int[] {0, 3, 8, 11, 5, 128, 129, 1, 2, 3, rnd.nextInt(256)}[rnd.nextInt(11)] : 0;
        int flags = proto == 6 ? rnd.nextInt(256) : 0;
        ConnState st = ConnState.values()[rnd.nextInt(4)];
        String in = IFACES[rnd.nextInt(IFACES.length)];
        return new Packet(src, dst, proto, sport, dport, type, 0, flags, st, in, "wan0");
    }

    U128 edgeAddress(List<Pfx> pool, boolean v6) {
        List<Pfx> fam = pool.stream().filter(p -> p.v6() == v6).toList();
        BigInteger x;
        if (fam.isEmpty() || rnd.nextInt(6) == 0) {
            x = v6 ? new BigInteger("fd00", 16).shiftLeft(112).or(new BigInteger(80, rnd).shiftLeft(32)) : BigInteger.valueOf((10L << 24) | rnd.nextInt(1 << 18));
        } else {
            Pfx p = fam.get(rnd.nextInt(fam.size()));
            x = switch (rnd.nextInt(4)) {
                case 0 -> p.first();
                case 1 -> p.last();
                case 2 -> p.first().subtract(BigInteger.ONE);
                default -> p.last().add(BigInteger.ONE);
            };
        }
        BigInteger max = BigInteger.ONE.shiftLeft(v6 ? 128 : 32);
        x = x.mod(max);
        if (!v6) return U128.ofV4((int) x.longValue());
        U128 a = new U128(x.shiftRight(64).longValue(), x.longValue());
        return a.isV4Mapped() ? new U128(a.hi() | 1L << 60, a.lo()) : a;
    }

    int edgePort(List<R> rules, boolean source) {
        List<int[]> rs = new ArrayList<>();
        for (R r : rules) {
            Ports p = source ? r.sport : r.dport;
            if (p != null) rs.addAll(p.ranges());
            if (!source && r.services != null) for (Svc s : r.services) if (s.ports() != null) rs.addAll(s.ports().ranges());
        }
        if (rs.isEmpty() || rnd.nextInt(5) == 0) return rnd.nextInt(65536);
        int[] r = rs.get(rnd.nextInt(rs.size()));
        int v = switch (rnd.nextInt(4)) {
            case 0 -> r[0];
            case 1 -> r[1];
            case 2 -> r[0] - 1;
            default -> r[1] + 1;
        };
        return Math.max(0, Math.min(65535, v));
    }
}
