// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.ir;

import dev.rampart.dsl.eval.Packet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A stable, readable text form of the IR for golden files and {@code rampart compile --dump}: per
 * chain, per rule, one line per term listing only the fields that constrain something, addresses
 * as prefixes, ports and codes as ranges, interfaces as names and patterns.
 */
public final class IrDump {
    private IrDump() {}

    public static String dump(IrPolicy p) {
        StringBuilder sb = new StringBuilder();
        for (IrChain c : p.chains()) {
            sb.append("chain ").append(c.hook().keyword()).append(" policy ").append(c.policy().keyword()).append('\n');
            for (IrRule r : c.rules()) {
                sb.append("  rule ").append(r.id()).append(' ').append(r.verdict().keyword());
                if (r.reject() != RejectKind.AUTO) sb.append(" with ").append(r.reject().keyword);
                if (r.log()) sb.append(" log");
                if (r.count()) sb.append(" count");
                sb.append(String.format(" [%08x]", r.numericId())).append('\n');
                if (r.terms().isEmpty()) sb.append("    (never matches)\n");
                for (Term t : r.terms()) sb.append("    ").append(term(t)).append('\n');
            }
        }
        Map<String, DynSet> sets = new TreeMap<>(p.dynamicSets());
        for (DynSet s : sets.values()) {
            sb.append("set ").append(s.name()).append(' ').append(family(s.family())).append(" capacity ").append(s.capacity());
            if (s.timeoutSeconds() > 0) sb.append(" timeout ").append(s.timeoutSeconds()).append('s');
            sb.append('\n');
        }
        return sb.toString();
    }

    public static String term(Term t) {
        List<String> parts = new ArrayList<>();
        for (Field f : Field.values()) {
            IntervalSet s = t.get(f);
            if (s.equals(f.universe())) continue;
            parts.add(f.name().toLowerCase(java.util.Locale.ROOT) + " " + values(f, s));
        }
        if (t.srcSet() != null) parts.add("src " + (t.srcSet().negated() ? "!" : "") + "@" + t.srcSet().set());
        if (t.dstSet() != null) parts.add("dst " + (t.dstSet().negated() ? "!" : "") + "@" + t.dstSet().set());
        return parts.isEmpty() ? "any" : String.join("  ", parts);
    }

    /** One field's set as a policy writer reads it: prefixes, names, ranges. */
    public static String values(Field f, IntervalSet s) {
        if (s.isEmpty()) return "{}";
        if ((f == Field.SRC || f == Field.DST) && (s.equals(Field.V4) || s.equals(Field.V6))) return family(s);
        if (f == Field.TCP_FLAGS) {
            String masked = flagMask(s);
            if (masked != null) return masked;
        }
        List<String> out = new ArrayList<>();
        for (Interval i : s.intervals()) {
            switch (f) {
                case SRC, DST -> addPrefixes(i, out);
                case IIF, OIF -> out.add(ifaces(i));
                case PROTO -> out.add(i.lo().equals(i.hi()) ? Packet.protoName((int) i.lo().longValue())
                        : i.lo() + "-" + i.hi());
                case STATE -> {
                    for (long v = i.lo().longValue(); v <= i.hi().longValue(); v++) out.add(ConnState.values()[(int) v].keyword());
                }
                case TCP_FLAGS -> out.add(i.lo().equals(i.hi()) ? String.format("0x%02x", i.lo().longValue())
                        : String.format("0x%02x-0x%02x", i.lo().longValue(), i.hi().longValue()));
                default -> out.add(i.lo().equals(i.hi()) ? i.lo().toString() : i.lo() + "-" + i.hi());
            }
        }
        return String.join(",", out);
    }

    /** {@code syn / syn,ack} when the set is exactly the bytes whose masked bits equal some value. */
    private static String flagMask(IntervalSet s) {
        int and = 0xff, or = 0, count = 0;
        for (int v = 0; v < 256; v++) {
            if (!s.contains(v)) continue;
            and &= v;
            or |= v;
            count++;
        }
        int mask = and | (~or & 0xff); // bits equal in every member
        if (count == 0 || count != 1 << (8 - Integer.bitCount(mask))) return null;
        return dev.rampart.dsl.eval.TcpFlags.format(and) + " / " + dev.rampart.dsl.eval.TcpFlags.format(mask);
    }

    private static String family(IntervalSet s) {
        return s.equals(Field.V4) ? "ipv4" : s.equals(Field.V6) ? "ipv6" : "any";
    }

    /** An address interval as the fewest prefixes that make it up (ranges rarely need many). */
    private static void addPrefixes(Interval i, List<String> out) {
        boolean v4 = i.lo().isV4Mapped() && i.hi().isV4Mapped();
        int width = v4 ? 32 : 128;
        U128 lo = i.lo();
        int guard = 0;
        while (guard++ < 300) {
            int bits = 0;
            while (bits < width) {
                U128 start = lo.andNotLowBits(bits + 1), end = lo.orLowBits(bits + 1);
                if (!start.equals(lo) || i.hi().lt(end)) break;
                bits++;
            }
            out.add(lo.toAddressString() + "/" + (width - bits));
            U128 end = lo.orLowBits(bits);
            if (!end.lt(i.hi())) return;
            lo = end.plusOne();
        }
        out.add("...");
    }

    private static String ifaces(Interval i) {
        String lo = i.lo().toIfName();
        if (i.lo().equals(i.hi())) return lo.isEmpty() ? "\"\"" : lo;
        String prefix = lo;
        if (U128.ofIfName(prefix).equals(i.lo()) && U128.ifPrefixEnd(prefix).equals(i.hi())) return prefix + "*";
        if (i.lo().equals(U128.ofIfName("").plusOne()) && i.hi().equals(U128.MAX)) return "*";
        return (lo.isEmpty() ? "\"\"" : lo) + ".." + i.hi().toIfName();
    }
}
