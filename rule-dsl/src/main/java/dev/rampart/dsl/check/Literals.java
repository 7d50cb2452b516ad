// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.check;

import dev.rampart.dsl.ir.Field;
import dev.rampart.dsl.ir.Interval;
import dev.rampart.dsl.ir.IntervalSet;
import dev.rampart.dsl.ir.U128;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The literal forms of the language (addresses, prefixes, ranges, ports, protocols, ICMP types,
 * durations) turned into values. Each parse returns either a value or a problem text; the caller
 * owns the span and turns problems into diagnostics, so these stay pure and reusable by the CLI.
 */
public final class Literals {
    private Literals() {}

    /** A parsed value or why it is not one; {@code suggestion} may accompany a problem. */
    public record Parsed<T>(T value, String problem, String suggestion, String warning) {
        static <T> Parsed<T> ok(T v) { return new Parsed<>(v, null, null, null); }

        static <T> Parsed<T> bad(String problem) { return new Parsed<>(null, problem, null, null); }

        static <T> Parsed<T> bad(String problem, String suggestion) { return new Parsed<>(null, problem, suggestion, null); }

        public boolean ok() { return value != null; }
    }

    /** An address block: the set of addresses and whether it is exactly one address. */
    public record AddrBlock(IntervalSet set, boolean single) {}

    // ---- addresses -------------------------------------------------------------------------

    /** True for words that can only be address literals (never names): they start with a digit or contain ':' or '/'. */
    public static boolean looksLikeAddress(String w) {
        return !w.isEmpty() && (Character.isDigit(w.charAt(0)) || w.indexOf(':') >= 0 || w.indexOf('/') >= 0);
    }

    /** A single IPv4 or IPv6 address, IPv4 mapped into ::ffff:0:0/96; null if it is not one. */
    public static U128 address(String s) {
        if (s.indexOf(':') >= 0) return v6(s);
        long v = v4(s);
        return v < 0 ? null : U128.ofV4((int) v);
    }

    /** An address, prefix {@code a/len}, or range {@code a-b}. */
    public static Parsed<AddrBlock> addressBlock(String s) {
        int slash = s.indexOf('/');
        if (slash >= 0) return prefix(s, slash);
        int dash = rangeDash(s);
        if (dash >= 0) {
            String a = s.substring(0, dash), b = s.substring(dash + 1);
            U128 lo = address(a), hi = address(b);
            if (lo == null) return Parsed.bad("'" + a + "' is not an IPv4 or IPv6 address");
            if (hi == null) return Parsed.bad("'" + b + "' is not an IPv4 or IPv6 address");
            if (lo.isV4Mapped() != hi.isV4Mapped()) return Parsed.bad("range '" + s + "' mixes IPv4 and IPv6");
            if (hi.lt(lo)) return Parsed.bad("range '" + s + "' is inverted", "write '" + b + "-" + a + "'");
            return Parsed.ok(new AddrBlock(IntervalSet.of(new Interval(lo, hi)), lo.equals(hi)));
        }
        U128 a = address(s);
        if (a == null) return Parsed.bad("'" + s + "' is not an IPv4 or IPv6 address");
        return Parsed.ok(new AddrBlock(IntervalSet.point(a), true));
    }

    private static int rangeDash(String s) {
        // IPv6 addresses contain no '-', IPv4 neither: any '-' separates a range.
        return s.indexOf('-');
    }

    private static Parsed<AddrBlock> prefix(String s, int slash) {
        String a = s.substring(0, slash), l = s.substring(slash + 1);
        U128 base = address(a);
        if (base == null) return Parsed.bad("'" + a + "' is not an IPv4 or IPv6 address");
        boolean v4 = base.isV4Mapped() && a.indexOf(':') < 0;
        int max = v4 ? 32 : 128;
        int len = smallInt(l);
        if (len < 0 || len > max) {
            return Parsed.bad("prefix length '" + l + "' is not a number from 0 to " + max);
        }
        int hostBits = max - len;
        U128 start = base.andNotLowBits(hostBits);
        if (v4) start = U128.ofV4((int) start.longValue()); // keep the ::ffff: part for /0
        U128 end = base.orLowBits(hostBits);
        String warning = null;
        if (!start.equals(base)) warning = start.toAddressString() + "/" + len;
        return new Parsed<>(new AddrBlock(IntervalSet.of(new Interval(start, end)), hostBits == 0), null, null, warning);
    }

    /** 0..999 from plain decimal digits, else -1. */
    private static int smallInt(String s) {
        if (s.isEmpty() || s.length() > 3) return -1;
        int v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return -1;
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** Dotted quad as an unsigned 32-bit value; -1 when malformed. */
    static long v4(String s) {
        // Scanned in place rather than split: every address of a large policy comes through here.
        long v = 0;
        int parts = 0, i = 0, n = s.length();
        while (true) {
            int begin = i, o = 0;
            while (i < n && s.charAt(i) != '.') {
                char c = s.charAt(i++);
                if (c < '0' || c > '9' || i - begin > 3) return -1;
                o = o * 10 + (c - '0');
            }
            int len = i - begin;
            if (len == 0 || o > 255 || (len > 1 && s.charAt(begin) == '0') || ++parts > 4) return -1;
            v = (v << 8) | o;
            if (i == n) break;
            i++; // the dot
        }
        return parts == 4 ? v : -1;
    }

    static U128 v6(String s) {
        if (s.isEmpty() || s.length() > 45) return null;
        int[] groups = new int[8];
        int dbl = s.indexOf("::");
        if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) return null;
        String head = dbl >= 0 ? s.substring(0, dbl) : s;
        String tail = dbl >= 0 ? s.substring(dbl + 2) : "";
        int[] h = groups(head, dbl < 0);
        int[] t = dbl >= 0 ? groups(tail, true) : new int[0];
        if (h == null || t == null) return null;
        if (dbl < 0 && h.length != 8) return null;
        if (dbl >= 0 && h.length + t.length > 7) return null;
        System.arraycopy(h, 0, groups, 0, h.length);
        System.arraycopy(t, 0, groups, 8 - t.length, t.length);
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[2 * i] = (byte) (groups[i] >> 8);
            b[2 * i + 1] = (byte) groups[i];
        }
        return U128.ofBytes(b);
    }

    /** Hex groups separated by ':'; the last may be a dotted quad (two groups) when allowed. */
    private static int[] groups(String s, boolean quadAllowed) {
        if (s.isEmpty()) return new int[0];
        String[] parts = s.split(":", -1);
        int n = parts.length;
        boolean quad = quadAllowed && parts[n - 1].indexOf('.') >= 0;
        int[] out = new int[quad ? n + 1 : n];
        for (int i = 0; i < n; i++) {
            String p = parts[i];
            if (quad && i == n - 1) {
                long v = v4(p);
                if (v < 0) return null;
                out[i] = (int) ((v >>> 16) & 0xffff);
                out[i + 1] = (int) (v & 0xffff);
                continue;
            }
            if (p.isEmpty() || p.length() > 4) return null;
            int v = 0;
            for (int k = 0; k < p.length(); k++) {
                int d = Character.digit(p.charAt(k), 16);
                if (d < 0) return null;
                v = v * 16 + d;
            }
            out[i] = v;
        }
        return out;
    }

    // ---- ports -------------------------------------------------------------------------------

    /** {@code 80} or {@code 1024-65535}. */
    public static Parsed<IntervalSet> portRange(String s) {
        int dash = s.indexOf('-');
        if (dash < 0) {
            long p = number(s);
            if (p < 0) return Parsed.bad("'" + s + "' is not a port number");
            if (p > 65535) return Parsed.bad("port " + s + " is out of range: ports go from 0 to 65535");
            return Parsed.ok(IntervalSet.range(p, p));
        }
        String a = s.substring(0, dash), b = s.substring(dash + 1);
        long lo = number(a), hi = number(b);
        if (lo < 0 || hi < 0) return Parsed.bad("'" + s + "' is not a port range such as 1024-65535");
        if (lo > 65535 || hi > 65535) return Parsed.bad("port range " + s + " is out of range: ports go from 0 to 65535");
        if (hi < lo) return Parsed.bad("port range " + s + " is inverted", "write '" + b + "-" + a + "'");
        return Parsed.ok(IntervalSet.range(lo, hi));
    }

    /** A non-negative decimal number up to 10 digits, or -1. */
    public static long number(String s) {
        if (s.isEmpty() || s.length() > 10) return -1;
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return -1;
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** A number or range {@code a-b} in 0..max (ICMP codes and the like). */
    public static Parsed<IntervalSet> smallRange(String s, int max, String what) {
        int dash = s.indexOf('-');
        String a = dash < 0 ? s : s.substring(0, dash), b = dash < 0 ? s : s.substring(dash + 1);
        long lo = number(a), hi = number(b);
        if (lo < 0 || hi < 0) return Parsed.bad("'" + s + "' is not a valid " + what);
        if (lo > max || hi > max) return Parsed.bad(what + " " + s + " is out of range 0.." + max);
        if (hi < lo) return Parsed.bad(what + " range " + s + " is inverted", "write '" + b + "-" + a + "'");
        return Parsed.ok(IntervalSet.range(lo, hi));
    }

    // ---- protocols ---------------------------------------------------------------------------

    public static final Map<String, Integer> PROTOCOLS = new LinkedHashMap<>();

    static {
        PROTOCOLS.put("tcp", 6);
        PROTOCOLS.put("udp", 17);
        PROTOCOLS.put("icmp", 1);
        PROTOCOLS.put("icmpv6", 58);
        PROTOCOLS.put("sctp", 132);
        PROTOCOLS.put("udplite", 136);
    }

    /** Protocols whose header has 16-bit ports where the engine reads them. */
    public static final IntervalSet PORT_PROTOCOLS = IntervalSet.of(List.of(
            Interval.of(6, 6), Interval.of(17, 17), Interval.of(132, 132), Interval.of(136, 136)));
    public static final IntervalSet TCP = IntervalSet.range(6, 6);
    public static final IntervalSet ICMP = IntervalSet.range(1, 1);
    public static final IntervalSet ICMPV6 = IntervalSet.range(58, 58);
    public static final IntervalSet ANY_ICMP = ICMP.union(ICMPV6);

    /** A protocol name or number 0..255. */
    public static Parsed<Integer> protocol(String s) {
        Integer p = PROTOCOLS.get(s);
        if (p != null) return Parsed.ok(p);
        long n = number(s);
        if (n >= 0 && n <= 255) return Parsed.ok((int) n);
        if (n > 255) return Parsed.bad("protocol number " + s + " is out of range 0..255");
        return Parsed.bad("unknown protocol '" + s + "'", suggestion(s, PROTOCOLS.keySet()));
    }

    // ---- ICMP types --------------------------------------------------------------------------

    public static final Map<String, Integer> ICMP_TYPES = new LinkedHashMap<>();
    public static final Map<String, Integer> ICMPV6_TYPES = new LinkedHashMap<>();

    static {
        Object[] v4 = {"echo-reply", 0, "destination-unreachable", 3, "source-quench", 4, "redirect", 5,
            "echo-request", 8, "router-advertisement", 9, "router-solicitation", 10, "time-exceeded", 11,
            "parameter-problem", 12, "timestamp-request", 13, "timestamp-reply", 14, "info-request", 15,
            "info-reply", 16, "address-mask-request", 17, "address-mask-reply", 18};
        Object[] v6 = {"destination-unreachable", 1, "packet-too-big", 2, "time-exceeded", 3,
            "parameter-problem", 4, "echo-request", 128, "echo-reply", 129, "mld-listener-query", 130,
            "mld-listener-report", 131, "mld-listener-done", 132, "mld-listener-reduction", 132,
            "nd-router-solicit", 133, "nd-router-advert", 134, "nd-neighbor-solicit", 135,
            "nd-neighbor-advert", 136, "nd-redirect", 137, "router-renumbering", 138, "mld2-listener-report", 143};
        for (int i = 0; i < v4.length; i += 2) ICMP_TYPES.put((String) v4[i], (Integer) v4[i + 1]);
        for (int i = 0; i < v6.length; i += 2) ICMPV6_TYPES.put((String) v6[i], (Integer) v6[i + 1]);
    }

    /** The type number of a name in one family (icmp when {@code v6} is false), or -1. */
    public static int icmpType(String name, boolean v6) {
        Integer t = (v6 ? ICMPV6_TYPES : ICMP_TYPES).get(name);
        return t == null ? -1 : t;
    }

    // ---- durations, interfaces ---------------------------------------------------------------

    /** {@code 30s}, {@code 5m}, {@code 1h}, {@code 7d} in seconds. */
    public static Parsed<Long> duration(String s) {
        if (s.length() < 2) return Parsed.bad("'" + s + "' is not a duration such as 30s, 5m, 1h or 7d");
        char unit = s.charAt(s.length() - 1);
        long n = number(s.substring(0, s.length() - 1));
        long mult = switch (unit) {
            case 's' -> 1;
            case 'm' -> 60;
            case 'h' -> 3600;
            case 'd' -> 86400;
            default -> -1;
        };
        if (n < 0 || mult < 0) return Parsed.bad("'" + s + "' is not a duration such as 30s, 5m, 1h or 7d");
        if (n == 0) return Parsed.bad("a timeout of zero would remove elements at once", "leave out 'timeout' to keep elements until removed");
        if (n > 365L * 86400 * 100 / mult) return Parsed.bad("timeout " + s + " is longer than a century");
        return Parsed.ok(n * mult);
    }

    /**
     * An interface name or prefix pattern {@code wan*} as the interval of names it matches. Linux
     * names are 1..15 bytes without '/', ':' or whitespace.
     */
    public static Parsed<IntervalSet> iface(String s) {
        boolean wildcard = s.endsWith("*");
        String name = wildcard ? s.substring(0, s.length() - 1) : s;
        if (name.indexOf('*') >= 0) return Parsed.bad("'" + s + "': '*' may only end an interface pattern");
        if (!wildcard && name.isEmpty()) return Parsed.bad("empty interface name");
        if (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 15) {
            return Parsed.bad("interface name '" + s + "' is longer than 15 bytes");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c == '/' || c == ':' || c == 0x7f) return Parsed.bad("'" + s + "' is not a valid interface name");
        }
        U128 lo = U128.ofIfName(name);
        U128 hi = wildcard ? U128.ifPrefixEnd(name) : lo;
        if (wildcard && name.isEmpty()) lo = U128.ofIfName("").plusOne(); // '*' is every real interface, not "none"
        return Parsed.ok(IntervalSet.of(new Interval(lo, hi)));
    }

    static String suggestion(String word, java.util.Collection<String> candidates) {
        return dev.rampart.dsl.source.Suggest.didYouMean(word, candidates);
    }

    /** The IPv4 or IPv6 part of the address space. */
    public static IntervalSet family(boolean v6) { return v6 ? Field.V6 : Field.V4; }
}
