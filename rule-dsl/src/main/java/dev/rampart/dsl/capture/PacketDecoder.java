// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.capture;

import dev.rampart.dsl.eval.Packet;
import dev.rampart.dsl.ir.U128;
import java.util.Arrays;

/**
 * Frames to datagrams: link layer, IPv4/IPv6 with their checks and extension headers, then the
 * transport header fields the policy and connection tracking look at. Every read is bounds-checked
 * against what was captured, so bad bytes become a {@link Decoded.Bad}, never an exception.
 */
public final class PacketDecoder {
    private PacketDecoder() {}

    /** Bytes of a first fragment's data kept for decoding after reassembly: the whole header chain fits. */
    public static final int HEAD_KEPT = 1024;
    private static final int ETH_IPV4 = 0x0800, ETH_IPV6 = 0x86dd;
    private static final int MAX_VLAN_TAGS = 8;

    /** The interface index an SLL2 frame carries, or -1 for other link types and short frames. */
    public static int sll2IfIndex(Frame f) {
        if (f.linkType() != LinkType.LINUX_SLL2 || f.data().length < 20) return -1;
        return Bytes.u32(f.data(), 4, true);
    }

    public static Decoded decode(Frame f) {
        byte[] b = f.data();
        int n = b.length;
        boolean cut = f.truncated();
        return switch (f.linkType()) {
            case LinkType.ETHERNET -> {
                if (n < 14) yield short_(cut, "Ethernet header needs 14 bytes", n);
                yield etherType(b, 12, 14, cut);
            }
            case LinkType.RAW, LinkType.RAW_BSD12, LinkType.RAW_BSD14 -> {
                if (n < 1) yield short_(cut, "raw IP frame is empty", 0);
                int v = (b[0] & 0xff) >> 4;
                if (v == 4) yield ipv4(b, 0, cut);
                if (v == 6) yield ipv6(b, 0, cut);
                yield new Decoded.Bad("raw IP frame with IP version " + v, false);
            }
            case LinkType.IPV4 -> ipv4(b, 0, cut);
            case LinkType.IPV6 -> ipv6(b, 0, cut);
            case LinkType.LINUX_SLL -> {
                if (n < 16) yield short_(cut, "Linux cooked header needs 16 bytes", n);
                yield etherType(b, 14, 16, cut);
            }
            case LinkType.LINUX_SLL2 -> {
                if (n < 20) yield short_(cut, "Linux cooked v2 header needs 20 bytes", n);
                yield etherType(b, 0, 20, cut);
            }
            default -> new Decoded.NotIp("link type " + f.linkType() + " is not supported");
        };
    }

    private static Decoded short_(boolean cut, String what, int have) {
        return new Decoded.Bad(what + ", " + have + " " + (cut ? "captured (snapshot length)" : "present"), cut);
    }

    /** The EtherType at {@code at}, with 802.1Q/802.1ad tags in front of the payload walked over. */
    private static Decoded etherType(byte[] b, int at, int payload, boolean cut) {
        int type = Bytes.u16(b, at);
        int tags = 0;
        while (type == 0x8100 || type == 0x88a8 || type == 0x9100) {
            if (++tags > MAX_VLAN_TAGS) return new Decoded.Bad("more than " + MAX_VLAN_TAGS + " VLAN tags", false);
            if (b.length < payload + 4) return short_(cut, "VLAN tag needs 4 bytes", b.length - payload);
            type = Bytes.u16(b, payload + 2);
            payload += 4;
        }
        if (type == ETH_IPV4) return ipv4(b, payload, cut);
        if (type == ETH_IPV6) return ipv6(b, payload, cut);
        return new Decoded.NotIp(String.format("EtherType 0x%04x%s", type, etherName(type)));
    }

    private static String etherName(int type) {
        return switch (type) {
            case 0x0806 -> " (ARP)";
            case 0x88cc -> " (LLDP)";
            case 0x8035 -> " (RARP)";
            default -> type < 0x0600 ? " (802.3 length field)" : "";
        };
    }

    static Decoded ipv4(byte[] b, int off, boolean cut) {
        int avail = b.length - off;
        if (avail < 20) return short_(cut, "IPv4 header needs 20 bytes", avail);
        int v = (b[off] & 0xff) >> 4;
        if (v != 4) return new Decoded.Bad("IPv4 frame with IP version " + v, false);
        int hl = (b[off] & 0x0f) * 4;
        if (hl < 20) return new Decoded.Bad("IPv4 header length " + hl + " is below 20", false);
        if (hl > avail) return short_(cut, "IPv4 header with options needs " + hl + " bytes", avail);
        int total = Bytes.u16(b, off + 2);
        if (total < hl) return new Decoded.Bad("IPv4 total length " + total + " is shorter than its header (" + hl + ")", false);
        if (total > avail && !cut) {
            return new Decoded.Bad("IPv4 total length " + total + " exceeds the " + avail + " bytes in the frame", false);
        }
        if (checksum(b, off, hl) != 0xffff) return new Decoded.Bad("bad IPv4 header checksum", false);
        String opt = checkOptions(b, off + 20, off + hl);
        if (opt != null) return new Decoded.Bad(opt, false);
        U128 src = U128.ofV4(Bytes.u32(b, off + 12, true));
        U128 dst = U128.ofV4(Bytes.u32(b, off + 16, true));
        int proto = b[off + 9] & 0xff;
        int frag = Bytes.u16(b, off + 6);
        boolean more = (frag & 0x2000) != 0;
        int fragOffset = (frag & 0x1fff) * 8;
        int end = off + Math.min(total, avail);
        if (more || fragOffset != 0) {
            int id = Bytes.u16(b, off + 4);
            byte[] head = fragOffset == 0 ? Arrays.copyOfRange(b, off + hl, Math.min(end, off + hl + HEAD_KEPT)) : new byte[0];
            return new Decoded.Fragment(4, src, dst, id, proto, fragOffset, total - hl, more, head, hl);
        }
        return upper(4, src, dst, proto, b, off + hl, end, total - hl, total, cut);
    }

    /** Ones' complement sum of the header; 0xffff when the checksum field is right. */
    private static int checksum(byte[] b, int off, int len) {
        int sum = 0;
        for (int i = 0; i < len; i += 2) sum += Bytes.u16(b, off + i);
        while ((sum >>> 16) != 0) sum = (sum & 0xffff) + (sum >>> 16);
        return sum;
    }

    private static String checkOptions(byte[] b, int p, int end) {
        while (p < end) {
            int type = b[p] & 0xff;
            if (type == 0) return null;
            if (type == 1) {
                p++;
                continue;
            }
            if (p + 1 >= end) return "IPv4 option " + type + " has no length byte";
            int len = b[p + 1] & 0xff;
            if (len < 2 || p + len > end) return "IPv4 option " + type + " has impossible length " + len;
            p += len;
        }
        return null;
    }

    static Decoded ipv6(byte[] b, int off, boolean cut) {
        int avail = b.length - off;
        if (avail < 40) return short_(cut, "IPv6 header needs 40 bytes", avail);
        int v = (b[off] & 0xff) >> 4;
        if (v != 6) return new Decoded.Bad("IPv6 frame with IP version " + v, false);
        int plen = Bytes.u16(b, off + 4);
        if (40 + plen > avail && !cut) {
            return new Decoded.Bad("IPv6 payload length " + plen + " exceeds the " + (avail - 40) + " bytes in the frame", false);
        }
        U128 src = U128.ofBytes(Arrays.copyOfRange(b, off + 8, off + 24));
        U128 dst = U128.ofBytes(Arrays.copyOfRange(b, off + 24, off + 40));
        int end = off + Math.min(40 + plen, avail);
        int declaredEnd = off + 40 + plen;
        int nh = b[off + 6] & 0xff;
        int p = off + 40;
        boolean first = true;
        while (true) {
            switch (nh) {
                case 0, 43, 60, 51 -> {
                    String name = extName(nh);
                    if (nh == 0 && !first) return new Decoded.Bad("hop-by-hop options header not directly after the IPv6 header", false);
                    if (p + 2 > declaredEnd) return new Decoded.Bad(name + " header runs past the payload length", false);
                    if (p + 2 > end) return short_(cut, name + " header needs 2 bytes", end - p);
                    int len = nh == 51 ? ((b[p + 1] & 0xff) + 2) * 4 : ((b[p + 1] & 0xff) + 1) * 8;
                    if (p + len > declaredEnd) return new Decoded.Bad(name + " header of " + len + " bytes runs past the payload length", false);
                    if (p + len > end) return short_(cut, name + " header needs " + len + " bytes", end - p);
                    nh = b[p] & 0xff;
                    p += len;
                }
                case 44 -> {
                    if (p + 8 > declaredEnd) return new Decoded.Bad("fragment header runs past the payload length", false);
                    if (p + 8 > end) return short_(cut, "fragment header needs 8 bytes", end - p);
                    int fo = Bytes.u16(b, p + 2);
                    int next = b[p] & 0xff;
                    int fragOffset = fo & 0xfff8;
                    boolean more = (fo & 1) != 0;
                    if (fragOffset == 0 && !more) {
                        // An atomic fragment (RFC 6946) is a whole datagram: read on past it.
                        nh = next;
                        p += 8;
                    } else {
                        long id = Bytes.u32L(b, p + 4, true);
                        int data = p + 8;
                        byte[] head = fragOffset == 0 ? Arrays.copyOfRange(b, data, Math.min(end, data + HEAD_KEPT)) : new byte[0];
                        return new Decoded.Fragment(6, src, dst, id, next, fragOffset, declaredEnd - data, more, head, data - off);
                    }
                }
                default -> {
                    return upper(6, src, dst, nh, b, p, end, declaredEnd - p, 40 + plen, cut);
                }
            }
            first = false;
        }
    }

    private static String extName(int nh) {
        return switch (nh) {
            case 0 -> "hop-by-hop options";
            case 43 -> "routing";
            case 60 -> "destination options";
            case 51 -> "authentication (AH)";
            default -> "extension";
        };
    }

    /**
     * The datagram once reassembled, from the first fragment's kept data: IPv6 may still have
     * extension headers (destination options, AH) before the upper layer.
     */
    static Decoded afterReassembly(int family, U128 src, U128 dst, int proto, byte[] head, int payloadLength, int ipLength) {
        int end = Math.min(head.length, payloadLength);
        boolean cut = head.length < payloadLength && head.length < HEAD_KEPT;
        int p = 0;
        int nh = proto;
        while (family == 6 && (nh == 43 || nh == 60 || nh == 51 || nh == 0 || nh == 44)) {
            String name = extName(nh);
            if (nh == 0 || nh == 44) return new Decoded.Bad((nh == 0 ? "hop-by-hop options" : "second fragment") + " header after a fragment header", false);
            if (p + 2 > end) return new Decoded.Bad("the first fragment ends inside the " + name + " header", cut);
            int len = nh == 51 ? ((head[p + 1] & 0xff) + 2) * 4 : ((head[p + 1] & 0xff) + 1) * 8;
            if (p + len > end) return new Decoded.Bad("the first fragment ends inside the " + name + " header", cut);
            nh = head[p] & 0xff;
            p += len;
        }
        return upper(family, src, dst, nh, head, p, end, payloadLength - p, ipLength, cut);
    }

    /**
     * The upper-layer header at {@code p}; {@code end} is where captured bytes stop, {@code declared}
     * the length the IP header claims for it.
     */
    private static Decoded upper(int family, U128 src, U128 dst, int proto, byte[] b, int p, int end, int declared,
                                 int ipLength, boolean cut) {
        int avail = end - p;
        int sport = 0, dport = 0, flags = 0, type = 0, code = 0, id = -1;
        String l4Error = null;
        Datagram quoted = null;
        boolean icmp = (family == 4 && proto == Packet.ICMP) || (family == 6 && proto == Packet.ICMPV6);
        if (proto == Packet.TCP) {
            if (avail < 20) return upperShort(cut, avail, declared, "TCP header needs 20 bytes");
            sport = Bytes.u16(b, p);
            dport = Bytes.u16(b, p + 2);
            flags = b[p + 13] & 0xff;
            int doff = ((b[p + 12] & 0xff) >> 4) * 4;
            if (doff < 20 || doff > declared) l4Error = "TCP data offset " + doff + " is impossible for a " + declared + "-byte segment";
        } else if (proto == Packet.UDP || proto == Packet.UDPLITE) {
            if (avail < 8) return upperShort(cut, avail, declared, pname(proto) + " header needs 8 bytes");
            sport = Bytes.u16(b, p);
            dport = Bytes.u16(b, p + 2);
            int len = Bytes.u16(b, p + 4);
            if (proto == Packet.UDP && (len < 8 || len > declared)) {
                l4Error = "UDP length field " + len + " disagrees with the " + declared + " bytes of the datagram";
            } else if (proto == Packet.UDPLITE && len != 0 && (len < 8 || len > declared)) {
                l4Error = "UDP-Lite checksum coverage " + len + " is impossible for " + declared + " bytes";
            }
        } else if (proto == Packet.SCTP) {
            if (avail < 12) return upperShort(cut, avail, declared, "SCTP common header needs 12 bytes");
            sport = Bytes.u16(b, p);
            dport = Bytes.u16(b, p + 2);
        } else if (icmp) {
            if (avail < 4) return upperShort(cut, avail, declared, pname(proto) + " header needs 4 bytes");
            type = b[p] & 0xff;
            code = b[p + 1] & 0xff;
            if (declared < 8) l4Error = pname(proto) + " message of " + declared + " bytes is shorter than its 8-byte header";
            else if (isQuery(family, type)) {
                if (avail < 8) return upperShort(cut, avail, declared, pname(proto) + " echo/query header needs 8 bytes");
                id = Bytes.u16(b, p + 4);
            } else if (isError(family, type)) {
                quoted = avail > 8 ? quoted(b, p + 8, end, family) : null;
                // Conntrack needs the quote; if the snapshot length ate it, the state cannot be known.
                if (quoted == null && cut && avail < declared) {
                    return new Decoded.Bad(pname(proto) + " error whose quoted header was cut by the snapshot length", true);
                }
            }
        }
        return new Decoded.Whole(new Datagram(family, src, dst, proto, sport, dport, type, code, id, flags, ipLength, l4Error, quoted));
    }

    private static String pname(int proto) { return Packet.protoName(proto).toUpperCase(java.util.Locale.ROOT); }

    private static Decoded upperShort(boolean cut, int avail, int declared, String what) {
        if (avail < declared && cut) return new Decoded.Bad(what + ", " + avail + " captured (snapshot length)", true);
        return new Decoded.Bad(what + ", the datagram has " + declared, false);
    }

    static boolean isQuery(int family, int type) {
        return family == 4 ? type == 8 || type == 0 || (type >= 13 && type <= 18)
                : type == 128 || type == 129 || type == 139 || type == 140;
    }

    /** Query types that may open a tracked ICMP "connection" (echo, timestamp, info, mask; node information). */
    static boolean isRequest(int family, int type) {
        return family == 4 ? type == 8 || type == 13 || type == 15 || type == 17 : type == 128 || type == 139;
    }

    /** The reply type of a request type (and back). */
    static int replyType(int family, int type) {
        if (family == 4) return switch (type) { case 8 -> 0; case 0 -> 8; case 13 -> 14; case 14 -> 13; case 15 -> 16;
            case 16 -> 15; case 17 -> 18; case 18 -> 17; default -> type; };
        return switch (type) { case 128 -> 129; case 129 -> 128; case 139 -> 140; case 140 -> 139; default -> type; };
    }

    static boolean isError(int family, int type) {
        return family == 4 ? type == 3 || type == 4 || type == 5 || type == 11 || type == 12 : type >= 1 && type <= 4;
    }

    /**
     * The packet an ICMP error quotes: its IP header and the first 8 bytes of its transport header,
     * read without the length checks of a real datagram (the quote is cut by design).
     */
    private static Datagram quoted(byte[] b, int p, int end, int outerFamily) {
        int avail = end - p;
        if (avail < 1) return null;
        int v = (b[p] & 0xff) >> 4;
        U128 src, dst;
        int proto, l4;
        if (v == 4 && outerFamily == 4) {
            if (avail < 20) return null;
            int hl = (b[p] & 0x0f) * 4;
            if (hl < 20 || hl > avail) return null;
            if ((Bytes.u16(b, p + 6) & 0x1fff) != 0) return null;
            src = U128.ofV4(Bytes.u32(b, p + 12, true));
            dst = U128.ofV4(Bytes.u32(b, p + 16, true));
            proto = b[p + 9] & 0xff;
            l4 = p + hl;
        } else if (v == 6 && outerFamily == 6) {
            if (avail < 40) return null;
            src = U128.ofBytes(Arrays.copyOfRange(b, p + 8, p + 24));
            dst = U128.ofBytes(Arrays.copyOfRange(b, p + 24, p + 40));
            proto = b[p + 6] & 0xff;
            l4 = p + 40;
            int hops = 0;
            while (proto == 0 || proto == 43 || proto == 60 || proto == 51 || proto == 44) {
                if (++hops > 16 || l4 + 8 > end) return null;
                int len = proto == 44 ? 8 : proto == 51 ? ((b[l4 + 1] & 0xff) + 2) * 4 : ((b[l4 + 1] & 0xff) + 1) * 8;
                if (proto == 44 && (Bytes.u16(b, l4 + 2) & 0xfff8) != 0) return null;
                proto = b[l4] & 0xff;
                l4 += len;
            }
        } else {
            return null;
        }
        int family = v;
        int sport = 0, dport = 0, type = 0, code = 0, id = -1;
        if (Packet.hasPorts(proto)) {
            if (l4 + 4 > end) return null;
            sport = Bytes.u16(b, l4);
            dport = Bytes.u16(b, l4 + 2);
        } else if ((family == 4 && proto == Packet.ICMP) || (family == 6 && proto == Packet.ICMPV6)) {
            if (l4 + 8 > end) return null;
            type = b[l4] & 0xff;
            code = b[l4 + 1] & 0xff;
            if (!isQuery(family, type)) return null;
            id = Bytes.u16(b, l4 + 4);
        }
        return new Datagram(family, src, dst, proto, sport, dport, type, code, id, 0, 0, null, null);
    }
}
