// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.parse;

import java.util.List;
import java.util.Set;

/** The words the grammar expects at each place, in the order suggestions should prefer them. */
final class Keywords {
    private Keywords() {}

    static final List<String> DECLS = List.of("include", "define", "net", "host", "service", "zone", "set", "chain", "test");
    static final List<String> MATCHES = List.of("in", "out", "from", "to", "proto", "service", "sport", "dport",
            "flags", "icmp-type", "icmp-code", "state");
    static final List<String> ACTIONS = List.of("accept", "drop", "reject");
    static final List<String> OPTIONS = List.of("log", "count", "disabled", "comment");
    static final List<String> HOOKS = List.of("input", "forward", "output");
    static final List<String> POLICIES = List.of("accept", "drop");
    static final List<String> REJECTS = List.of("tcp-reset", "icmp-port-unreachable", "icmp-host-unreachable",
            "icmp-admin-prohibited");
    static final List<String> STATES = List.of("new", "established", "related", "invalid");
    static final List<String> PROTOCOLS = List.of("tcp", "udp", "sctp", "udplite", "icmp", "icmpv6");
    static final List<String> FAMILIES = List.of("ipv4", "ipv6", "any");
    static final List<String> PACKET_ATTRS = List.of("on", "in", "out", "state", "flags", "icmp-type", "icmp-code", "with");
    static final List<String> FLAGS = List.of("fin", "syn", "rst", "psh", "ack", "urg", "ecn", "cwr");
    /** The same flags, most used first, so that a typo equally close to two flags suggests the likelier one. */
    static final List<String> FLAGS_BY_USE = List.of("syn", "ack", "rst", "fin", "psh", "urg", "ecn", "cwr");

    /**
     * ICMP and ICMPv6 type names as nftables spells them. In a service, a name after {@code icmp}
     * or {@code icmpv6} that is one of these is that protocol's argument, any other name refers to
     * another service.
     */
    static final Set<String> ICMP_TYPES = Set.of(
            "echo-reply", "destination-unreachable", "source-quench", "redirect", "echo-request",
            "router-advertisement", "router-solicitation", "time-exceeded", "parameter-problem",
            "timestamp-request", "timestamp-reply", "info-request", "info-reply", "address-mask-request",
            "address-mask-reply", "packet-too-big", "mld-listener-query", "mld-listener-report",
            "mld-listener-done", "mld-listener-reduction", "nd-router-solicit", "nd-router-advert",
            "nd-neighbor-solicit", "nd-neighbor-advert", "nd-redirect", "router-renumbering",
            "ind-neighbor-solicit", "ind-neighbor-advert", "mld2-listener-report");

    static boolean isName(String s) {
        if (s.isEmpty() || s.length() > 64) return false;
        char c0 = s.charAt(0);
        if (!((c0 >= 'a' && c0 <= 'z') || (c0 >= 'A' && c0 <= 'Z'))) return false;
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '-' || c == '.';
            if (!ok) return false;
        }
        return true;
    }

    static boolean isNumber(String s) {
        if (s.isEmpty() || s.length() > 10) return false;
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        return true;
    }
}
