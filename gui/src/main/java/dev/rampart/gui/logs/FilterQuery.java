// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.logs;

import dev.rampart.dsl.ir.IrRule;
import dev.rampart.telemetry.Flow;
import dev.rampart.telemetry.FlowFilter;
import dev.rampart.telemetry.FlowFilter.Side;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The live log's filter line, such as {@code host 10.20.3.4 !dport 443 verdict drop}: words
 * {@code host} (either side), {@code src}, {@code dst}, {@code port} (either side), {@code sport},
 * {@code dport}, {@code proto}, {@code verdict}, {@code rule}, each followed by a value and
 * negated by a leading {@code !} or {@code not}. It becomes the telemetry module's
 * {@link FlowFilter}, the same condition the flow store queries with, so it holds at most one
 * address and one port condition.
 */
public final class FilterQuery {
    private FilterQuery() {}

    public record Term(String word, String value, boolean negated) {
        @Override public String toString() { return (negated ? "!" : "") + word + " " + value; }

        /** Terms of one category replace each other: FlowFilter holds one of each. */
        String category() {
            return switch (word) {
                case "host", "src", "dst" -> "address";
                case "port", "sport", "dport" -> "port";
                default -> word;
            };
        }
    }

    static final Map<String, Integer> PROTOS = Map.of("icmp", 1, "tcp", 6, "udp", 17, "icmpv6", 58);
    static final Map<String, Integer> VERDICTS = Map.of("accept", Flow.ACCEPT, "drop", Flow.DROP, "reject", Flow.REJECT);
    static final String WORDS = "host, src, dst, port, sport, dport, proto, verdict or rule";

    /** Splits the line into terms; throws IllegalArgumentException saying which word is wrong. */
    public static List<Term> terms(String line) {
        List<Term> out = new ArrayList<>();
        String[] w = line == null ? new String[0] : line.strip().split("\\s+");
        for (int i = 0; i < w.length; i++) {
            if (w[i].isEmpty()) continue;
            boolean neg = false;
            String word = w[i].toLowerCase(Locale.ROOT);
            if (word.equals("not") || word.equals("!")) {
                neg = true;
                if (++i >= w.length) throw new IllegalArgumentException("'" + w[i - 1] + "' at the end: negate what? (" + WORDS + ")");
                word = w[i].toLowerCase(Locale.ROOT);
            } else if (word.startsWith("!")) {
                neg = true;
                word = word.substring(1);
            }
            if (!List.of("host", "src", "dst", "port", "sport", "dport", "proto", "verdict", "rule").contains(word))
                throw new IllegalArgumentException("unknown filter word '" + w[i] + "': use " + WORDS + ", each with a value; ! negates");
            if (++i >= w.length) throw new IllegalArgumentException("'" + word + "' needs a value");
            Term t = new Term(word, w[i], neg);
            for (Term o : out)
                if (o.category().equals(t.category()))
                    throw new IllegalArgumentException("'" + o + "' and '" + t + "': one " + t.category()
                            + " condition at a time");
            out.add(t);
        }
        return out;
    }

    public static FlowFilter parse(String line) {
        FlowFilter f = FlowFilter.ALL;
        for (Term t : terms(line)) {
            String v = t.value();
            boolean n = t.negated();
            f = switch (t.word()) {
                case "host" -> f.address(v, Side.EITHER, n);
                case "src" -> f.address(v, Side.SRC, n);
                case "dst" -> f.address(v, Side.DST, n);
                case "port" -> f.port(port(v), Side.EITHER, n);
                case "sport" -> f.port(port(v), Side.SRC, n);
                case "dport" -> f.port(port(v), Side.DST, n);
                case "proto" -> f.proto(proto(v), n);
                case "verdict" -> {
                    Integer x = VERDICTS.get(v.toLowerCase(Locale.ROOT));
                    if (x == null) throw new IllegalArgumentException("verdict '" + v + "': use accept, drop or reject");
                    yield f.verdict(x, n);
                }
                case "rule" -> f.rule(rule(v), n);
                default -> throw new IllegalStateException(t.word());
            };
        }
        return f;
    }

    /** The line with {@code t} in place of any term of its category (or added at the end). */
    public static String with(String line, Term t) {
        List<Term> kept = new ArrayList<>();
        try {
            for (Term o : terms(line)) if (!o.category().equals(t.category())) kept.add(o);
        } catch (IllegalArgumentException e) {
            // A broken line is replaced by the clicked condition alone.
        }
        kept.add(t);
        return String.join(" ", kept.stream().map(Term::toString).toList());
    }

    private static int port(String v) {
        try {
            int p = Integer.parseInt(v);
            if (p >= 0 && p <= 65535) return p;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("port '" + v + "': give a number 0-65535");
    }

    static int proto(String v) {
        Integer p = PROTOS.get(v.toLowerCase(Locale.ROOT));
        if (p != null) return p;
        try {
            int n = Integer.parseInt(v);
            if (n >= 0 && n <= 255) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("proto '" + v + "': use tcp, udp, icmp, icmpv6 or a number 0-255");
    }

    /** A rule by name (as the policy names it) or by numeric id ({@code 0x1a2b3c4d}); {@code policy} is the chain policy. */
    static long rule(String v) {
        if (v.equals("policy")) return 0;
        if (v.startsWith("0x")) {
            try {
                return Long.parseLong(v.substring(2), 16);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("rule '" + v + "': not a hexadecimal id");
            }
        }
        return IrRule.numericIdOf(v);
    }

    /** Called for every visible Proto cell on every table update: a switch, not a search of {@link #PROTOS}. */
    public static String protoName(int p) {
        return switch (p) {
            case 1 -> "icmp";
            case 6 -> "tcp";
            case 17 -> "udp";
            case 58 -> "icmpv6";
            default -> String.valueOf(p);
        };
    }
}
