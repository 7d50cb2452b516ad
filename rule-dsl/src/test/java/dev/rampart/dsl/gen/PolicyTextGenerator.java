// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.gen;

import java.util.List;
import java.util.Random;

/**
 * Random, syntactically valid policy text from a seed: every declaration kind, every match, lists,
 * negations, braces, IPv6, services, tests, and layout noise (line breaks inside rules, extra
 * spaces, blank lines, comments on their own line, at line ends and inside multi-line nodes).
 * The same seed always gives the same text, so a failing case is reproducible from its seed.
 */
public final class PolicyTextGenerator {
    /** Names that are never keywords, so they are safe anywhere a value or name goes, even at a line start. */
    private static final List<String> NAMES = List.of("lan", "guest", "dmz", "web", "dns", "ssh", "cafe",
            "office-1", "db.main", "srv_2", "a", "b", "mail", "vpn", "deadbeef");
    private static final List<String> IFACES = List.of("lan0", "eth0", "wan*", "wg0", "br-lan", "ppp0");
    private static final List<String> COMMENTS = List.of(" note", " TODO: tighten", "", " with \"quotes\" and # hash",
            "#", " ünïcode ok", "   spaced");
    private static final List<String> HOOKS = List.of("input", "forward", "output");
    private static final List<String> PORT_PROTOS = List.of("tcp", "udp", "sctp", "udplite");
    private static final List<String> ICMP_TYPES = List.of("echo-request", "echo-reply", "destination-unreachable", "3/1", "8");
    private static final List<String> FLAGS = List.of("fin", "syn", "rst", "psh", "ack", "urg", "ecn", "cwr");
    private static final List<String> STATES = List.of("new", "established", "related", "invalid");

    private final Random rnd;
    private StringBuilder sb;

    public PolicyTextGenerator(long seed) { this.rnd = new Random(seed); }

    /** One policy: a few objects, zero to three chains, some tests. */
    public String policy() {
        sb = new StringBuilder();
        if (chance(30)) ownLineComment("");
        int n = 1 + rnd.nextInt(12);
        for (int i = 0; i < n; i++) {
            if (chance(20)) sb.append('\n');
            if (chance(15)) ownLineComment("");
            decl();
            endOfLine();
        }
        if (chance(20)) ownLineComment("");
        return sb.toString();
    }

    private boolean chance(int percent) { return rnd.nextInt(100) < percent; }

    private <T> T pick(List<T> l) { return l.get(rnd.nextInt(l.size())); }

    /** Whitespace between tokens: usually a space, sometimes a line break, rarely a comment. */
    private void sep() {
        int r = rnd.nextInt(100);
        if (r < 80) sb.append(' ');
        else if (r < 88) sb.append("   ");
        else if (r < 95) sb.append("\n    ");
        else {
            sb.append(" #").append(pick(COMMENTS)).append("\n    ");
        }
    }

    /** Usually a line break, sometimes after a comment; sometimes the next node shares the line. */
    private void endOfLine() {
        if (chance(20)) {
            trailingComment();
            sb.append('\n');
        } else {
            sb.append(chance(10) ? ' ' : '\n');
        }
    }

    private void ownLineComment(String indent) { sb.append(indent).append('#').append(pick(COMMENTS)).append('\n'); }

    private void trailingComment() { sb.append("  #").append(pick(COMMENTS)); }

    private void decl() {
        switch (rnd.nextInt(9)) {
            case 0 -> sb.append("include").append(' ').append('"').append(pick(NAMES)).append(".rampart\"");
            case 1 -> named("define", this::valueList);
            case 2 -> named("net", this::addressList);
            case 3 -> named("host", this::hostList);
            case 4 -> named("service", this::serviceItems);
            case 5 -> named("zone", this::zoneList);
            case 6 -> set();
            case 7 -> chain();
            default -> test();
        }
    }

    private void named(String kw, Runnable value) {
        sb.append(kw);
        sep();
        sb.append(pick(NAMES));
        sep();
        sb.append('=');
        sep();
        value.run();
    }

    private void commaList(int max, Runnable item) {
        int n = 1 + rnd.nextInt(max);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                if (chance(50)) sep();
                sb.append(',');
                sep();
            }
            item.run();
        }
    }

    private String ipv4() {
        return (1 + rnd.nextInt(223)) + "." + rnd.nextInt(256) + "." + rnd.nextInt(256) + "." + rnd.nextInt(256);
    }

    private String ipv6() {
        return switch (rnd.nextInt(5)) {
            case 0 -> "fd00::" + Integer.toHexString(1 + rnd.nextInt(0xffff));
            case 1 -> "2001:db8:" + Integer.toHexString(rnd.nextInt(0xffff)) + "::1";
            case 2 -> "::1";
            case 3 -> "fe80::" + Integer.toHexString(rnd.nextInt(0xfff)) + ":abcd";
            default -> "fd00:" + Integer.toHexString(1 + rnd.nextInt(0xff)) + "::";
        };
    }

    private String addressLiteral() {
        return switch (rnd.nextInt(6)) {
            case 0 -> ipv4();
            case 1 -> ipv4() + "/" + (8 + rnd.nextInt(25));
            case 2 -> ipv4() + "-" + ipv4();
            case 3 -> ipv6();
            case 4 -> "fd00:" + Integer.toHexString(rnd.nextInt(0xffff)) + "::/" + (16 + rnd.nextInt(100));
            default -> "2001:db8::/32";
        };
    }

    private void addressList() { commaList(4, () -> operand(0, this::addressAtom)); }

    private void hostList() { commaList(3, () -> sb.append(rnd.nextBoolean() ? ipv4() : ipv6())); }

    private void zoneList() {
        commaList(3, () -> {
            if (chance(20)) sb.append("\"").append(pick(IFACES)).append(" x\"");
            else sb.append(chance(50) ? pick(IFACES) : pick(NAMES));
        });
    }

    private void valueList() { commaList(3, () -> operand(0, this::anyAtom)); }

    private void addressAtom() {
        int r = rnd.nextInt(10);
        if (r < 5) sb.append(addressLiteral());
        else if (r < 7) sb.append(pick(NAMES));
        else if (r < 8) sb.append('@').append(pick(NAMES));
        else if (r < 9) sb.append('$').append(pick(NAMES));
        else sb.append("any");
    }

    private void anyAtom() {
        switch (rnd.nextInt(6)) {
            case 0 -> sb.append(1 + rnd.nextInt(65535));
            case 1 -> sb.append(1024 + rnd.nextInt(1000)).append('-').append(3000 + rnd.nextInt(60000));
            case 2 -> sb.append('"').append(pick(COMMENTS).replace("\"", "\\\"")).append('"');
            default -> addressAtom();
        }
    }

    /** An operand, with negation and braced lists up to a small depth. */
    private void operand(int depth, Runnable atom) {
        int r = rnd.nextInt(100);
        if (depth < 3 && r < 12) {
            sb.append('!');
            if (chance(30)) sep();
            operand(depth + 1, atom);
        } else if (depth < 3 && r < 20) {
            sb.append('{');
            sep();
            commaList(3, () -> operand(depth + 1, atom));
            sep();
            sb.append('}');
        } else {
            atom.run();
        }
    }

    private void serviceItems() {
        int n = 1 + rnd.nextInt(4);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(',');
                sep();
            }
            switch (rnd.nextInt(5)) {
                case 0, 1 -> {
                    sb.append(pick(PORT_PROTOS));
                    if (chance(80)) {
                        sep();
                        commaList(3, () -> sb.append(chance(85) ? port() : "$" + pick(NAMES)));
                    }
                }
                case 2 -> {
                    sb.append(rnd.nextBoolean() ? "icmp" : "icmpv6");
                    if (chance(70)) {
                        sep();
                        commaList(2, () -> sb.append(pick(ICMP_TYPES)));
                    }
                }
                case 3 -> sb.append("proto ").append(rnd.nextInt(256));
                default -> sb.append(chance(80) ? pick(NAMES) : "$" + pick(NAMES));
            }
        }
    }

    private String port() {
        return chance(70) ? Integer.toString(1 + rnd.nextInt(65535))
                : (1 + rnd.nextInt(1000)) + "-" + (1001 + rnd.nextInt(60000));
    }

    private void set() {
        sb.append("set");
        sep();
        sb.append(pick(NAMES));
        sep();
        if (rnd.nextBoolean()) {
            sb.append('=');
            sep();
            addressList();
            return;
        }
        sb.append("dynamic");
        if (chance(60)) {
            sep();
            sb.append(pick(List.of("ipv4", "ipv6", "any")));
        }
        if (chance(60)) {
            sep();
            sb.append("capacity ").append(1 + rnd.nextInt(100000));
        }
        if (chance(60)) {
            sep();
            sb.append("timeout ").append(1 + rnd.nextInt(90)).append(pick(List.of("s", "m", "h", "d")));
        }
    }

    private void chain() {
        sb.append("chain");
        sep();
        sb.append(pick(HOOKS));
        sep();
        sb.append("policy");
        sep();
        sb.append(rnd.nextBoolean() ? "accept" : "drop");
        sep();
        sb.append('{');
        if (chance(20)) trailingComment();
        sb.append('\n');
        int n = rnd.nextInt(7);
        for (int i = 0; i < n; i++) {
            if (chance(15)) sb.append('\n');
            if (chance(15)) ownLineComment("  ");
            sb.append("  ");
            rule();
            endOfLine();
        }
        if (chance(20)) ownLineComment("    ");
        sb.append('}');
    }

    private void rule() {
        sb.append("rule");
        sep();
        if (chance(70)) {
            sb.append(pick(NAMES));
            if (chance(20)) sep();
            sb.append(':');
            sep();
        }
        int n = rnd.nextInt(5);
        for (int i = 0; i < n; i++) {
            match();
            sep();
        }
        switch (rnd.nextInt(4)) {
            case 0 -> sb.append("drop");
            case 1 -> {
                sb.append("reject");
                if (chance(50)) {
                    sep();
                    sb.append("with ").append(pick(List.of("tcp-reset", "icmp-port-unreachable",
                            "icmp-host-unreachable", "icmp-admin-prohibited")));
                }
            }
            default -> sb.append("accept");
        }
        if (chance(30)) {
            sep();
            sb.append("log");
        }
        if (chance(15)) {
            sep();
            sb.append("count");
        }
        if (chance(10)) {
            sep();
            sb.append("disabled");
        }
        if (chance(20)) {
            sep();
            sb.append("comment \"").append(pick(COMMENTS).replace("\"", "\\\"")).append('"');
        }
    }

    private void match() {
        switch (rnd.nextInt(12)) {
            case 0 -> kw("in", () -> commaList(2, () -> operand(1, () -> sb.append(pick(IFACES)))));
            case 1 -> kw("out", () -> commaList(2, () -> operand(1, () -> sb.append(pick(NAMES)))));
            case 2 -> kw("from", () -> commaList(3, () -> operand(0, this::addressAtom)));
            case 3 -> kw("to", () -> commaList(3, () -> operand(0, this::addressAtom)));
            case 4 -> kw("proto", () -> commaList(2, () -> sb.append(chance(80) ? pick(PORT_PROTOS) : "47")));
            case 5 -> kw("service", () -> commaList(2, () -> operand(2, () -> sb.append(pick(NAMES)))));
            case 6 -> kw("sport", () -> commaList(2, () -> operand(2, () -> sb.append(port()))));
            case 7 -> kw("dport", () -> commaList(3, () -> operand(2, () -> sb.append(chance(80) ? port() : "$" + pick(NAMES)))));
            case 8 -> kw("icmp-type", () -> commaList(2, () -> sb.append(pick(ICMP_TYPES))));
            case 9 -> kw("icmp-code", () -> sb.append(rnd.nextInt(16)));
            case 10 -> kw("state", () -> commaList(3, () -> sb.append(pick(STATES))));
            default -> kw("flags", () -> {
                flagList();
                if (rnd.nextBoolean()) {
                    if (rnd.nextBoolean()) sep();
                    sb.append('/');
                    if (rnd.nextBoolean()) sep();
                    flagList();
                }
            });
        }
    }

    private void flagList() {
        int n = 1 + rnd.nextInt(3);
        for (int i = 0; i < n; i++) {
            if (i > 0) sb.append(rnd.nextBoolean() ? "," : ", ");
            sb.append(pick(FLAGS));
        }
    }

    private void kw(String keyword, Runnable value) {
        sb.append(keyword);
        sep();
        value.run();
    }

    private void test() {
        sb.append("test");
        sep();
        sb.append('"').append(pick(NAMES)).append(" case ").append(rnd.nextInt(100)).append('"');
        sb.append(':');
        sep();
        sb.append(packet());
        sep();
        sb.append("expect ").append(pick(List.of("accept", "drop", "reject")));
        if (chance(60)) {
            sep();
            sb.append("by ").append(chance(30) ? "policy" : pick(NAMES));
        }
    }

    /** A packet description as {@code rampart simulate --packet} takes it. */
    public String packet() {
        StringBuilder p = new StringBuilder();
        String proto = pick(List.of("tcp", "udp", "icmp", "icmpv6", "sctp", "47"));
        boolean v6 = rnd.nextBoolean();
        boolean ports = !proto.startsWith("icmp") && !proto.equals("47");
        p.append(proto).append(' ').append(endpoint(v6, ports)).append(chance(80) ? " -> " : "->").append(endpoint(v6, ports));
        if (chance(40)) p.append(" on ").append(pick(HOOKS));
        if (chance(50)) p.append(" in ").append(pick(IFACES).replace("*", "0"));
        if (chance(50)) p.append(" out ").append(chance(20) ? "\"ppp 0\"" : "wan0");
        if (chance(40)) p.append(" state ").append(pick(STATES));
        if (proto.equals("tcp") && chance(40)) {
            p.append(" flags ").append(pick(FLAGS));
            if (chance(50)) p.append(",").append(pick(FLAGS));
        }
        if (proto.startsWith("icmp") && chance(60)) p.append(" icmp-type ").append(pick(ICMP_TYPES)).append(" icmp-code 0");
        if (chance(30)) {
            p.append(" with @").append(pick(NAMES)).append(' ').append(v6 ? ipv6() : ipv4());
            if (chance(50)) p.append(", ").append(v6 ? ipv6() : ipv4());
        }
        return p.toString();
    }

    private String endpoint(boolean v6, boolean port) {
        String portText = Integer.toString(1 + rnd.nextInt(65535));
        if (v6) return port && chance(80) ? "[" + ipv6() + "]:" + portText : ipv6();
        return port && chance(80) ? ipv4() + ":" + portText : ipv4();
    }
}
