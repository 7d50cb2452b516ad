// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.eval;

import dev.rampart.dsl.ir.ConnState;
import dev.rampart.dsl.ir.Field;
import dev.rampart.dsl.ir.U128;

/**
 * The classification key of one packet: what the engine looks at. Addresses are 128-bit with IPv4
 * mapped; fields the packet does not carry are 0 (see {@link Field}).
 *
 * @param inIf  input interface name, "" when none (output hook)
 * @param outIf output interface name, "" when none (input hook)
 */
public record Packet(U128 src, U128 dst, int proto, int sport, int dport, int icmpType, int icmpCode,
                     int tcpFlags, ConnState state, String inIf, String outIf) {

    public static final int TCP = 6, UDP = 17, ICMP = 1, ICMPV6 = 58, SCTP = 132, UDPLITE = 136;

    public boolean isV4() { return src.isV4Mapped(); }

    /** Protocols whose header starts with 16-bit source and destination ports. */
    public static boolean hasPorts(int proto) {
        return proto == TCP || proto == UDP || proto == SCTP || proto == UDPLITE;
    }

    public U128 value(Field f) {
        return switch (f) {
            case SRC -> src;
            case DST -> dst;
            case PROTO -> U128.of(proto);
            case SPORT -> U128.of(sport);
            case DPORT -> U128.of(dport);
            case ICMP_TYPE -> U128.of(icmpType);
            case ICMP_CODE -> U128.of(icmpCode);
            case TCP_FLAGS -> U128.of(tcpFlags);
            case STATE -> U128.of(state.ordinal());
            case IIF -> U128.ofIfName(inIf);
            case OIF -> U128.ofIfName(outIf);
        };
    }

    /** How the CLI and traces print it: {@code tcp 10.1.2.3:50000 -> 10.2.0.10:443 in lan0 state new}. */
    public String describe() {
        StringBuilder sb = new StringBuilder(protoName(proto)).append(' ');
        sb.append(endpoint(src, sport)).append(" -> ").append(endpoint(dst, dport));
        if (!inIf.isEmpty()) sb.append(" in ").append(inIf);
        if (!outIf.isEmpty()) sb.append(" out ").append(outIf);
        if (proto == ICMP || proto == ICMPV6) sb.append(" icmp-type ").append(icmpType).append(" icmp-code ").append(icmpCode);
        if (proto == TCP) sb.append(" flags ").append(TcpFlags.format(tcpFlags));
        sb.append(" state ").append(state.keyword());
        return sb.toString();
    }

    private String endpoint(U128 addr, int port) {
        String a = addr.toAddressString();
        if (!hasPorts(proto)) return a;
        return addr.isV4Mapped() ? a + ":" + port : "[" + a + "]:" + port;
    }

    public static String protoName(int proto) {
        return switch (proto) {
            case TCP -> "tcp";
            case UDP -> "udp";
            case ICMP -> "icmp";
            case ICMPV6 -> "icmpv6";
            case SCTP -> "sctp";
            case UDPLITE -> "udplite";
            default -> Integer.toString(proto);
        };
    }
}
