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
import dev.rampart.dsl.source.Diagnostics;
import dev.rampart.dsl.source.Result;
import dev.rampart.dsl.source.SourceFile;
import dev.rampart.dsl.source.Span;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * ClassBench filter sets and traces. A rule line is
 * {@code @SRC/LEN DST/LEN SPORT_LO : SPORT_HI DPORT_LO : DPORT_HI PROTO/MASK FLAGS/MASK}; line order is
 * priority. Rules become one forward chain of accepting rules {@code cb<N>} (N = 0-based line
 * index, the MATCH column of traces) with policy drop. The FLAGS column is read but not matched, as
 * most classifiers in the literature do. IPv6 addresses are accepted too (our generator writes them).
 */
public final class ClassBench {
    private ClassBench() {}

    /** Trace headers and, when the file has a 6th column, the expected 0-based rule index (-1: none). */
    public record Trace(List<Packet> packets, int[] expected, boolean hasExpected) {}

    public static String ruleId(int index) { return "cb" + index; }

    public static Result<IrPolicy> parseRules(SourceFile file) {
        Diagnostics diags = new Diagnostics();
        List<IrRule> rules = new ArrayList<>();
        Lines lines = new Lines(file);
        while (lines.next()) {
            Cursor c = new Cursor(file, lines.start, lines.end);
            if (c.atEnd()) continue;
            try {
                c.expect('@');
                IntervalSet src = c.prefix(), dst = c.prefix();
                IntervalSet sport = c.portRange(), dport = c.portRange();
                IntervalSet proto = c.valueMask(0xff);
                if (!c.atEnd()) c.valueMask(0xffff); // FLAGS: parsed for validity, not matched
                if (!c.atEnd()) throw c.error("unexpected text after the FLAGS column");
                if (src.subsetOf(Field.V4) != dst.subsetOf(Field.V4)) {
                    throw c.error("source and destination are of different address families");
                }
                EnumMap<Field, IntervalSet> f = new EnumMap<>(Field.class);
                f.put(Field.SRC, src);
                f.put(Field.DST, dst);
                f.put(Field.SPORT, sport);
                f.put(Field.DPORT, dport);
                f.put(Field.PROTO, proto);
                String id = ruleId(rules.size());
                Span span = Span.of(file, lines.start, lines.end);
                rules.add(new IrRule(id, IrRule.numericIdOf(id), false, Verdict.ACCEPT, RejectKind.AUTO, false, false,
                        null, List.of(new Term(f, null, null)), span));
            } catch (ParseError e) {
                diags.add(dev.rampart.dsl.source.Diagnostic.error(Span.of(file, e.at, Math.max(e.at + 1, lines.end)),
                        "classbench-syntax", e.getMessage()).withSuggestion(
                        "expected @a.b.c.d/len a.b.c.d/len lo : hi lo : hi 0xPP/0xMM 0xFFFF/0xFFFF"));
                if (diags.errorCount() >= Diagnostics.LIMIT) break;
            }
        }
        if (diags.hasErrors()) return new Result<>(null, diags);
        IrChain chain = new IrChain(Hook.FORWARD, Verdict.DROP, rules, Span.of(file, 0, 0));
        return new Result<>(new IrPolicy(List.of(chain), Map.of(), List.of()), diags);
    }

    /** Header lines: {@code SRC DST SPORT DPORT PROTO [MATCH]}, addresses as unsigned 32-bit integers or IPv6 text. */
    public static Result<Trace> parseTrace(SourceFile file) {
        Diagnostics diags = new Diagnostics();
        List<Packet> packets = new ArrayList<>();
        IntList exp = new IntList();
        boolean hasExpected = true;
        Lines lines = new Lines(file);
        while (lines.next()) {
            Cursor c = new Cursor(file, lines.start, lines.end);
            if (c.atEnd()) continue;
            try {
                U128 src = c.traceAddress(), dst = c.traceAddress();
                int sport = (int) c.number(0xffff), dport = (int) c.number(0xffff), proto = (int) c.number(0xff);
                int expected = -1;
                boolean has = !c.atEnd();
                if (has) {
                    long m = c.signedNumber();
                    expected = m < 0 || m > Integer.MAX_VALUE ? -1 : (int) m;
                }
                // Some generators append a filter-id column after MATCH; it carries nothing we check.
                hasExpected &= has;
                if (src.isV4Mapped() != dst.isV4Mapped()) throw c.error("source and destination are of different address families");
                packets.add(new Packet(src, dst, proto, sport, dport, 0, 0, 0, ConnState.NEW, "", ""));
                exp.add(expected);
            } catch (ParseError e) {
                diags.add(dev.rampart.dsl.source.Diagnostic.error(Span.of(file, e.at, Math.max(e.at + 1, lines.end)),
                        "trace-syntax", e.getMessage()).withSuggestion("expected SRC DST SPORT DPORT PROTO [MATCH]"));
                if (diags.errorCount() >= Diagnostics.LIMIT) break;
            }
        }
        if (diags.hasErrors()) return new Result<>(null, diags);
        return new Result<>(new Trace(packets, exp.toArray(), hasExpected && !packets.isEmpty()), diags);
    }

    /**
     * The rules as a policy in the Rampart language, first match in file order. ClassBench lets
     * any protocol carry ports; Rampart has ports only for protocols with ports, so a rule with a
     * wildcard protocol and constrained ports becomes {@code proto tcp, udp, sctp, udplite} and a
     * rule with a portless protocol loses its port constraints (said in a comment on the rule).
     */
    public static String toPolicyText(IrPolicy p, String source) {
        IrChain c = p.chains().get(0);
        StringBuilder sb = new StringBuilder();
        sb.append("# Imported from ClassBench rules ").append(source).append(": ").append(c.rules().size())
                .append(" rules, first match in file order.\n");
        sb.append("chain ").append(c.hook().keyword()).append(" policy ").append(c.policy().keyword()).append(" {\n");
        for (IrRule r : c.rules()) {
            Term t = r.terms().get(0);
            sb.append("  rule ").append(r.id()).append(":");
            sb.append(" from ").append(prefixText(t.get(Field.SRC))).append(" to ").append(prefixText(t.get(Field.DST)));
            IntervalSet proto = t.get(Field.PROTO);
            boolean ports = !t.get(Field.SPORT).equals(Field.SPORT.universe()) || !t.get(Field.DPORT).equals(Field.DPORT.universe());
            String note = null;
            if (!proto.equals(Field.PROTO.universe())) {
                StringBuilder ps = new StringBuilder();
                boolean portless = false;
                for (Interval i : proto.intervals()) {
                    for (long v = i.lo().lo(); v <= i.hi().lo(); v++) {
                        if (ps.length() > 0) ps.append(", ");
                        ps.append(Packet.protoName((int) v).matches("[0-9]+") ? v : Packet.protoName((int) v));
                        portless |= !Packet.hasPorts((int) v);
                    }
                }
                sb.append(" proto ").append(ps);
                if (ports && portless) {
                    note = "ClassBench ports on a protocol without ports are not kept";
                    ports = false;
                }
            } else if (ports) {
                sb.append(" proto tcp, udp, sctp, udplite");
            }
            if (ports) {
                rangeMatch(sb, "sport", t.get(Field.SPORT));
                rangeMatch(sb, "dport", t.get(Field.DPORT));
            }
            sb.append(' ').append(r.verdict().keyword());
            if (note != null) sb.append(" comment \"").append(note).append('"');
            sb.append('\n');
        }
        return sb.append("}\n").toString();
    }

    private static void rangeMatch(StringBuilder sb, String kw, IntervalSet s) {
        if (s.equals(Field.SPORT.universe())) return;
        Interval i = s.intervals().get(0);
        sb.append(' ').append(kw).append(' ').append(i.lo().lo());
        if (!i.lo().equals(i.hi())) sb.append('-').append(i.hi().lo());
    }

    /** One ClassBench rule line for a 5-field term (used by the generator to write files). */
    public static String formatRule(Term t) {
        return "@" + prefixText(t.get(Field.SRC)) + "\t" + prefixText(t.get(Field.DST)) + "\t"
                + rangeText(t.get(Field.SPORT)) + "\t" + rangeText(t.get(Field.DPORT)) + "\t"
                + protoText(t.get(Field.PROTO)) + "\t0x0000/0x0000";
    }

    private static String prefixText(IntervalSet s) {
        Interval i = s.intervals().get(0);
        boolean v4 = i.lo().isV4Mapped() && i.hi().isV4Mapped();
        int hostBits = 0;
        U128 span = sub(i.hi(), i.lo());
        while (hostBits < 128 && !span.equals(U128.ZERO)) {
            span = shr1(span);
            hostBits++;
        }
        int len = (v4 ? 32 : 128) - hostBits;
        return i.lo().toAddressString() + "/" + len;
    }

    private static U128 sub(U128 a, U128 b) {
        long lo = a.lo() - b.lo();
        long borrow = Long.compareUnsigned(a.lo(), b.lo()) < 0 ? 1 : 0;
        return new U128(a.hi() - b.hi() - borrow, lo);
    }

    private static U128 shr1(U128 v) { return new U128(v.hi() >>> 1, (v.lo() >>> 1) | (v.hi() << 63)); }

    private static String rangeText(IntervalSet s) {
        Interval i = s.intervals().get(0);
        return i.lo().lo() + " : " + i.hi().lo();
    }

    private static String protoText(IntervalSet s) {
        Interval i = s.intervals().get(0);
        if (i.lo().lo() == 0 && i.hi().lo() == 255) return "0x00/0x00";
        return String.format("0x%02X/0xFF", i.lo().lo());
    }

    private static final class ParseError extends Exception {
        final int at;

        ParseError(int at, String msg) {
            super(msg, null, false, false);
            this.at = at;
        }
    }

    private static final class IntList {
        int[] a = new int[64];
        int n;

        void add(int v) {
            if (n == a.length) a = java.util.Arrays.copyOf(a, n * 2);
            a[n++] = v;
        }

        int[] toArray() { return java.util.Arrays.copyOf(a, n); }
    }

    /** Line boundaries without copying the text: 100k-rule files are 8 MB. */
    private static final class Lines {
        final String text;
        int start, end, next;

        Lines(SourceFile f) { text = f.text(); }

        boolean next() {
            if (next >= text.length()) return false;
            start = next;
            int nl = text.indexOf('\n', start);
            end = nl < 0 ? text.length() : nl;
            next = end + 1;
            return true;
        }
    }

    private static final class Cursor {
        final String s;
        int pos;
        final int end;

        Cursor(SourceFile f, int start, int end) {
            this.s = f.text();
            this.pos = start;
            int e = end;
            while (e > start && (s.charAt(e - 1) == '\r' || Character.isWhitespace(s.charAt(e - 1)))) e--;
            this.end = e;
            skipSpace();
        }

        ParseError error(String msg) { return new ParseError(Math.min(pos, Math.max(end - 1, 0)), msg); }

        void skipSpace() {
            while (pos < end && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t')) pos++;
        }

        boolean atEnd() { return pos >= end; }

        void expect(char ch) throws ParseError {
            if (pos >= end || s.charAt(pos) != ch) throw error("expected '" + ch + "'");
            pos++;
        }

        long number(long max) throws ParseError {
            int st = pos;
            long v = 0;
            while (pos < end && Character.isDigit(s.charAt(pos))) {
                v = v * 10 + (s.charAt(pos++) - '0');
                if (v > max) throw new ParseError(st, "number out of range (max " + max + ")");
            }
            if (st == pos) throw error("expected a number");
            skipSpace();
            return v;
        }

        long signedNumber() throws ParseError {
            boolean neg = pos < end && s.charAt(pos) == '-';
            if (neg) pos++;
            long v = number(Long.MAX_VALUE / 10);
            return neg ? -v : v;
        }

        long hex(long max) throws ParseError {
            if (pos + 1 < end && s.charAt(pos) == '0' && (s.charAt(pos + 1) == 'x' || s.charAt(pos + 1) == 'X')) pos += 2;
            else throw error("expected a hexadecimal number 0x..");
            int st = pos;
            long v = 0;
            while (pos < end && Character.digit(s.charAt(pos), 16) >= 0) {
                v = v * 16 + Character.digit(s.charAt(pos++), 16);
                if (v > max) throw new ParseError(st, "number out of range");
            }
            if (st == pos) throw error("expected hexadecimal digits");
            return v;
        }

        /** VALUE/MASK as the set of values v with (v &amp; mask) == (value &amp; mask). */
        IntervalSet valueMask(int max) throws ParseError {
            long v = hex(max);
            expect('/');
            long m = hex(max);
            skipSpace();
            if (m == max) return IntervalSet.point(U128.of(v));
            if (m == 0) return IntervalSet.range(0, max);
            if (max > 0xff) return IntervalSet.range(0, max);
            List<Interval> all = new ArrayList<>();
            for (int x = 0; x <= max; x++) if ((x & m) == (v & m)) all.add(Interval.of(x, x));
            return IntervalSet.of(all);
        }

        IntervalSet portRange() throws ParseError {
            long lo = number(0xffff);
            expect(':');
            skipSpace();
            long hi = number(0xffff);
            if (hi < lo) throw error("port range " + lo + " : " + hi + " is inverted");
            return IntervalSet.range(lo, hi);
        }

        IntervalSet prefix() throws ParseError {
            int st = pos;
            while (pos < end && s.charAt(pos) != '/') pos++;
            String addr = s.substring(st, pos);
            expect('/');
            int len = (int) number(128);
            U128 a = parseAddress(addr, st);
            int width = a.isV4Mapped() && addr.indexOf(':') < 0 ? 32 : 128;
            if (len > width) throw new ParseError(st, "prefix length " + len + " exceeds " + width);
            int host = width - len;
            U128 lo = a.andNotLowBits(host);
            return IntervalSet.of(new Interval(lo, lo.orLowBits(host)));
        }

        U128 traceAddress() throws ParseError {
            int st = pos;
            while (pos < end && s.charAt(pos) != ' ' && s.charAt(pos) != '\t') pos++;
            String t = s.substring(st, pos);
            skipSpace();
            if (t.indexOf(':') >= 0 || t.indexOf('.') >= 0) return parseAddress(t, st);
            try {
                long v = Long.parseLong(t);
                if (v < 0 || v > 0xffff_ffffL) throw new ParseError(st, "address out of the 32-bit range");
                return U128.ofV4((int) v);
            } catch (NumberFormatException e) {
                throw new ParseError(st, "expected an address as an unsigned 32-bit integer");
            }
        }

        static U128 parseAddress(String t, int at) throws ParseError {
            if (t.indexOf(':') < 0) {
                String[] p = t.split("\\.", -1);
                if (p.length != 4) throw new ParseError(at, "bad IPv4 address '" + t + "'");
                int v = 0;
                for (String q : p) {
                    int x;
                    try {
                        x = Integer.parseInt(q);
                    } catch (NumberFormatException e) {
                        throw new ParseError(at, "bad IPv4 address '" + t + "'");
                    }
                    if (x < 0 || x > 255 || q.isEmpty()) throw new ParseError(at, "bad IPv4 address '" + t + "'");
                    v = (v << 8) | x;
                }
                return U128.ofV4(v);
            }
            if (!t.matches("[0-9a-fA-F:]+")) throw new ParseError(at, "bad IPv6 address '" + t + "'");
            try {
                return U128.ofBytes(java.net.InetAddress.getByName(t).getAddress());
            } catch (java.net.UnknownHostException e) {
                throw new ParseError(at, "bad IPv6 address '" + t + "'");
            }
        }
    }
}
